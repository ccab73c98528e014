"""Flying inspections (飞行检查, issue #13)

Revision ID: 0020_flying_checks
Revises: 0019_department_summaries
Create Date: 2026-12-03 09:15:00

One table: the clue (kind, id, reason) and deadline of an unannounced inspection, tied to the
one-unit inspection plan (kind "flying", a value of the existing String column) whose recorded
draw gives the inspector pair.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0020_flying_checks'
down_revision = '0019_department_summaries'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('flying_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('clue_kind', sa.String(length=16), nullable=False),
    sa.Column('clue_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('request_token', sa.String(length=64), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_flying_check_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plan.id'], name=op.f('fk_flying_check_plan_id_inspection_plan')),
    sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], name=op.f('fk_flying_check_started_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flying_check')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_flying_check_plan_id')),
    sa.UniqueConstraint('request_token', name=op.f('uq_flying_check_request_token'))
    )
    op.create_index(op.f('ix_flying_check_clue_id'), 'flying_check', ['clue_id'], unique=False)
    op.create_index(op.f('ix_flying_check_establishment_id'), 'flying_check', ['establishment_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_flying_check_establishment_id'), table_name='flying_check')
    op.drop_index(op.f('ix_flying_check_clue_id'), table_name='flying_check')
    op.drop_table('flying_check')
