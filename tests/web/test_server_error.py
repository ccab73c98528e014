"""An unexpected error rolls the session back and shows the styled 500 page."""

from app.extensions import db
from app.models import Jurisdiction


def test_500_rolls_back_and_renders(app, city):
    app.testing = False  # let the 500 handler run instead of propagating

    @app.route("/boom")
    def boom():
        db.session.add(Jurisdiction(code="ZZ", name="不应保存", kind="street"))
        db.session.flush()
        raise RuntimeError("boom")

    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert "服务器出错了" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(db.select(Jurisdiction).where(Jurisdiction.code == "ZZ")) is None
