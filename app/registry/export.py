"""The registry as spreadsheet rows, which the importer reads back unchanged.

Rows hold dates as dates (date cells in XLSX).
"""

from flask_babel import force_locale
from sqlalchemy import Select

from app.extensions import db
from app.models import Establishment
from app.models.establishment import SCHOOL_TYPES

# Each header is the importer's first alias for its field, so an export imports unchanged.
EXPORT_HEADERS = [
    "名称", "类别", "学校类型", "辖区", "地址", "许可证或登记号", "许可发证日期", "许可证有效期至",
    "经营者", "联系电话", "纬度", "经度", "食源性疾病监测哨点", "风险等级", "状态", "注销原因",
    "编码",
]  # fmt: skip


def establishment_rows(stmt: Select) -> list[list]:
    """Every establishment the registry's query finds, as rows under EXPORT_HEADERS.

    In Chinese whatever the UI's language: the importer reads these labels back.
    """
    with force_locale("zh_CN"):
        return [export_row(est) for est in db.session.scalars(stmt)]


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
