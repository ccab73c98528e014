"""The working-day calendar: calendar_day (holidays, 调休 and the admin's corrections)

Revision ID: 0009_working_days
Revises: 0008_sessions_throttle
Create Date: 2026-12-02 14:00:00

Starts empty: the package's years are copied in on first use (app.core.workdays.sync_years),
the admin's entries come from the office page or `flask workdays import`.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0009_working_days'
down_revision = '0008_sessions_throttle'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_working_day', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('shift', sa.SmallInteger(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_calendar_day_set_by_id_user')),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_day'))
    )
    op.create_index(op.f('ix_calendar_day_source'), 'calendar_day', ['source'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_calendar_day_source'), table_name='calendar_day')
    op.drop_table('calendar_day')
