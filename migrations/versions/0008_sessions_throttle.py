"""Revocable sign-ins and login throttling: user_session and login_throttle replace login_failure

Revision ID: 0008_sessions_throttle
Revises: 0007_uploads
Create Date: 2026-12-02 13:45:00

Existing sessions and remember cookies carry a bare user id, which no longer loads a user:
everyone signs in once more after this upgrade (the point of the change). Old failure rows
are dropped; the new throttle starts empty.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0008_sessions_throttle'
down_revision = '0007_uploads'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token', name=op.f('uq_user_session_token'))
    )
    op.create_index(op.f('ix_user_session_user_id'), 'user_session', ['user_id'], unique=False)
    op.create_index(op.f('ix_user_session_expires_at'), 'user_session', ['expires_at'], unique=False)
    op.create_table('login_throttle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('locked_until', app.models.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttle')),
    sa.UniqueConstraint('scope', 'key', name=op.f('uq_login_throttle_scope_key'))
    )
    op.drop_index(op.f('ix_login_failure_username'), table_name='login_failure')
    op.drop_table('login_failure')


def downgrade():
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('at', app.models.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    op.create_index(op.f('ix_login_failure_username'), 'login_failure', ['username'], unique=False)
    op.drop_table('login_throttle')
    op.drop_index(op.f('ix_user_session_expires_at'), table_name='user_session')
    op.drop_index(op.f('ix_user_session_user_id'), table_name='user_session')
    op.drop_table('user_session')
