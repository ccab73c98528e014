"""The office's complaint pages: the citizen's line breaks kept, near-duplicates folded."""

import re
from pathlib import Path

from app.extensions import db
from app.models import Complaint
from app.public.complaints import submit_complaint


def test_the_citizens_line_breaks_are_shown(app, client, city, login, shop):
    text = "\r\n".join(["第一行：冷菜间无防蝇设施", "第二行：服务员未戴口罩", "", "第四行"])
    sent = client.post(f"/q/{shop.qr_token}/complaint", data={"text": text})
    assert sent.status_code == 303
    complaint = db.session.scalar(db.select(Complaint))
    login(city.admin)
    html = client.get(f"/office/complaints/{complaint.id}").get_data(as_text=True)
    shown = re.search(r'<dd class="complaint-text">(.*?)</dd>', html, re.S).group(1)
    assert shown == "第一行：冷菜间无防蝇设施\n第二行：服务员未戴口罩\n\n第四行"
    css = (Path(app.static_folder) / "css/app.css").read_text(encoding="utf-8")
    assert re.search(r"\.complaint-text \{[^}]*white-space: pre-wrap", css)


def flood(shop, other):
    copies = [submit_complaint(shop, f"这家店太脏了{'！' * n}", "", f"s{n}", 9) for n in range(5)]
    real = submit_complaint(shop, "吃了凉皮后腹泻，两人就医", "", "s9", 9)
    submit_complaint(other, "这家店太脏了", "", "s10", 9)
    db.session.commit()
    return copies, real


def test_the_queue_folds_near_duplicates(client, city, login, shop, make_establishment):
    copies, real = flood(shop, make_establishment(name="另一家店"))
    login(city.admin)
    html = client.get("/office/complaints").get_data(as_text=True)
    assert html.count("这家店太脏了") == 2  # one of the five, and the other shop's
    assert "吃了凉皮后腹泻" in html
    assert html.count("条相似") == 1 and "4 条相似" in html
    lead = copies[-1]  # the newest of them
    assert f'href="/office/complaints/{lead.id}/similar"' in html
    detail = client.get(f"/office/complaints/{lead.id}").get_data(as_text=True)
    assert "相似举报" in detail and "4 条相似" in detail
    assert "相似举报" not in client.get(f"/office/complaints/{real.id}").get_data(as_text=True)


def test_the_similar_page_lists_them(client, city, login, shop, make_establishment):
    copies, real = flood(shop, make_establishment(name="另一家店"))
    login(city.viewer)
    response = client.get(f"/office/complaints/{copies[0].id}/similar")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "共 4 条" in html
    for c in copies:
        assert f'href="/office/complaints/{c.id}"' in html
    assert f'href="/office/complaints/{real.id}"' not in html
    login(city.other_inspector)  # covers the south; the shop is in the north
    assert client.get(f"/office/complaints/{copies[0].id}/similar").status_code == 404


def test_the_queue_in_english(client, city, login, shop, make_establishment):
    flood(shop, make_establishment(name="另一家店"))
    login(city.admin)
    client.post("/lang/en")
    html = client.get("/office/complaints").get_data(as_text=True)
    assert "4 similar" in html and "条相似" not in html


def test_a_full_reply_with_line_breaks_is_saved_as_typed(client, city, login, shop):
    complaint = submit_complaint(shop, "冷菜间无防蝇设施", "", "s1", 9)
    db.session.commit()
    login(city.admin)
    reply = "\r\n".join(["一" * 199] * 10)  # 1,999 with 9 breaks; 2,008 as CRLF
    response = client.post(
        f"/office/complaints/{complaint.id}/reply", data={"reply": reply, "step": "save"}
    )
    assert response.status_code == 302
    db.session.refresh(complaint)
    assert complaint.reply == reply.replace("\r\n", "\n")
