"""The county's first day: jurisdictions that open and close, one-time passwords, imports that
wait for confirm (idempotent), and remembered column mappings

Revision ID: 0006_county_first_day
Revises: 0005_licence_validity
Create Date: 2026-12-01 20:58:40.405540

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0006_county_first_day'
down_revision = '0005_licence_validity'
branch_labels = None
depends_on = None


# Plain ALTER TABLE for the new columns, not a batch: a batch would copy and drop the
# jurisdiction and user tables, which the foreign keys of their rows forbid on SQLite.
def upgrade():
    op.create_table('column_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('header_signature', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_column_mapping')),
    sa.UniqueConstraint('kind', 'header_signature', name=op.f('uq_column_mapping_kind_header_signature'))
    )
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('confirmed_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_import_batch_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch')),
    sa.UniqueConstraint('token', name=op.f('uq_import_batch_token'))
    )
    op.create_index(op.f('ix_import_batch_created_at'), 'import_batch', ['created_at'], unique=False)
    # Units that exist already get no created_at: they count in every period, as before.
    op.add_column('jurisdiction', sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('jurisdiction', sa.Column('created_at', app.models.types.UTCDateTime(), nullable=True))
    op.add_column('jurisdiction', sa.Column('closed_at', app.models.types.UTCDateTime(), nullable=True))
    op.add_column('user', sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.drop_column('user', 'must_change_password')
    op.drop_column('jurisdiction', 'closed_at')
    op.drop_column('jurisdiction', 'created_at')
    op.drop_column('jurisdiction', 'active')
    op.drop_index(op.f('ix_import_batch_created_at'), table_name='import_batch')
    op.drop_table('import_batch')
    op.drop_table('column_mapping')
