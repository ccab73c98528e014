"""User management by the admin."""

from app.extensions import db
from app.models import AuditEvent, User


def test_admin_creates_an_inspector_with_jurisdictions(client, city, login):
    login(city.admin)
    response = client.post(
        "/office/users/new",
        data={
            "username": "zhao",
            "display_name": "赵检查",
            "role": "inspector",
            "jurisdictions": [city.south.id],
            "password": "a-long-password",
            "active": "y",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.username == "zhao"))
    assert [j.id for j in user.jurisdictions] == [city.south.id]
    assert user.check_password("a-long-password")


def test_inspector_needs_a_jurisdiction(client, city, login):
    login(city.admin)
    response = client.post(
        "/office/users/new",
        data={"username": "q", "display_name": "q", "role": "inspector", "password": "a-long-pw"},
    )
    assert "检查员须至少负责一个辖区" in response.get_data(as_text=True)


def test_edit_role_and_deactivate_is_audited(client, city, login):
    login(city.admin)
    client.post(
        f"/office/users/{city.viewer.id}",
        data={"display_name": "查看", "role": "viewer", "jurisdictions": []},
    )  # active unchecked → deactivated
    db.session.refresh(city.viewer)
    assert not city.viewer.active
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "user").order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes["active"] == [True, False]
    assert (
        client.post("/login", data={"username": "viewer", "password": "correct-horse"}).status_code
        == 200
    )


def test_admin_cannot_lock_themselves_out(client, city, login):
    login(city.admin)
    response = client.post(
        f"/office/users/{city.admin.id}",
        data={"display_name": "x", "role": "viewer", "active": "y"},
        follow_redirects=True,
    )
    assert "不能停用自己" in response.get_data(as_text=True)
    db.session.refresh(city.admin)
    assert city.admin.role == "admin"


def test_reset_password(client, city, login):
    login(city.admin)
    response = client.post(
        f"/office/users/{city.inspector.id}/password",
        data={"password": "short"},
        follow_redirects=True,
    )
    assert "密码至少 8 位" in response.get_data(as_text=True)
    client.post(f"/office/users/{city.inspector.id}/password", data={"password": "brand-new-pass"})
    db.session.refresh(city.inspector)
    assert city.inspector.check_password("brand-new-pass")
    event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "reset_password"
    assert "brand-new-pass" not in str(event.changes) + event.summary
