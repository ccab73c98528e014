"""Province scale: trigram indexes for the registry search (PostgreSQL)

Revision ID: 0010_scale
Revises: 0009_working_days
Create Date: 2026-12-02 14:10:00

The registry's search box matches part of the name, address or licence number
(ILIKE '%…%'), which no B-tree serves: at 200,000 establishments each search and its
count were sequential scans (bench/rollup.py --scale 10). pg_trgm's GIN indexes serve
them on PostgreSQL; SQLite scans, as before (a county's register is small).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010_scale'
down_revision = '0009_working_days'
branch_labels = None
depends_on = None

TRIGRAM_COLUMNS = ('name', 'address', 'licence_no')


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    # pg_trgm is a trusted extension: the database's owner may create it.
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for column in TRIGRAM_COLUMNS:
        op.create_index(
            f'ix_establishment_{column}_trgm', 'establishment', [column],
            postgresql_using='gin', postgresql_ops={column: 'gin_trgm_ops'},
        )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for column in TRIGRAM_COLUMNS:
        op.drop_index(f'ix_establishment_{column}_trgm', table_name='establishment')
