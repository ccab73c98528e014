"""Re-inspection requests (申请复查) from the placard page or the office

Revision ID: 0013_reinspection_requests
Revises: 0012_complaint_rules
Create Date: 2026-12-02 15:40:00

One table; at most one open request per establishment is kept by the domain code.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0013_reinspection_requests'
down_revision = '0012_complaint_rules'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reinspection_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('contact_name', sa.String(length=64), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('sender_hash', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('closing_inspection_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closing_inspection_id'], ['inspection.id'], name=op.f('fk_reinspection_request_closing_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_reinspection_request_establishment_id_establishment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reinspection_request'))
    )
    op.create_index(op.f('ix_reinspection_request_establishment_id'), 'reinspection_request', ['establishment_id'], unique=False)
    op.create_index(op.f('ix_reinspection_request_status'), 'reinspection_request', ['status'], unique=False)
    op.create_index(op.f('ix_reinspection_request_sender_hash'), 'reinspection_request', ['sender_hash'], unique=False)
    op.create_index('uq_reinspection_request_open', 'reinspection_request', ['establishment_id'], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))


def downgrade():
    op.drop_index('uq_reinspection_request_open', table_name='reinspection_request')
    op.drop_index(op.f('ix_reinspection_request_sender_hash'), table_name='reinspection_request')
    op.drop_index(op.f('ix_reinspection_request_status'), table_name='reinspection_request')
    op.drop_index(op.f('ix_reinspection_request_establishment_id'), table_name='reinspection_request')
    op.drop_table('reinspection_request')
