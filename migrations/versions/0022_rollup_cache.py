"""Province scale: roll-up cache (data_version, rollup_cache) and the open ledger entries' index

Revision ID: 0022_rollup_cache
Revises: 0021_upload_parts
Create Date: 2026-12-03 09:30:00

The dashboard's figures are cached per statement and scope values with the versions of the
tables they read (app.indicators.cache), so a province's dashboard is not recomputed on every
request. Both tables start empty: a table without a counter is at version 0.
ix_action_open_due indexes only entries not yet verified, which the due list looks up.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0022_rollup_cache'
down_revision = '0021_upload_parts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_version',
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('table_name', name=op.f('pk_data_version'))
    )
    op.create_table('rollup_cache',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('versions', sa.JSON(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('computed_at', app.models.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rollup_cache'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index('ix_action_open_due', ['establishment_id', 'due_date'], unique=False, postgresql_where=sa.text("state <> 'verified'"), sqlite_where=sa.text("state <> 'verified'"))


def downgrade():
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index('ix_action_open_due', postgresql_where=sa.text("state <> 'verified'"), sqlite_where=sa.text("state <> 'verified'"))
    op.drop_table('rollup_cache')
    op.drop_table('data_version')
