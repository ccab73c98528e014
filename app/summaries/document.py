"""The written summary as a Word (.docx) document, how departments send it to the office.

Always in Chinese whatever the reader's language (it is the official text): a title, the
period, deadline and submission, the three written sections, then the prefilled figures.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.clock import format_local
from app.core.labels import SUMMARY_STATUS_LABELS
from app.indicators.charts import percent
from app.indicators.periods import Period
from app.models.summary import DepartmentSummary
from app.summaries.deadlines import deadline
from app.summaries.figures import summary_figures
from app.summaries.service import SECTIONS

FONT = "仿宋"  # the usual face of official documents; Word falls back where it is missing
NUMERALS = ("一", "二", "三", "四", "五")


def set_font(style, name: str, size: float) -> None:
    """A style's font, East Asian text included (python-docx sets only the Latin one)."""
    style.font.name, style.font.size = name, Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def count(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def summary_docx(
    city: str, lead: str, period: Period, summary: DepartmentSummary | None, status: str
) -> bytes:
    """The summary of a lead department for a period (empty sections say so) as .docx bytes."""
    with force_locale("zh_CN"):
        return build(city, lead, period, summary, status, summary_figures(summary, period, lead))


def build(city, lead, period, summary, status, figs) -> bytes:
    doc = Document()
    set_font(doc.styles["Normal"], FONT, 12)
    for name in ("Title", "Heading 1", "Heading 2"):
        set_font(doc.styles[name], "黑体", {"Title": 18, "Heading 1": 14, "Heading 2": 12}[name])
    title = doc.add_heading(
        _("%(city)s食品安全放心工程%(period)s工作总结", city=city, period=period.label), level=0
    )
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head = doc.add_paragraph(_("报送单位：%(lead)s", lead=lead))
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = [
        _("统计期：%(a)s 至 %(b)s", a=period.start.isoformat(), b=period.last_day.isoformat()),
        _("报送期限：%(d)s", d=deadline(period).isoformat()),
        _("状态：%(s)s", s=SUMMARY_STATUS_LABELS[status]),
    ]
    if summary is not None and summary.submitted_at:
        who = summary.submitted_by.display_name if summary.submitted_by else ""
        meta.append(_("提交：%(who)s %(at)s", who=who, at=format_local(summary.submitted_at)))
    doc.add_paragraph("；".join(str(m) for m in meta))
    for i, (name, heading) in enumerate(SECTIONS.items()):
        doc.add_heading(f"{NUMERALS[i]}、{heading}", level=1)
        text = getattr(summary, name, "") if summary is not None else ""
        paragraphs = [p.strip() for p in (text or "").split("\n") if p.strip()]
        for paragraph in paragraphs or [_("（未填写）")]:
            doc.add_paragraph(paragraph)
    doc.add_heading(f"{NUMERALS[len(SECTIONS)]}、{_('主要指标')}", level=1)
    if figs["frozen"]:
        doc.add_paragraph(_("数据截至 %(at)s（提交时）", at=format_local(summary.submitted_at)))
    figures_table(doc, figs)
    doc.add_paragraph(_("以上数据由系统按季度/年度报告口径自动生成。"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def figures_table(doc, figs) -> None:
    """The lead's indicators, then the city's inspections, ledger and complaints."""
    heads = (_("指标"), _("目标"), _("本期"), _("分子/分母"), _("是否达标"), _("上期"))
    rows = [
        (
            r["ind"].title,
            r["ind"].target_text,
            percent(r["now"].value),
            f"{count(r['now'].num)}/{count(r['now'].den)}",
            r["met_text"],
            percent(r["prev"].value),
        )
        for r in figs["indicators"]
    ] or [(_("该单位本期没有规划指标。"), "", "", "", "", "")]
    table_of(doc, heads, rows)
    opened, closed, overdue = figs["ledger"]
    received, done, still_open = figs["complaints"]
    others = [
        (_("本期提交检查（次）"), count(figs["inspections"])),
        (_("挂账隐患：本期新增 / 本期销号 / 期末逾期未销号"), f"{opened} / {closed} / {overdue}"),
        (_("投诉举报：本期收到 / 本期办结 / 期末未办结"), f"{received} / {done} / {still_open}"),
    ]
    doc.add_paragraph()
    table_of(doc, (_("全市情况"), _("数量")), others)


def table_of(doc, heads, rows) -> None:
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)
