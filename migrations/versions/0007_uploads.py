"""Resumable photo uploads: the upload table

Revision ID: 0007_uploads
Revises: 0006_county_first_day
Create Date: 2026-12-02 02:45:00

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0007_uploads'
down_revision = '0006_county_first_day'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('finished_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('taken_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_upload_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload')),
    sa.UniqueConstraint('token', name=op.f('uq_upload_token'))
    )
    op.create_index(op.f('ix_upload_created_at'), 'upload', ['created_at'], unique=False)
    op.create_index(op.f('ix_upload_updated_at'), 'upload', ['updated_at'], unique=False)
    op.create_index(op.f('ix_upload_user_id'), 'upload', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_upload_user_id'), table_name='upload')
    op.drop_index(op.f('ix_upload_updated_at'), table_name='upload')
    op.drop_index(op.f('ix_upload_created_at'), table_name='upload')
    op.drop_table('upload')
