"""The office's area pages: admins only; create, rename, move, merge, close; import with a preview."""

import io

import pytest

from app.extensions import db
from app.models import ImportBatch, Jurisdiction
from app.registry import jurisdictions as units

PAGES = [
    ("get", "/office/jurisdictions"),
    ("get", "/office/jurisdictions/new"),
    ("get", "/office/jurisdictions/import"),
    ("get", "/office/jurisdictions/{id}"),
    ("post", "/office/jurisdictions/new"),
    ("post", "/office/jurisdictions/{id}/rename"),
    ("post", "/office/jurisdictions/{id}/move"),
    ("post", "/office/jurisdictions/{id}/merge"),
    ("post", "/office/jurisdictions/{id}/close"),
    ("post", "/office/jurisdictions/import/confirm"),
]


@pytest.mark.parametrize(("method", "path"), PAGES)
@pytest.mark.parametrize(
    ("who", "status"), [("admin", None), ("viewer", 403), ("inspector", 403), (None, 302)]
)
def test_only_admins_reach_the_area_pages(client, city, login, who, status, method, path):
    if who:
        login(getattr(city, who))
    response = getattr(client, method)(path.format(id=city.north_v.id))
    if status is None:
        assert response.status_code in (200, 302, 400)  # reached the view
        return
    assert response.status_code == status
    db.session.expire_all()
    assert city.north_v.active and city.north_v.name == "石河村"


def test_tree_and_unit_page(client, city, login):
    login(city.admin)
    page = client.get("/office/jurisdictions").get_data(as_text=True)
    assert "新区街道" in page and "石河村" in page and "XQ-02" in page
    unit = client.get(f"/office/jurisdictions/{city.north_v.id}").get_data(as_text=True)
    assert "调整所属街道" in unit and "合并" in unit and "撤销本辖区" in unit
    assert "辖区管理" in client.get("/office/").get_data(as_text=True)


def test_empty_database_says_how_to_start(client, app):
    from tests.factories import make_user

    admin = make_user("first", "admin")
    db.session.commit()
    client.post("/login", data={"username": "first", "password": "correct-horse"})
    page = client.get("/office/jurisdictions").get_data(as_text=True)
    assert "还没有任何辖区" in page and "flask areas load-yima" in page
    assert admin.role == "admin"


def test_create_a_village(client, city, login):
    login(city.admin)
    data = {"code": " XQ-09 ", "name": "新村", "kind": "village", "parent_id": city.north.id}
    response = client.post("/office/jurisdictions/new", data=data)
    assert response.status_code == 302
    assert units.by_code("XQ-09").full_name == "新区街道 · 新村"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "XQ", "name": "又一个", "kind": "street", "parent_id": 0}, "已被使用"),
        ({"code": "N1", "name": "某村", "kind": "village", "parent_id": 0}, "必须属于"),
        ({"code": "", "name": "", "kind": "street", "parent_id": 0}, "请填写此项"),
    ],
)
def test_create_refusals_are_shown_on_the_form(client, city, login, data, message):
    login(city.admin)
    response = client.post("/office/jurisdictions/new", data=data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_rename_move_merge_close(client, city, login, make_establishment):
    login(city.admin)
    base = f"/office/jurisdictions/{city.north_v.id}"
    client.post(f"{base}/rename", data={"name": "石河新村", "kind": "village"})
    client.post(f"{base}/move", data={"parent_id": city.south.id})
    db.session.expire_all()
    assert city.north_v.full_name == "东区街道 · 石河新村"
    shop = make_establishment(jurisdiction_id=city.north_v.id)
    refused = client.post(f"{base}/close", follow_redirects=True).get_data(as_text=True)
    assert "还有在营单位" in refused
    client.post(f"{base}/merge", data={"target_id": city.south_v.id})
    db.session.expire_all()
    assert shop.jurisdiction_id == city.south_v.id and not city.north_v.active
    page = client.get(base).get_data(as_text=True)
    assert "已撤销" in page and "并入" in page and "改名" not in page
    edit = client.get(f"/office/establishments/{shop.id}/edit").get_data(as_text=True)
    assert "石河新村" not in edit  # a closed unit leaves the pickers


def test_closed_units_leave_user_assignment(client, city, login):
    for child in (city.south_c, city.south_v):
        units.close(None, child)
    units.close(None, city.south)
    db.session.commit()
    login(city.admin)
    page = client.get("/office/users/new").get_data(as_text=True)
    assert "新区街道" in page and "东区街道" not in page


def post_file(client, data: bytes, name: str):
    return client.post(
        "/office/jurisdictions/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def token_of(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def test_import_preview_then_confirm_twice(client, city, login):
    login(city.admin)
    text = "编码,名称,上级编码,类型\nXQ-02,石河新村,XQ,村\nXQ-10,新设社区,XQ,社区\nXQ-11,,XQ,村\n"
    preview = post_file(client, text.encode("gb18030"), "areas.csv")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "新建 1，更新 1，无变化 0，拒绝 1" in page and "缺少名称" in page
    assert units.by_code("XQ-10") is None and city.north_v.name == "石河村"
    token = token_of(page)
    first = client.post("/office/jurisdictions/import/confirm", data={"token": token})
    second = client.post(
        "/office/jurisdictions/import/confirm", data={"token": token}, follow_redirects=True
    )
    assert first.status_code == 302
    assert "没有重复导入" in second.get_data(as_text=True)
    db.session.expire_all()
    assert units.by_code("XQ-10").full_name == "新区街道 · 新设社区"
    assert city.north_v.name == "石河新村"
    count = db.session.scalar(db.select(db.func.count(Jurisdiction.id)))
    assert count == 7
    batch = db.session.scalar(db.select(ImportBatch))
    assert batch.kind == "jurisdictions" and batch.result["new"] == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"a,b\n1,2\n", "x.csv", "找不到表头"),
        (b"not a workbook", "x.xlsx", "无法读取"),
        (b"code,name\n", "x.txt", "只支持"),
    ],
)
def test_unusable_upload_is_refused_on_the_form(client, city, login, data, name, message):
    login(city.admin)
    response = post_file(client, data, name)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["", "../etc/passwd", "x" * 20 + ".csv"])
def test_unknown_or_forged_token_is_not_a_500(client, city, login, token):
    login(city.admin)
    response = client.post(
        "/office/jurisdictions/import/confirm", data={"token": token}, follow_redirects=True
    )
    assert response.status_code == 200 and "预览已过期" in response.get_data(as_text=True)


def test_an_upload_purges_day_old_unconfirmed_ones(client, app, city, login):
    from datetime import timedelta

    from app.models.types import utcnow

    login(city.admin)
    old = post_file(client, "编码,名称,类型\nS9,某街道,街道\n".encode(), "a.csv")
    db.session.execute(db.update(ImportBatch).values(created_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    post_file(client, "编码,名称,类型\nS8,另一街道,街道\n".encode(), "b.csv")
    tokens = db.session.scalars(db.select(ImportBatch.token)).all()
    assert tokens and token_of(old.get_data(as_text=True)) not in tokens


def test_merge_form_is_hidden_without_a_target(client, app):
    from tests.factories import make_user

    make_user("first", "admin")
    alone = units.create(None, "S1", "唯一街道", "street")
    db.session.commit()
    client.post("/login", data={"username": "first", "password": "correct-horse"})
    page = client.get(f"/office/jurisdictions/{alone.id}").get_data(as_text=True)
    assert "撤销本辖区" in page and "合并并撤销本辖区" not in page
    units.create(None, "S2", "另一街道", "street")
    db.session.commit()
    page = client.get(f"/office/jurisdictions/{alone.id}").get_data(as_text=True)
    assert "合并并撤销本辖区" in page


def test_a_refused_form_keeps_the_other_forms_filled(client, city, login):
    login(city.admin)
    response = client.post(
        f"/office/jurisdictions/{city.north_v.id}/rename", data={"name": "", "kind": "village"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "请填写此项" in page
    response = client.post(
        f"/office/jurisdictions/{city.north_v.id}/merge", data={"target_id": 999}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="石河村"' in page


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_area_pages_render_in_both_languages(client, city, login, lang):
    login(city.admin)
    client.set_cookie("lang", lang)
    preview = post_file(client, "编码,名称,类型\nS1,某街道,街道\n".encode(), "a.csv")
    assert preview.status_code == 200
    for path in ("", "/new", "/import", f"/{city.north.id}", f"/{city.north_v.id}"):
        assert client.get(f"/office/jurisdictions{path}").status_code == 200, path


def test_a_code_taken_in_a_race_is_a_message_not_a_500(client, city, login, monkeypatch):
    monkeypatch.setattr(units, "check_code", lambda code: code)  # the other admin won
    login(city.admin)
    data = {"code": "XQ", "name": "又一个街道", "kind": "street", "parent_id": 0}
    response = client.post("/office/jurisdictions/new", data=data)
    assert response.status_code == 200 and "编码已被使用" in response.get_data(as_text=True)


def test_a_failed_confirm_gives_the_batch_back(client, city, login, monkeypatch):
    from app.registry import jurisdiction_import as area_import

    login(city.admin)
    page = post_file(client, "编码,名称,类型\nS1,某街道,街道\n".encode(), "a.csv")
    token = token_of(page.get_data(as_text=True))
    monkeypatch.setattr(units, "check_code", lambda code: "XQ")  # taken meanwhile
    response = client.post(
        "/office/jurisdictions/import/confirm", data={"token": token}, follow_redirects=True
    )
    assert "未导入任何数据" in response.get_data(as_text=True)
    assert units.by_code("S1") is None
    monkeypatch.undo()
    client.post("/office/jurisdictions/import/confirm", data={"token": token})
    assert units.by_code("S1").name == "某街道"
    assert area_import.KIND == "jurisdictions"
