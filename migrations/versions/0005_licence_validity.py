"""licence validity on establishments

Revision ID: 0005_licence_validity
Revises: 0004_one_draft
Create Date: 2026-11-29 11:50:41.959405

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_licence_validity'
down_revision = '0004_one_draft'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: SQLite (3.35+) drops a plain column in place, where a batch
# would copy and drop the establishment table, which the foreign keys of its rows forbid.
def upgrade():
    op.add_column('establishment', sa.Column('licence_valid_until', sa.Date(), nullable=True))


def downgrade():
    op.drop_column('establishment', 'licence_valid_until')
