"""Inspection plans (双随机): plans, recorded draws, drawn visits and declared conflicts

Revision ID: 0014_plans
Revises: 0013_reinspection_requests
Create Date: 2026-12-02 20:00:00

New tables only; nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0014_plans'
down_revision = '0013_reinspection_requests'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inspection_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('lead_department', sa.String(length=100), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('quota_kind', sa.String(length=16), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('risk_weights', sa.JSON(), nullable=False),
    sa.Column('bad_record_factor', sa.Float(), nullable=False),
    sa.Column('recuse_area_inspector', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('recuse_last_pair', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_inspection_plan_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_plan'))
    )
    op.create_table('inspector_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('declared_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_inspector_conflict_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_inspector_conflict_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_inspector_conflict_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspector_conflict')),
    sa.UniqueConstraint('user_id', 'establishment_id', name=op.f('uq_inspector_conflict_user_id_establishment_id'))
    )
    with op.batch_alter_table('inspector_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspector_conflict_establishment_id'), ['establishment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspector_conflict_user_id'), ['user_id'], unique=False)

    op.create_table('plan_draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=64), nullable=False),
    sa.Column('target_count', sa.Integer(), nullable=False),
    sa.Column('eligible_establishments', sa.JSON(), nullable=False),
    sa.Column('eligible_inspectors', sa.JSON(), nullable=False),
    sa.Column('recusals', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('drawn_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('superseded', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('superseded_at', app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user.id'], name=op.f('fk_plan_draw_drawn_by_id_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plan.id'], name=op.f('fk_plan_draw_plan_id_inspection_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_draw')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_plan_draw_plan_id_number'))
    )
    with op.batch_alter_table('plan_draw', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_draw_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_inspector',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plan.id'], name=op.f('fk_plan_inspector_plan_id_inspection_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_plan_inspector_user_id_user')),
    sa.PrimaryKeyConstraint('plan_id', 'user_id', name=op.f('pk_plan_inspector'))
    )
    op.create_table('plan_jurisdiction',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['jurisdiction.id'], name=op.f('fk_plan_jurisdiction_jurisdiction_id_jurisdiction')),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plan.id'], name=op.f('fk_plan_jurisdiction_plan_id_inspection_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'jurisdiction_id', name=op.f('pk_plan_jurisdiction'))
    )
    op.create_table('plan_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('lead_inspector_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('partner_confirmed_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('closed_at', app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['draw_id'], ['plan_draw.id'], name=op.f('fk_plan_visit_draw_id_plan_draw')),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_plan_visit_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_plan_visit_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['lead_inspector_id'], ['user.id'], name=op.f('fk_plan_visit_lead_inspector_id_user')),
    sa.ForeignKeyConstraint(['partner_id'], ['user.id'], name=op.f('fk_plan_visit_partner_id_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plan.id'], name=op.f('fk_plan_visit_plan_id_inspection_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_visit'))
    )
    with op.batch_alter_table('plan_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_visit_draw_id'), ['draw_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_visit_establishment_id'), ['establishment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_visit_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_visit_lead_inspector_id'), ['lead_inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_visit_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_visit_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_visit_status'), ['status'], unique=False)




def downgrade():

    with op.batch_alter_table('plan_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_visit_status'))
        batch_op.drop_index(batch_op.f('ix_plan_visit_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_visit_partner_id'))
        batch_op.drop_index(batch_op.f('ix_plan_visit_lead_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_plan_visit_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_plan_visit_establishment_id'))
        batch_op.drop_index(batch_op.f('ix_plan_visit_draw_id'))

    op.drop_table('plan_visit')
    op.drop_table('plan_jurisdiction')
    op.drop_table('plan_inspector')
    with op.batch_alter_table('plan_draw', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_draw_plan_id'))

    op.drop_table('plan_draw')
    with op.batch_alter_table('inspector_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspector_conflict_user_id'))
        batch_op.drop_index(batch_op.f('ix_inspector_conflict_establishment_id'))

    op.drop_table('inspector_conflict')
    op.drop_table('inspection_plan')
