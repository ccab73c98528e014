"""Review before publication (审核) and publication (一公开)

Revision ID: 0016_publication
Revises: 0015_samples
Create Date: 2026-12-02 19:20:00

Each inspection revision gets a review state (pending, approved, returned; the reviewer,
time and note), the time it was published, whether it is the revision the public sees,
and when it corrected an earlier published one. Results submitted before review existed
were already on the placard pages: they count as approved and published at their submit
time.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = '0016_publication'
down_revision = '0015_samples'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: a batch would copy and drop the inspection table, which
# the foreign keys of its rows forbid on SQLite (as in 0006 and 0011).
def upgrade():
    op.add_column('inspection', sa.Column('review_state', sa.String(length=16), server_default='pending', nullable=False))
    if op.get_bind().dialect.name == 'sqlite':  # SQLite adds a column's reference inline only
        op.execute('ALTER TABLE inspection ADD COLUMN reviewed_by_id INTEGER '
                   'CONSTRAINT fk_inspection_reviewed_by_id_user REFERENCES "user" (id)')
    else:
        op.add_column('inspection', sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_inspection_reviewed_by_id_user'), 'inspection', 'user',
                              ['reviewed_by_id'], ['id'])
    op.add_column('inspection', sa.Column('reviewed_at', app.models.types.UTCDateTime(), nullable=True))
    op.add_column('inspection', sa.Column('review_note', sa.Text(), server_default='', nullable=False))
    op.add_column('inspection', sa.Column('published_at', app.models.types.UTCDateTime(), nullable=True))
    op.add_column('inspection', sa.Column('is_public', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('inspection', sa.Column('corrected_at', app.models.types.UTCDateTime(), nullable=True))
    op.create_index(op.f('ix_inspection_is_public'), 'inspection', ['is_public'], unique=False)
    op.execute(
        "UPDATE inspection SET review_state = 'approved', published_at = submitted_at "
        "WHERE status = 'submitted'"
    )
    op.execute(
        sa.text("UPDATE inspection SET is_public = :yes WHERE status = 'submitted' AND superseded = :no")
        .bindparams(yes=True, no=False)
    )


def downgrade():
    op.drop_index(op.f('ix_inspection_is_public'), table_name='inspection')
    if op.get_bind().dialect.name != 'sqlite':  # SQLite drops it with the column
        op.drop_constraint(op.f('fk_inspection_reviewed_by_id_user'), 'inspection', type_='foreignkey')
    for column in ('corrected_at', 'is_public', 'published_at', 'review_note', 'reviewed_at',
                   'reviewed_by_id', 'review_state'):
        op.drop_column('inspection', column)
