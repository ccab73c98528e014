"""one open draft per inspector, establishment and programme

Revision ID: 0004_one_draft
Revises: 0003_indicators
Create Date: 2026-11-29 11:40:52.879115

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_one_draft'
down_revision = '0003_indicators'
branch_labels = None
depends_on = None

DRAFT = sa.text("status = 'draft'")

# Two "start" taps arriving together could leave twin drafts before this index existed.
# A twin with nothing in it goes when another twin has something in it or is newer.
HOLDS_SOMETHING = """
    {t}.id IN (SELECT inspection_id FROM answer)
    OR {t}.id IN (SELECT inspection_id FROM photo WHERE inspection_id IS NOT NULL)
    OR {t}.signature_key IS NOT NULL OR {t}.operator_rep <> '' OR {t}.second_inspector <> ''
"""
DROP_EMPTY_TWINS = f"""
DELETE FROM inspection
WHERE status = 'draft'
  AND NOT ({HOLDS_SOMETHING.format(t="inspection")})
  AND EXISTS (
    SELECT 1 FROM inspection AS other
    WHERE other.status = 'draft' AND other.id <> inspection.id
      AND other.inspector_id = inspection.inspector_id
      AND other.establishment_id = inspection.establishment_id
      AND other.programme = inspection.programme
      AND (other.id > inspection.id OR {HOLDS_SOMETHING.format(t="other")})
  )
"""

REMAINING_TWINS = """
SELECT inspector_id, establishment_id, programme, COUNT(*) FROM inspection
WHERE status = 'draft' GROUP BY inspector_id, establishment_id, programme HAVING COUNT(*) > 1
"""


def upgrade():
    op.execute(DROP_EMPTY_TWINS)
    twins = op.get_bind().execute(sa.text(REMAINING_TWINS)).all()
    if twins:
        raise RuntimeError(
            "Drafts with answers exist twice for (inspector_id, establishment_id, programme): "
            f"{twins}. Submit or delete the older draft of each, then upgrade again."
        )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(
            'uq_inspection_one_draft',
            ['inspector_id', 'establishment_id', 'programme'],
            unique=True,
            sqlite_where=DRAFT,
            postgresql_where=DRAFT,
        )


def downgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index('uq_inspection_one_draft', sqlite_where=DRAFT, postgresql_where=DRAFT)
