"""Who writes a lead department's summary (issue #14): admins any department's, a viewer
account whose lead department is set only that one's (not reopening it), inspectors never."""

import re
from urllib.parse import quote

import pytest

from app.core.clock import local_today
from app.extensions import db
from app.indicators.catalogue import LEADS
from app.indicators.periods import quarter_of
from app.models import DepartmentSummary
from app.models.types import utcnow
from app.summaries import service
from tests.factories import make_user

LEAD, OTHER = LEADS[1], LEADS[2]
TEXTS = {"work_done": "开展检查。", "problems": "台账不全。", "next_steps": "继续督办。"}


def url(code, lead=LEAD, tail=""):
    return f"/office/summaries/{code}/{quote(lead)}{tail}"


def account(city, who):
    """The user each case signs in as (None: nobody)."""
    if who == "viewer_own":
        user = make_user("dept_viewer", "viewer")
        user.lead = LEAD
    elif who == "viewer_other":
        user = make_user("other_viewer", "viewer")
        user.lead = OTHER
    elif who == "viewer_none":
        user = city.viewer
    else:
        user = getattr(city, who) if who else None
    db.session.commit()
    return user


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 302),
        ("viewer_own", 302),
        ("viewer_other", 403),
        ("viewer_none", 403),
        ("inspector", 403),
        (None, 302),
    ],
)
def test_who_may_save_and_submit_a_departments_summary(client, city, login, who, status):
    code = quarter_of(local_today()).code
    user = account(city, who)
    if user is not None:
        login(user)
    page = client.get(url(code))
    for action in ("save", "submit"):
        response = client.post(url(code), data=TEXTS | {"action": action})
        assert response.status_code == status
        if who is None:
            assert "/login" in response.headers["Location"]
    found = db.session.scalar(db.select(DepartmentSummary))
    if who in ("admin", "viewer_own"):
        assert found.state == "submitted" and found.submitted_by_id == user.id
        assert "保存草稿" in page.get_data(as_text=True), "the form is offered"
    else:
        assert found is None
        if page.status_code == 200:
            assert "保存草稿" not in page.get_data(as_text=True)
    if who is None or who == "inspector":
        assert page.status_code == (302 if who is None else 403)


def test_a_departments_viewer_submits_but_does_not_reopen(client, city, login):
    code = quarter_of(local_today()).code
    login(account(city, "viewer_own"))
    assert client.post(url(code), data=TEXTS | {"action": "submit"}).status_code == 302
    page = client.get(url(code)).get_data(as_text=True)
    assert "已提交" in page and "/reopen" not in page, "no reopen form"
    assert client.post(url(code, tail="/reopen"), data={"reason": "改"}).status_code == 403
    assert db.session.scalar(db.select(DepartmentSummary)).state == "submitted"
    other = client.post(url(code, lead=OTHER), data=TEXTS | {"action": "save"})
    assert other.status_code == 403


def test_the_service_refuses_another_departments_viewer(city):
    viewer = account(city, "viewer_other")
    assert service.may_edit(viewer, OTHER) and not service.may_edit(viewer, LEAD)
    period = quarter_of(local_today())
    with pytest.raises(service.SummaryDenied):
        service.submit(viewer, LEAD, period, TEXTS, utcnow())
    city.inspector.lead = LEAD  # a department on an inspector's account gives no right
    assert not service.may_edit(city.inspector, LEAD)
    assert service.may_edit(city.admin, LEAD) and service.may_edit(city.admin, OTHER)


def test_the_rule_is_on_the_pages(client, city, login):
    login(city.viewer)
    code = quarter_of(local_today()).code
    for path in (f"/office/summaries?period={code}", url(code)):
        page = client.get(path).get_data(as_text=True)
        assert "账号登记了所属牵头单位的查看者" in page and "检查员不能填写" in page


def test_the_overview_offers_to_write_only_what_the_account_may(client, city, login):
    code = quarter_of(local_today()).code
    login(account(city, "viewer_own"))
    page = client.get(f"/office/summaries?period={code}").get_data(as_text=True)
    write = re.findall(r'<a href="([^"]+)">填写</a>', page)
    assert write == [url(code)], "only its own department's row"
    assert page.count(">填写</a>") == 1 and page.count(">打开</a>") == len(LEADS) - 1
