"""Frozen summary figures and a user's lead department (issue #14)

Revision ID: 0023_summary_frozen_figures
Revises: 0022_rollup_cache
Create Date: 2026-12-03 09:45:00

department_summary.frozen_figures keeps the prefilled figures as they were at submit, so a
later download shows what the department sent (NULL while a draft; summaries submitted
before this migration show live figures until reopened and submitted again).
user.lead is the lead department a viewer account writes summaries for (NULL: none).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_summary_frozen_figures'
down_revision = '0022_rollup_cache'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN (SQLite 3.35+ drops natively): a batch copy of "user" would
    # have to drop a table every other table refers to.
    op.add_column('department_summary', sa.Column('frozen_figures', sa.JSON(), nullable=True))
    op.add_column('user', sa.Column('lead', sa.String(length=64), nullable=True))


def downgrade():
    op.drop_column('user', 'lead')
    op.drop_column('department_summary', 'frozen_figures')
