"""Resumable uploads' chunks in the photo store, their ranges in upload_part

Revision ID: 0021_upload_parts
Revises: 0020_flying_checks
Create Date: 2026-12-03 09:20:00

Chunks used to be appended to FANGXIN_UPLOAD_DIR/partial/<token>.part on the server that
received them; now each chunk is an object of the photo store (local or S3) and its byte
range a row here, so any app server can continue an upload. Unfinished uploads from before
this upgrade have no rows: their received count is set back to 0, so the phone resends
them from the start (the uploader asks the server for its offset on every resume); their
old part files in partial/ are no longer read and may be deleted by hand.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_upload_parts'
down_revision = '0020_flying_checks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('upload_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('start_byte', sa.Integer(), nullable=False),
    sa.Column('end_byte', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_upload_part_upload_id_upload'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_part')),
    sa.UniqueConstraint('upload_id', 'start_byte', name=op.f('uq_upload_part_upload_id_start_byte'))
    )
    op.execute(sa.text("UPDATE upload SET received = 0 WHERE finished_at IS NULL"))


def downgrade():
    op.drop_table('upload_part')
    op.execute(sa.text("UPDATE upload SET received = 0 WHERE finished_at IS NULL"))
