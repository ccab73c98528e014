"""Fixtures for the public side: private details to leak-test, an open ledger entry."""

import pytest

from app.extensions import db
from app.models import LedgerEntry

SECRET_NOTE = "后厨发现老鼠屎-私密备注"
SECRET_ITEM = "冷藏柜温度超标-私密条目"
SECRET_SECOND = "张三丰-第二检查员"

# What an inspection holds that the public must never see: make_inspection(est, **PRIVATE_DETAILS)
# gives it a second inspector, the operator's name, a memo, a failed answer with a note and
# a photo of that item.
PRIVATE_DETAILS = {
    "second_inspector": SECRET_SECOND,
    "operator_rep": "店主李四签字",
    "fields": {"memo": SECRET_NOTE},
    "answers": {"x1": {"result": "fail", "item_text": SECRET_ITEM, "note": SECRET_NOTE}},
    "photos": ("x1",),
}


@pytest.fixture
def open_action():
    """Factory: an open hazard-ledger action on an inspection."""

    def make(inspection):
        action = LedgerEntry(
            establishment_id=inspection.establishment_id,
            inspection_id=inspection.id,
            item_id="x1",
            item_text=SECRET_ITEM,
            handling="deadline",
            note=SECRET_NOTE,
        )
        db.session.add(action)
        db.session.commit()
        return action

    return make
