"""National record form: certificate numbers, inspection types, refused signatures, visits that could not inspect

Revision ID: 0011_record_form
Revises: 0010_scale
Create Date: 2026-12-02 14:30:00

The result sheet follows 食品安全监督检查结果记录表: each inspector's 执法证号 on the user
account, the type of every inspection (existing rows become 日常, what they were), an
operator who refused to sign recorded with the reason and a witness, and a visit that
could not inspect (closed, refused, moved away) kept as an attempt of its own.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0011_record_form'
down_revision = '0010_scale'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: a batch would copy and drop the user and inspection
# tables, which the foreign keys of their rows forbid on SQLite (as in 0006).
def upgrade():
    op.add_column('user', sa.Column('enforcement_certificate_no', sa.String(length=32), server_default='', nullable=False))
    op.add_column('inspection', sa.Column('inspection_type', sa.String(length=16), server_default='routine', nullable=False))
    op.add_column('inspection', sa.Column('sign_refused', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('inspection', sa.Column('sign_refusal_reason', sa.Text(), server_default='', nullable=False))
    op.add_column('inspection', sa.Column('sign_witness', sa.String(length=100), server_default='', nullable=False))
    op.create_table('visit_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_uuid', sa.String(length=36), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('inspection_type', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('attempted_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_visit_attempt_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['inspector_id'], ['user.id'], name=op.f('fk_visit_attempt_inspector_id_user')),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_visit_attempt_photo_id_photo')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_attempt')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_visit_attempt_client_uuid'))
    )
    op.create_index('ix_visit_attempt_est_at', 'visit_attempt', ['establishment_id', 'attempted_at'], unique=False)


def downgrade():
    op.drop_index('ix_visit_attempt_est_at', table_name='visit_attempt')
    op.drop_table('visit_attempt')
    for column in ('sign_witness', 'sign_refusal_reason', 'sign_refused', 'inspection_type'):
        op.drop_column('inspection', column)
    op.drop_column('user', 'enforcement_certificate_no')
