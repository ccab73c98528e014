"""Which column of a register holds which field: known titles, a guess, remembered choices."""

import hashlib

from flask_babel import lazy_gettext as _l

from app.core.text import normalise_header
from app.extensions import db
from app.models import ColumnMapping

KIND = "establishments"
# Column titles as the office's spreadsheets spell them, mapped to our fields; the first is
# ours (the export's header), and an earlier title wins over a later one (联系电话 over 电话).
HEADER_ALIASES = {
    "name": ("名称", "单位名称", "店名", "经营者名称", "企业名称", "商户名称", "name"),
    "category": ("类别", "类型", "业态", "单位类别", "经营类别", "category"),
    "school_type": ("学校类型", "school_type"),
    "jurisdiction": ("辖区", "所属辖区", "社区/村", "社区(村)", "所属社区", "社区", "村",
                     "jurisdiction"),
    "address": ("地址", "经营地址", "经营场所", "住所", "address"),
    "licence_no": ("许可证或登记号", "许可证号", "许可证编号", "登记号", "备案号", "登记证号",
                   "licence_no"),
    "permit_issued_on": ("许可发证日期", "发证日期", "许可日期", "permit_issued_on"),
    "licence_valid_until": ("许可证有效期至", "有效期至", "有效期", "有效期限",
                            "licence_valid_until"),
    "operator": ("经营者", "负责人", "法定代表人", "法定代表人(负责人)", "operator"),
    "contact_phone": ("联系电话", "联系方式", "手机", "手机号码", "电话", "contact_phone"),
    "latitude": ("纬度", "latitude"),
    "longitude": ("经度", "longitude"),
    "surveillance_site": ("食源性疾病监测哨点", "监测哨点", "哨点", "surveillance_site"),
    "risk_grade": ("风险等级", "risk_grade"),
    "status": ("状态", "经营状态", "status"),
    "closed_reason": ("注销原因", "closed_reason"),
}  # fmt: skip
REQUIRED = ("name", "category", "jurisdiction")
FIELD_LABELS = {
    "name": _l("名称"),
    "category": _l("类别"),
    "school_type": _l("学校类型"),
    "jurisdiction": _l("辖区"),
    "address": _l("地址"),
    "licence_no": _l("许可证或登记号"),
    "permit_issued_on": _l("许可发证日期"),
    "licence_valid_until": _l("许可证有效期至"),
    "operator": _l("经营者"),
    "contact_phone": _l("联系电话"),
    "latitude": _l("纬度"),
    "longitude": _l("经度"),
    "surveillance_site": _l("食源性疾病监测哨点"),
    "risk_grade": _l("风险等级"),
    "status": _l("状态"),
    "closed_reason": _l("注销原因"),
}
RANK = {
    normalise_header(alias): (field, rank)
    for field, aliases in HEADER_ALIASES.items()
    for rank, alias in enumerate(aliases)
}
KNOWN_TITLES = frozenset(RANK)


def guess_columns(header: list[str]) -> dict[str, int]:
    """Each field's column by its title; of two titles for one field the better known wins."""
    best: dict[str, tuple[int, int]] = {}
    for i, title in enumerate(header):
        if title in RANK:
            name, rank = RANK[title]
            if name not in best or rank < best[name][0]:
                best[name] = (rank, i)
    return {name: i for name, (_rank, i) in best.items()}


def missing_columns(columns: dict[str, int]) -> list[str]:
    """The required fields no column is chosen for."""
    return [name for name in REQUIRED if name not in columns]


def signature(header: list[str]) -> str:
    """The header's shape: a sha256 of its normalised titles."""
    return hashlib.sha256("\x1f".join(header).encode()).hexdigest()


def remembered(header: list[str]) -> dict[str, int] | None:
    """The mapping a clerk chose for a file with this header before, if any."""
    saved = db.session.scalar(
        db.select(ColumnMapping).where(
            ColumnMapping.kind == KIND, ColumnMapping.header_signature == signature(header)
        )
    )
    if saved is None:
        return None
    return {
        k: int(v) for k, v in saved.mapping.items() if k in HEADER_ALIASES and int(v) < len(header)
    }


def remember(header: list[str], columns: dict[str, int]) -> None:
    """Keep the clerk's mapping for the next file of the same header shape (flushed)."""
    sig = signature(header)
    saved = db.session.scalar(
        db.select(ColumnMapping).where(
            ColumnMapping.kind == KIND, ColumnMapping.header_signature == sig
        )
    )
    if saved is None:
        saved = ColumnMapping(kind=KIND, header_signature=sig)
        db.session.add(saved)
    saved.mapping = dict(columns)
    db.session.flush()
