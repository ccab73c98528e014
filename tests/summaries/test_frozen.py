"""A submitted summary keeps the figures it was sent with (issue #14): a later inspection
changes neither the page nor the Word file until the summary is reopened and sent again."""

import io
import re
from datetime import UTC, datetime
from urllib.parse import quote

from docx import Document

from app.extensions import db
from app.indicators.catalogue import LEADS
from app.indicators.periods import parse_period
from app.summaries import service
from app.summaries.figures import figures, freeze, summary_figures, thaw

Q3 = parse_period("2024Q3")
LEAD = LEADS[0]
AT = datetime(2024, 9, 10, 2, tzinfo=UTC)  # 10:00 local
TEXTS = {"work_done": "开展检查。", "problems": "台账不全。", "next_steps": "继续督办。"}
PAGE = f"/office/summaries/{Q3.code}/{quote(LEAD)}"


def docx_counts(client):
    """The inspections count and the 'data as of' line of the downloaded Word file."""
    response = client.get(f"{PAGE}/download.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    city_table = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    as_of = [p.text for p in doc.paragraphs if p.text.startswith("数据截至")]
    return city_table[1][1], as_of


def page_count(client):
    page = client.get(PAGE).get_data(as_text=True)
    found = re.search(r"本期提交检查（次）</th><td class=\"num\">(\d+)</td>", page)
    return found.group(1), page


def test_submitted_figures_stay_until_reopened_and_sent_again(
    city, client, login, make_establishment, make_inspection
):
    shop = make_establishment()
    make_inspection(shop, "five_goods", datetime(2024, 8, 1, 2, tzinfo=UTC))
    service.submit(city.admin, LEAD, Q3, TEXTS, AT)
    db.session.commit()
    login(city.admin)
    assert docx_counts(client) == ("1", ["数据截至 2024-09-10 10:00（提交时）"])

    make_inspection(make_establishment(), "five_goods", datetime(2024, 8, 2, 2, tzinfo=UTC))
    db.session.commit()
    assert figures(Q3, LEAD)["inspections"] == 2, "the live figures moved on"
    count, page = page_count(client)
    assert count == "1" and "数据截至 2024-09-10 10:00（提交时）" in page
    assert docx_counts(client) == ("1", ["数据截至 2024-09-10 10:00（提交时）"])

    service.reopen(city.admin, service.find(LEAD, Q3), Q3, "数据需更新")
    db.session.commit()
    assert service.find(LEAD, Q3).frozen_figures is None
    count, page = page_count(client)
    assert count == "2" and "数据截至" not in page, "a draft again shows the live figures"
    assert docx_counts(client) == ("2", [])

    later = datetime(2024, 9, 12, 2, tzinfo=UTC)
    service.submit(city.admin, LEAD, Q3, TEXTS, later)
    db.session.commit()
    make_inspection(make_establishment(), "five_goods", datetime(2024, 8, 3, 2, tzinfo=UTC))
    db.session.commit()
    assert docx_counts(client) == ("2", ["数据截至 2024-09-12 10:00（提交时）"])
    assert page_count(client)[0] == "2"


def test_frozen_figures_read_back_as_the_live_ones(city, make_establishment, make_inspection):
    make_inspection(make_establishment(), "five_goods", datetime(2024, 8, 1, 2, tzinfo=UTC))
    live = figures(Q3, LEAD)
    back = thaw(freeze(live), Q3)
    assert back["frozen"] and not live["frozen"]
    assert back["previous"] == live["previous"]
    assert back["inspections"] == live["inspections"] == 1
    for key in ("ledger", "complaints"):
        assert list(back[key]) == list(live[key])
    assert len(back["indicators"]) == len(live["indicators"]) > 0
    for b, r in zip(back["indicators"], live["indicators"], strict=True):
        assert (b["ind"].title, b["ind"].target_text) == (r["ind"].title, r["ind"].target_text)
        assert b["now"].value == r["now"].value and b["prev"].value == r["prev"].value
        assert b["met"] == r["met"] and b["met_text"] == r["met_text"]


def test_a_draft_shows_the_live_figures(city):
    summary = service.save(city.admin, LEAD, Q3, TEXTS, AT)
    db.session.commit()
    assert summary.frozen_figures is None
    assert summary_figures(summary, Q3, LEAD)["frozen"] is False
