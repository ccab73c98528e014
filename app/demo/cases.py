"""The demo city's typical cases (典型案例): three published cases written from its own
records — a failed catering item closed after re-inspection, a market's failing rapid test,
a rural shop found 不符合 — through app.cases, so the same anonymising checks apply."""

from __future__ import annotations

from sqlalchemy import case as when

from app.cases import service
from app.core.labels import BATCH_ACTION_LABELS, TEST_ITEM_LABELS, in_chinese, label
from app.extensions import db
from app.models import Answer, Establishment, Inspection, LedgerEntry, Sample, TypicalCase, User
from app.models.establishment import CATERING_CATEGORIES

DEMO_CASE = "【演示】"  # every demo case's title starts with it
FOOD_SAFETY_LAW = "《中华人民共和国食品安全法》"


def seed_cases() -> dict[str, int]:
    """Write and publish the demo cases once; returns what was added."""
    if db.session.scalar(db.select(TypicalCase.id).where(TypicalCase.title.like(f"{DEMO_CASE}%"))):
        return {}
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    if admin is None:
        return {}
    written = [c for c in (catering_case(), market_case(), rural_shop_case()) if c is not None]
    for values in written:
        case = service.create_case(admin, values)
        db.session.add(case)
        db.session.flush()
        service.publish(admin, case)
    db.session.commit()
    return {"cases": len(written)}


def demo_unit():
    """Only the demo city's own records (licence DEMO-nnnn) make demo cases."""
    return Establishment.licence_no.like("DEMO-%")


def catering_case() -> dict | None:
    """A caterer's failed item from an inspection, put right and verified on re-inspection."""
    hygiene = when(
        (LedgerEntry.item_id.like("ct.clean%"), 2),
        (LedgerEntry.item_id.like("ct.waste%"), 1),
        else_=0,
    )
    stmt = (
        db.select(LedgerEntry)
        .join(Establishment, Establishment.id == LedgerEntry.establishment_id)
        .where(
            demo_unit(),
            Establishment.category.in_(CATERING_CATEGORIES),
            LedgerEntry.inspection_id.is_not(None),
            LedgerEntry.state == "verified",
            LedgerEntry.due_date.is_not(None),
        )
        # a hygiene or kitchen-waste item first: what a reader of typical cases looks for
        .order_by(hygiene.desc(), LedgerEntry.opened_at, LedgerEntry.id)
        .limit(1)
    )
    entry = db.session.scalar(stmt)
    if entry is None:
        return None
    return service.from_source("ledger", entry.id) | {
        "title": f"{DEMO_CASE}餐饮服务单位检查发现问题，限期整改后复查核销",
        "found": f"执法人员日常检查中发现，检查项“{entry.item_text.rstrip('。')}”不符合要求。",
        "handling": (
            f"当场下达责令整改通知书，要求于 {entry.due_date:%Y-%m-%d} 前整改到位，"
            "并将该问题列入风险隐患挂账督办。到期复查，问题已整改，隐患核销。"
        ),
        "penalty": "责令限期整改；整改到位，未予行政处罚。",
        "legal_basis": f"{FOOD_SAFETY_LAW}第三十三条；《餐饮服务食品安全操作规范》",
        "show_operator_name": False,
    }


def market_case() -> dict | None:
    """A market's rapid test that found a failing batch, and what was done with it."""
    stmt = (
        db.select(LedgerEntry, Sample)
        .join(Sample, Sample.id == LedgerEntry.sample_id)
        .join(Establishment, Establishment.id == LedgerEntry.establishment_id)
        .where(demo_unit(), Establishment.category == "farm_market", Sample.result == "fail")
        .order_by(Sample.tested_on, Sample.id)
        .limit(1)
    )
    found = db.session.execute(stmt).first()
    if found is None:
        return None
    entry, sample = found
    item = in_chinese(label(TEST_ITEM_LABELS, sample.test_item))
    short = item.split("（")[0]  # 农药残留, without the label's bracketed detail
    actions = [in_chinese(label(BATCH_ACTION_LABELS, a)) for a in sample.batch_actions.split()]
    done = "、".join(actions) if actions else "暂停销售"
    return service.from_source("ledger", entry.id) | {
        "title": f"{DEMO_CASE}农贸市场快检发现{sample.product}{short}不合格，问题批次及时处置",
        "found": (
            f"市场快检室对在售{sample.product}开展{item}快速检测，结果不合格，"
            "系统自动列入风险隐患挂账督办。"
        ),
        "handling": (
            f"问题批次已{done}；执法人员追溯进货来源，通知供货商，"
            "督促市场开办者落实进货查验和承诺达标合格证查验。"
        ),
        "penalty": "不合格批次依法处置，对相关摊位责令整改。",
        "legal_basis": "《中华人民共和国农产品质量安全法》、《食用农产品市场销售质量安全监督管理办法》",
        "show_operator_name": False,
    }


def rural_shop_case() -> dict | None:
    """A rural food shop found 不符合 in a five-goods inspection, its failed items listed."""
    stmt = (
        db.select(Inspection)
        .join(Establishment, Establishment.id == Inspection.establishment_id)
        .where(
            demo_unit(),
            Establishment.category == "rural_shop",
            Inspection.status == "submitted",
            Inspection.superseded.is_(False),
            Inspection.outcome == "noncompliant",
        )
        .order_by(Inspection.submitted_at, Inspection.id)
        .limit(1)
    )
    inspection = db.session.scalar(stmt)
    if inspection is None:
        return None
    failed = db.session.scalars(
        db.select(Answer.item_text)
        .where(Answer.inspection_id == inspection.id, Answer.result == "fail")
        .order_by(Answer.id)
        .limit(3)
    ).all()
    items = "；".join(f"“{text.rstrip('。')}”" for text in failed) or "多项检查内容"
    return service.from_source("inspection", inspection.id) | {
        "title": f"{DEMO_CASE}农村食品经营店“五好”检查结论不符合，责令整改",
        "found": f"执法人员按“五好”标准检查时发现以下检查项不符合要求：{items}。检查结论为不符合。",
        "handling": (
            "责令经营者立即整改，问题项列入风险隐患挂账督办；该店列为重点检查对象，整改期满后复查。"
        ),
        "penalty": "责令改正，整改期满复查；复查仍不符合的依法立案查处。",
        "legal_basis": f"{FOOD_SAFETY_LAW}第五十三条、第五十四条",
        "show_operator_name": False,
    }
