"""The assessment page and its workbook: who sees them, bad periods, what they hold."""

import io

import pytest
from openpyxl import load_workbook


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("viewer", 200), ("inspector", 403)])
def test_access(city, client, login, role, status):
    login(getattr(city, role))
    assert client.get("/office/assessment?period=2024Q3").status_code == status
    assert client.get("/office/assessment/2024Q3.xlsx").status_code == status


def test_the_page_ranks_offices_and_states_the_rule(city, client, login):
    login(city.viewer)
    page = client.get("/office/assessment?period=2024Q3").get_data(as_text=True)
    assert "新区街道" in page and "东区街道" in page
    assert "Σ 权重 × min(1, 完成率 ÷ 目标值)" in page


@pytest.mark.parametrize("code", ["2024Q5", "0000Q1", "abc", "2024-03-01_2024-02-01"])
def test_a_bad_period_is_a_400_in_chinese(city, client, login, code):
    login(city.viewer)
    page = client.get(f"/office/assessment?period={code}")
    assert page.status_code == 400 and "统计期无法识别" in page.get_data(as_text=True)


def test_a_bad_period_in_the_download_is_a_404(city, client, login):
    login(city.viewer)
    page = client.get("/office/assessment/2024Q9.xlsx")
    assert page.status_code == 404 and "统计期无法识别" in page.get_data(as_text=True)


def test_the_workbook(city, client, login):
    login(city.admin)
    response = client.get("/office/assessment/2024Q3.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    ranking = list(book.worksheets[0].values)
    assert ranking[0][:3] == ("排名", "街道", "得分")
    assert {row[1] for row in ranking[1:]} == {"新区街道", "东区街道"}
    weights = list(book.worksheets[1].values)
    assert any(row[0] == "挂账隐患按期销号率" for row in weights)
