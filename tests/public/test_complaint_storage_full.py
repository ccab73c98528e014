"""A complaint with a photo while the photo store is full: the complaint is recorded, the
photo refused with a clear message (507), nothing else lost."""

from __future__ import annotations

from app.extensions import db
from app.models import AuditEvent, Complaint, Photo

from .test_complaint_photos import send

FULL = "存储空间已满，请联系管理员"


def test_the_complaint_is_kept_and_the_photo_refused_with_a_message(client, shop, jpeg, full_disk):
    response = send(client, shop, jpeg, text="后厨老鼠出没", phone="13803981234")
    page = response.get_data(as_text=True)
    assert response.status_code == 507
    assert f"举报内容已收到，但照片未能保存：{FULL}。" in page
    assert "举报已提交" in page
    db.session.expire_all()
    [complaint] = db.session.scalars(db.select(Complaint)).all()
    assert (complaint.text, complaint.phone, complaint.establishment_id) == (
        "后厨老鼠出没",
        "13803981234",
        shop.id,
    )
    assert db.session.scalars(db.select(Photo)).all() == []
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "create"))


def test_without_a_photo_a_full_store_changes_nothing(client, shop, full_disk):
    assert send(client, shop, None).status_code == 303
    assert db.session.scalar(db.select(db.func.count(Complaint.id))) == 1
