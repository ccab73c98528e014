"""The insiders' channel (内部吹哨人): the identity apart, for admins only, every read audited;
the reports themselves invisible to viewers and inspectors."""

import pytest

from app.extensions import db
from app.indicators import get_indicator, parse_period
from app.indicators.rollup import make_scope, rollup
from app.models import AuditEvent, Complaint
from app.models.complaint import ReporterIdentity
from app.public.complaints import submit_complaint

NAME, CONTACT, RELATION = "钱多多", "13700001111", "后厨帮工"
TEXT = "老板让我们把过期的肉馅重新做成包子"


@pytest.fixture
def insider(client, shop):
    """An insider's report sent through the public form; the client is signed out after."""
    data = {"text": TEXT, "name": NAME, "contact": CONTACT, "relation": RELATION}
    sent = client.post(f"/q/{shop.qr_token}/insider", data=data)
    assert sent.status_code == 303
    thanks = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "回执码" in thanks and NAME not in thanks
    return db.session.scalar(db.select(Complaint).where(Complaint.insider.is_(True)))


def reads(complaint) -> int:
    stmt = db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action == "read_identity", AuditEvent.entity_id == complaint.id
    )
    return db.session.scalar(stmt)


def test_the_identity_is_kept_apart(insider):
    assert insider.kind == "report" and insider.phone == "" and insider.reporter_name == ""
    identity = db.session.scalar(db.select(ReporterIdentity))
    assert (identity.complaint_id, identity.name, identity.contact, identity.relation) == (
        insider.id,
        NAME,
        CONTACT,
        RELATION,
    )
    created = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity_id == insider.id))
    assert NAME not in str(created.changes) + created.summary


def test_reporting_anonymously_from_inside(client, shop):
    sent = client.post(f"/q/{shop.qr_token}/insider", data={"text": TEXT})
    assert sent.status_code == 303
    assert db.session.scalar(db.select(db.func.count(ReporterIdentity.id))) == 0
    bad = client.post(f"/q/{shop.qr_token}/insider", data={"text": ""})
    assert bad.status_code == 400 and "请写下您看到的问题" in bad.get_data(as_text=True)


ROLES = ["viewer", "inspector", "other_inspector"]


@pytest.mark.parametrize("role", ROLES)
def test_viewers_and_inspectors_never_see_it(client, city, login, shop, insider, role):
    public = submit_complaint(shop, "普通举报：地面有积水", "", "s1", 9)
    db.session.commit()
    login(getattr(city, role))
    queue = client.get("/office/complaints").get_data(as_text=True)
    assert TEXT not in queue and "内部举报" not in queue
    if role != "other_inspector":
        assert "普通举报" in queue
    assert client.get(f"/office/complaints/{insider.id}").status_code == 404
    assert client.get(f"/office/complaints/{insider.id}/similar").status_code == 404
    assert client.post(f"/office/complaints/{insider.id}/identity").status_code == 403
    reward = {"reward_status": "paid"}
    assert client.post(f"/office/complaints/{insider.id}/reward", data=reward).status_code == 403
    assert client.get("/office/complaints?kind=insider").get_data(as_text=True).count(TEXT) == 0
    assert reads(insider) == 0
    assert public.id


@pytest.mark.parametrize(
    ("role", "queue", "detail", "identity"),
    [
        ("admin", 200, 200, 200),
        ("viewer", 200, 404, 403),
        ("inspector", 200, 404, 403),
        ("other_inspector", 200, 404, 403),
    ],
)
def test_access_rules(client, city, login, insider, role, queue, detail, identity):
    login(getattr(city, role))
    assert client.get("/office/complaints").status_code == queue
    assert client.get(f"/office/complaints/{insider.id}").status_code == detail
    assert client.post(f"/office/complaints/{insider.id}/identity").status_code == identity


def test_anonymous_visitors_are_sent_to_sign_in(client, insider):
    assert client.get(f"/office/complaints/{insider.id}").status_code in (302, 401)
    assert client.post(f"/office/complaints/{insider.id}/identity").status_code in (302, 401)


def test_an_admin_sees_it_and_each_identity_read_is_audited(client, city, login, insider):
    login(city.admin)
    assert TEXT in client.get("/office/complaints?kind=insider").get_data(as_text=True)
    page = client.get(f"/office/complaints/{insider.id}").get_data(as_text=True)
    assert TEXT in page and "查看举报人身份" in page
    assert NAME not in page and CONTACT not in page  # only when asked for
    for n in (1, 2):
        shown = client.post(f"/office/complaints/{insider.id}/identity")
        html = shown.get_data(as_text=True)
        assert shown.headers["Cache-Control"] == "private, no-store"
        assert NAME in html and CONTACT in html and RELATION in html
        assert reads(insider) == n
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "read_identity"))
    assert event.user_id == city.admin.id and NAME not in str(event.changes)
    history = client.get(f"/office/complaints/{insider.id}").get_data(as_text=True)
    assert history.count("查看内部举报人身份") == 2 and NAME not in history


def test_the_reward_is_tracked_by_admins(client, city, login, insider):
    login(city.admin)
    assert insider.reward_status == "none"
    for status in ("reviewing", "paid"):
        done = client.post(
            f"/office/complaints/{insider.id}/reward", data={"reward_status": status}
        )
        assert done.status_code == 302
        db.session.refresh(insider)
        assert insider.reward_status == status
    bad = client.post(f"/office/complaints/{insider.id}/reward", data={"reward_status": "x"})
    assert bad.status_code == 400 and "请选择奖励状态" in bad.get_data(as_text=True)
    page = client.get(f"/office/complaints/{insider.id}").get_data(as_text=True)
    assert "举报奖励：已发放" in page


def test_an_ordinary_complaint_has_no_identity_or_reward(client, city, login, shop):
    c = submit_complaint(shop, "普通举报", "", "s1", 9)
    db.session.commit()
    login(city.admin)
    assert client.post(f"/office/complaints/{c.id}/identity").status_code == 404
    assert (
        client.post(f"/office/complaints/{c.id}/reward", data={"reward_status": "paid"}).status_code
        == 404
    )


def test_insider_reports_are_not_in_the_indicator(app, insider, shop):
    submit_complaint(shop, "普通举报", "", "s1", 9)
    db.session.commit()
    period = parse_period(f"{insider.created_at.year}Q{(insider.created_at.month - 1) // 3 + 1}")
    scope = make_scope(
        period, None, now=insider.created_at.replace(year=insider.created_at.year + 1)
    )
    assert rollup(get_indicator("complaints_15_days"), scope)[None].den == 1
