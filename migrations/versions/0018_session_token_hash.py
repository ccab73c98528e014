"""Sign-in tokens stored as their SHA-256 only: user_session.token becomes token_hash

Revision ID: 0018_session_token_hash
Revises: 0017_typical_cases
Create Date: 2026-12-03 09:00:00

The clear tokens of existing rows are not hashed in place: a table copied before the
upgrade would still hold them in clear, so every existing sign-in is deleted instead:
users sign in once more after this upgrade. Downgrade empties the table the same way.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_session_token_hash'
down_revision = '0017_typical_cases'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text("DELETE FROM user_session"))
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_session_token'), type_='unique')
        batch_op.drop_column('token')
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_user_session_token_hash'), ['token_hash'])


def downgrade():
    op.execute(sa.text("DELETE FROM user_session"))
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_session_token_hash'), type_='unique')
        batch_op.drop_column('token_hash')
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_user_session_token'), ['token'])
