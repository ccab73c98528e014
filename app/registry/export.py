"""The registry as spreadsheet rows, which the importer reads back unchanged, and the blank template.

Rows hold dates as dates (date cells in XLSX).
"""

from collections.abc import Iterator
from datetime import date

from flask_babel import force_locale
from sqlalchemy import Select

from app.extensions import db
from app.models import Establishment, Jurisdiction
from app.models.establishment import CATEGORIES, SCHOOL_TYPES
from app.models.jurisdiction import JURISDICTION_KINDS

BATCH = 1000  # rows read from the database at a time while an export streams

# Each header is the importer's first alias for its field, so an export imports unchanged.
EXPORT_HEADERS = [
    "名称", "类别", "学校类型", "辖区", "地址", "许可证或登记号", "许可发证日期", "许可证有效期至",
    "经营者", "联系电话", "纬度", "经度", "食源性疾病监测哨点", "风险等级", "状态", "注销原因",
    "编码",
]  # fmt: skip


def establishment_rows(stmt: Select) -> Iterator[list]:
    """Every establishment the registry's query finds, as rows under EXPORT_HEADERS.

    In Chinese whatever the UI's language: the importer reads these labels back. Rows come
    as they are read, BATCH at a time, for an export that is streamed.
    """
    with force_locale("zh_CN"):
        for est in db.session.scalars(stmt.execution_options(yield_per=BATCH)):
            yield export_row(est)


def export_row(est: Establishment) -> list:
    """One establishment as a row under EXPORT_HEADERS; dates stay dates (date cells in XLSX)."""
    return [
        est.name,
        est.category_label,
        str(SCHOOL_TYPES.get(est.school_type, "")) if est.school_type else "",
        est.jurisdiction.full_name,
        est.address,
        est.licence_no or "",
        est.permit_issued_on,
        est.licence_valid_until,
        est.operator,
        est.contact_phone,
        est.latitude,
        est.longitude,
        "是" if est.surveillance_site else "否",
        est.risk_grade or "",
        "在营" if est.active else "已注销",
        "" if est.active else est.closed_reason,
        est.short_code,
    ]


# The blank template's notes sheet (data in Chinese, as the headers are).
NOTES_HEADERS = ["项目", "可填写的值", "说明"]
NOTES = [
    ["名称、类别、辖区", "", "必填；其余各列可留空。第一行为表头，示例行请删除后再导入"],
    ["许可证或登记号", "", "名录中已有的证号按更新处理：非空的单元格覆盖原值，空单元格不清除原值"],
    ["日期", "2023-05-06、2023/5/6、2023.5.6、2023年5月6日", "也可用 Excel 日期单元格"],
    ["许可证有效期至", "长期", "长期即无截止日期"],
    ["食源性疾病监测哨点", "是 / 否", ""],
    ["风险等级", "A / B / C / D", ""],
    ["状态", "在营 / 已注销", "已注销的可填写注销原因"],
]


def template_sheets() -> dict:
    """The blank import template: the headers with one example row, and a notes sheet."""
    with force_locale("zh_CN"):
        units = list(
            db.session.scalars(
                db.select(Jurisdiction).where(Jurisdiction.active).order_by(Jurisdiction.code)
            )
        )
        example = example_row(units[-1].full_name if units else "新区街道 · 新华社区")
        notes = NOTES + [["类别", str(label), ""] for label in CATEGORIES.values()]
        notes += [["学校类型", str(label), "仅学校食堂填写"] for label in SCHOOL_TYPES.values()]
        notes += [
            ["辖区", u.full_name, f"{JURISDICTION_KINDS[u.kind]}，编码 {u.code}"] for u in units
        ]
    return {"单位名录": (EXPORT_HEADERS[:-1], [example]), "说明": (NOTES_HEADERS, notes)}


def example_row(jurisdiction: str) -> list:
    """The template's example row, one value of each kind under EXPORT_HEADERS."""
    return [
        "示例商店", "农村食品经营店", "", jurisdiction, "示例路1号", "JY14112810000001",
        date(2023, 5, 6), "长期", "张三", "13800000000", "", "", "否", "", "在营", "",
    ]  # fmt: skip
