"""The office's working-day calendar page (admin only), the CLI, and deadlines on the pages."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.core import workdays
from app.extensions import db
from app.models import CalendarDay, Complaint

UNKNOWN = max(y for y in range(2020, 2100) if workdays.package_knows(y)) + 1


def at_local(y, m, d, hh=10):
    return datetime(y, m, d, hh, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


@pytest.mark.parametrize(("who", "code"), [("viewer", 403), ("inspector", 403), ("admin", 200)])
def test_only_admins_open_the_calendar(client, city, login, who, code):
    login(getattr(city, who))
    assert client.get("/office/calendar?year=2024").status_code == code
    assert client.post("/office/calendar/day", data={"day": "2024-10-08"}).status_code in (
        code,
        400,
    )


def test_the_year_page_lists_holidays_and_make_up_days(client, city, login):
    login(city.admin)
    html = client.get("/office/calendar?year=2024").get_data(as_text=True)
    assert "2024-10-01" in html and "2024-10-12" in html and "国庆节" in html
    assert "2024年节假日未配置" not in html


def test_an_unknown_year_is_flagged_then_imported(client, city, login):
    login(city.admin)
    html = client.get(f"/office/calendar?year={UNKNOWN}").get_data(as_text=True)
    assert f"{UNKNOWN}年节假日未配置" in html
    bad = client.post(
        f"/office/calendar/import?year={UNKNOWN}",
        data={"lines": f"{UNKNOWN}-10-01 休 国庆节\n{UNKNOWN}-10-40 班"},
    )
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "第 2 行" in page and f"{UNKNOWN}-10-01 休 国庆节" in page  # the text is kept
    assert db.session.scalar(db.select(db.func.count()).select_from(CalendarDay)) == 0
    lines = f"{UNKNOWN}-10-01 休 国庆节\n{UNKNOWN}-10-09 班 国庆节"
    ok = client.post(f"/office/calendar/import?year={UNKNOWN}", data={"lines": lines})
    assert ok.status_code == 302
    html = client.get(f"/office/calendar?year={UNKNOWN}").get_data(as_text=True)
    assert f"{UNKNOWN}年节假日未配置" not in html and "管理员录入" in html
    row = db.session.get(CalendarDay, datetime(UNKNOWN, 10, 9).date())
    assert row.is_working_day and row.set_by_id == city.admin.id and row.set_at is not None


def test_one_day_is_corrected_and_given_back(client, city, login):
    login(city.admin)
    day = {"day": "2024-10-08", "mark": "休", "name": "临时"}
    assert client.post("/office/calendar/day", data=day).status_code == 302
    assert not workdays.load_year(2024).days[datetime(2024, 10, 8).date()].is_working_day
    assert (
        client.post("/office/calendar/day", data={"day": "2024-10-08", "mark": "clear"}).status_code
        == 302
    )
    assert datetime(2024, 10, 8).date() not in workdays.load_year(2024).days
    for bad in ({"day": "10/08", "mark": "休"}, {"day": "2024-10-08", "mark": "x"},
                {"day": "2024-10-08", "mark": "休", "name": "名" * 40}):  # fmt: skip
        assert client.post("/office/calendar/day", data=bad).status_code == 400


def test_the_cli_imports_and_shows_a_year(runner, tmp_path):
    path = tmp_path / "year.txt"
    path.write_text(f"{UNKNOWN}-01-01 休 元旦\n{UNKNOWN}-02-07 班 春节\n", encoding="utf-8")
    out = runner.invoke(args=["workdays", "import", str(path), "--year", str(UNKNOWN)])
    assert out.exit_code == 0 and "2 days" in out.output
    shown = runner.invoke(args=["workdays", "show", str(UNKNOWN)])
    assert f"{UNKNOWN}-02-07 班 春节" in shown.output
    path.write_text("2024-13-01 休\n", encoding="utf-8")
    bad = runner.invoke(args=["workdays", "import", str(path), "--year", "2024"])
    assert bad.exit_code != 0 and "第 1 行" in bad.output
    assert runner.invoke(args=["workdays", "sync", "2024"]).exit_code == 0


def test_the_complaint_page_shows_its_working_day_deadline(client, city, login, make_establishment):
    est = make_establishment()
    found = Complaint(
        establishment_id=est.id, text="t", sender_hash="h", created_at=at_local(2024, 9, 25)
    )
    db.session.add(found)
    db.session.commit()
    login(city.admin)
    html = client.get(f"/office/complaints/{found.id}").get_data(as_text=True)
    assert "2024-10-21" in html and "15个工作日" in html and "超期" in html
    listing = client.get("/office/complaints").get_data(as_text=True)
    assert "期限 2024-10-21" in listing  # the next step's deadline (核查办结期限 …)
    client.post("/lang/en")
    english = client.get(f"/office/complaints/{found.id}").get_data(as_text=True)
    assert "15 working days" in english and "Overdue" in english
