"""Samples and rapid tests (抽检/快检); a failing sample opens a ledger entry

Revision ID: 0015_samples
Revises: 0014_plans
Create Date: 2026-12-02 20:00:00

The ledger entry (table "action") gains sample_id, and its inspection_id becomes optional:
an entry is opened by a failed checklist item or by a failing sample.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0015_samples'
down_revision = '0014_plans'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_uuid', sa.String(length=36), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('stall', sa.String(length=64), nullable=False),
    sa.Column('product', sa.String(length=64), nullable=False),
    sa.Column('test_item', sa.String(length=32), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('result', sa.String(length=8), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('tested_on', sa.Date(), nullable=False),
    sa.Column('tested_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('tester_name', sa.String(length=32), nullable=False),
    sa.Column('has_certificate', sa.Boolean(), nullable=True),
    sa.Column('certificate_no', sa.String(length=64), nullable=False),
    sa.Column('batch_actions', sa.String(length=64), nullable=False),
    sa.Column('action_note', sa.Text(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_sample_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_sample_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sample')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_sample_client_uuid'))
    )
    op.create_index('ix_sample_est_tested_on', 'sample', ['establishment_id', 'tested_on'], unique=False)
    op.create_index(op.f('ix_sample_tested_on'), 'sample', ['tested_on'], unique=False)
    with op.batch_alter_table('action') as batch_op:
        batch_op.add_column(sa.Column('sample_id', sa.Integer(), nullable=True))
        batch_op.alter_column('inspection_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_action_sample_id'), ['sample_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_action_sample_id_sample'), 'sample', ['sample_id'], ['id'])


def downgrade():
    with op.batch_alter_table('action') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_action_sample_id_sample'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_action_sample_id'))
        batch_op.alter_column('inspection_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('sample_id')
    op.drop_index(op.f('ix_sample_tested_on'), table_name='sample')
    op.drop_index('ix_sample_est_tested_on', table_name='sample')
    op.drop_table('sample')
