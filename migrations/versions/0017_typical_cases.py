"""Typical cases (典型案例) the office publishes

Revision ID: 0017_typical_cases
Revises: 0016_publication
Create Date: 2026-12-02 20:00:00

One table; the public page shows only rows whose state is published.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0017_typical_cases'
down_revision = '0016_publication'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('typical_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=True),
    sa.Column('source_kind', sa.String(length=16), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('found', sa.Text(), nullable=False),
    sa.Column('handling', sa.Text(), nullable=False),
    sa.Column('penalty', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('show_operator_name', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('published_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('withdrawn_at', app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_typical_case_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['jurisdiction.id'], name=op.f('fk_typical_case_jurisdiction_id_jurisdiction')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_typical_case'))
    )
    op.create_index(op.f('ix_typical_case_occurred_on'), 'typical_case', ['occurred_on'], unique=False)
    op.create_index(op.f('ix_typical_case_state'), 'typical_case', ['state'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_typical_case_state'), table_name='typical_case')
    op.drop_index(op.f('ix_typical_case_occurred_on'), table_name='typical_case')
    op.drop_table('typical_case')
