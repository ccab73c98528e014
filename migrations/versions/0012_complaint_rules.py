"""Complaints as the rules say: 投诉/举报, acceptance, extension, notification, receipt code, insiders

Revision ID: 0012_complaint_rules
Revises: 0011_record_form
Create Date: 2026-12-02 14:40:00

市场监督管理投诉举报处理暂行办法: a complaint (投诉) is accepted or not within 7 working
days, a report's (举报) clues checked within 15 working days (once extendable by 15), a
named reporter told the decision within 5. Each new complaint gets a receipt code for
the public status page. Insiders' reports (内部吹哨人) keep the reporter's identity in a
table of its own, read by admins only. Existing rows were all 举报 (the form said so).
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0012_complaint_rules'
down_revision = '0011_record_form'
branch_labels = None
depends_on = None

TEXTS = ('decision_reason', 'extension_reason', 'public_reply')


def upgrade():
    with op.batch_alter_table('complaint') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), server_default='report', nullable=False))
        batch.add_column(sa.Column('receipt_code', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('reporter_name', sa.String(length=64), server_default='', nullable=False))
        batch.add_column(sa.Column('decision', sa.String(length=16), server_default='', nullable=False))
        batch.add_column(sa.Column('decided_at', app.models.types.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('extended_at', app.models.types.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('notified_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('notified_method', sa.String(length=32), server_default='', nullable=False))
        for name in TEXTS:
            batch.add_column(sa.Column(name, sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('insider', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column('reward_status', sa.String(length=16), server_default='none', nullable=False))
        batch.create_unique_constraint(batch.f('uq_complaint_receipt_code'), ['receipt_code'])
        batch.create_index(batch.f('ix_complaint_insider'), ['insider'], unique=False)
    op.create_table('reporter_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('contact', sa.String(length=64), nullable=False),
    sa.Column('relation', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_reporter_identity_complaint_id_complaint')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporter_identity')),
    sa.UniqueConstraint('complaint_id', name=op.f('uq_reporter_identity_complaint_id'))
    )


def downgrade():
    op.drop_table('reporter_identity')
    with op.batch_alter_table('complaint') as batch:
        batch.drop_index(batch.f('ix_complaint_insider'))
        batch.drop_constraint(batch.f('uq_complaint_receipt_code'), type_='unique')
        for name in ('kind', 'receipt_code', 'reporter_name', 'decision', 'decided_at', 'extended_at',
                     'notified_on', 'notified_method', *TEXTS, 'insider', 'reward_status'):
            batch.drop_column(name)
