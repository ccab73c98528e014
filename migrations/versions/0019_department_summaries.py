"""Lead departments' quarterly and annual summaries (issue #14)

Revision ID: 0019_department_summaries
Revises: 0018_session_token_hash
Create Date: 2026-12-03 08:54:48

One table, a row per lead department and period once someone saved it; whether a summary
is late follows from the period's deadline and is not stored.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0019_department_summaries'
down_revision = '0018_session_token_hash'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('department_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead', sa.String(length=64), nullable=False),
    sa.Column('period_code', sa.String(length=16), nullable=False),
    sa.Column('work_done', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('saved_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['saved_by_id'], ['user.id'], name=op.f('fk_department_summary_saved_by_id_user')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_department_summary_submitted_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_summary')),
    sa.UniqueConstraint('lead', 'period_code', name=op.f('uq_department_summary_lead_period_code'))
    )
    op.create_index(op.f('ix_department_summary_period_code'), 'department_summary', ['period_code'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_department_summary_period_code'), table_name='department_summary')
    op.drop_table('department_summary')
