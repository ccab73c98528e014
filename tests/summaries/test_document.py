"""The Word file of a summary, opened back with python-docx: sections, texts and figures."""

import io
from datetime import UTC, datetime

from docx import Document

from app.extensions import db
from app.indicators.catalogue import INDICATORS, LEADS
from app.indicators.periods import parse_period
from app.summaries import service
from app.summaries.document import summary_docx

Q3 = parse_period("2024Q3")
LEAD = LEADS[0]
TEXTS = {
    "work_done": "全市开展农村食品经营店检查 120 次。\n第二段：学校食堂全覆盖。",
    "problems": "部分门店进货查验台账不全。",
    "next_steps": "继续挂账督办，年底前销号。",
}


def opened(data: bytes):
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return doc, paragraphs, tables


def test_the_document_holds_the_three_sections_the_texts_and_the_figures(city, client, login):
    at = datetime(2024, 9, 10, 2, tzinfo=UTC)
    summary = service.submit(city.admin, LEAD, Q3, TEXTS, at)
    db.session.commit()
    doc, paragraphs, tables = opened(summary_docx("义马市", LEAD, Q3, summary, "submitted"))
    assert paragraphs[0] == "义马市食品安全放心工程2024年第3季度工作总结"
    assert f"报送单位：{LEAD}" in paragraphs
    meta = next(p for p in paragraphs if p.startswith("统计期"))
    assert "2024-07-01 至 2024-09-30" in meta and "报送期限：2024-09-20" in meta
    assert "状态：已提交" in meta and f"提交：{city.admin.display_name} 2024-09-10 10:00" in meta
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、工作开展情况", "二、存在问题", "三、下步打算", "四、主要指标"]
    for text in ("全市开展农村食品经营店检查 120 次。", "第二段：学校食堂全覆盖。"):
        assert text in paragraphs, "each line of a section is a paragraph"
    assert TEXTS["problems"] in paragraphs and TEXTS["next_steps"] in paragraphs
    indicators, city_table = tables
    assert indicators[0] == ["指标", "目标", "本期", "分子/分母", "是否达标", "上期"]
    titles = [row[0] for row in indicators[1:]]
    assert titles == [i.title for i in INDICATORS if i.lead == LEAD]
    assert all(row[1].startswith(("≥", "＞")) and "/" in row[3] for row in indicators[1:])
    assert {row[4] for row in indicators[1:]} <= {"达标", "未达标", "无数据"}
    assert city_table[1] == ["本期提交检查（次）", "0"]
    assert city_table[2][1] == "0 / 0 / 0"


def test_counted_figures_reach_the_table(city, make_establishment, make_inspection):
    """A rural shop inspected in the quarter shows in the lead's five-goods figure."""
    shop = make_establishment()
    make_inspection(shop, "five_goods", datetime(2024, 8, 1, 2, tzinfo=UTC))
    _doc, _paragraphs, tables = opened(summary_docx("义马市", LEAD, Q3, None, "late"))
    counted = [row for row in tables[0][1:] if row[3] != "0/0"]
    assert counted, "some indicator counts the inspected shop"
    assert tables[1][1] == ["本期提交检查（次）", "1"]


def test_an_unwritten_summary_still_downloads_and_says_what_is_missing(city):
    _doc, paragraphs, _tables = opened(summary_docx("义马市", LEAD, Q3, None, "late"))
    assert paragraphs.count("（未填写）") == 3
    assert any("状态：逾期" in p for p in paragraphs)
