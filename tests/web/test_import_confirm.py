"""The establishment import's confirm: once only, replays show the result, uploads expire,
the blank template, and the column mapping step remembered per header shape."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.core import imports
from app.extensions import db
from app.models import ColumnMapping, Establishment, ImportBatch
from app.models.types import utcnow
from tests.factories import PASSWORD
from tests.registry.importing import confirm, count, upload

CLEAN = "名称,类别,辖区,许可证号\n甲店,超市,苗村,JY1\n乙店,小摊点,石河村,JY2\n".encode()
ODD = "店铺,行业,片区,备注\n甲店,超市,苗村,x\n乙店,小摊点,石河村,y\n".encode()


def token_of(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


@pytest.fixture
def admin(client, city, login):
    login(city.admin)
    return city


def test_a_double_confirm_imports_once_and_shows_the_first_result(client, admin):
    page = upload(client, CLEAN, "a.csv").get_data(as_text=True)
    first = confirm(client, page, "all")
    second = confirm(client, page, "all")
    assert count() == 2
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    result = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "新增 2 个单位，更新 0 个，无变化 0 个，跳过 0 行。" in result
    assert "同一文件只导入一次" in result


def test_a_replayed_confirm_after_more_imports_changes_nothing(client, admin):
    page = upload(client, CLEAN, "a.csv").get_data(as_text=True)
    confirm(client, page, "all")
    db.session.execute(db.delete(Establishment))
    db.session.commit()
    replay = confirm(client, page, "good")
    assert count() == 0 and replay.status_code == 302
    assert "新增 2 个单位" in client.get(replay.headers["Location"]).get_data(as_text=True)


def test_a_refused_confirm_can_be_retried(client, admin):
    bad = CLEAN + "丙店,太空餐馆,苗村,JY3\n".encode()
    page = upload(client, bad, "a.csv").get_data(as_text=True)
    assert (
        confirm(client, page, "all").headers["Location"].endswith("/office/establishments/import")
    )
    assert count() == 0
    confirm(client, page, "good")
    assert count() == 2


def test_an_unconfirmed_upload_expires_after_a_day(app, client, admin):
    page = upload(client, CLEAN, "a.csv").get_data(as_text=True)
    batch = db.session.scalar(db.select(ImportBatch).where(ImportBatch.token == token_of(page)))
    batch.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    path = imports.folder(app.instance_path) / batch.token
    assert path.exists()
    upload(client, CLEAN, "b.csv")  # every upload purges the expired ones
    assert not path.exists()
    response = confirm(client, page, "all")
    assert response.headers["Location"].endswith("/office/establishments/import")
    assert count() == 0
    assert "预览已过期" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_unknown_or_mangled_tokens(client, admin):
    assert confirm(client, 'name="token" value="x"', "all").status_code == 400
    response = confirm(client, 'name="token" value="' + "a" * 24 + '.csv"', "all")
    assert response.status_code == 302 and count() == 0
    assert (
        client.get("/office/establishments/import/" + "a" * 24 + ".csv/result").status_code == 302
    )
    assert (
        client.get("/office/establishments/import/" + "a" * 24 + ".csv/columns").status_code == 302
    )


def test_the_blank_template(client, admin):
    assert "下载空白模板" in client.get("/office/establishments/import").get_data(as_text=True)
    response = client.get("/office/establishments/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    register, notes = book.worksheets
    header = [c.value for c in register[1]]
    assert header[:3] == ["名称", "类别", "学校类型"] and "编码" not in header
    assert register.max_row == 2  # one example row
    values = {(row[0], row[1]) for row in notes.iter_rows(min_row=2, values_only=True)}
    assert ("类别", "学校食堂") in values and ("辖区", "东区街道 · 苗村") in values
    assert any("DQ-02" in (row[2] or "") for row in notes.iter_rows(values_only=True))
    # the template itself imports back: its example row is a valid row
    page = upload(client, response.data, "template.xlsx").get_data(as_text=True)
    assert "共 1 行，其中 1 行可以导入，0 行有错误" in page


def test_the_mapping_step_is_remembered_for_the_same_header(client, admin):
    page = upload(client, ODD, "odd.csv").get_data(as_text=True)
    assert "找不到必需的列：名称、类别、辖区" in page and "<select" in page
    token = token_of_columns(page)
    assert count() == 0
    refused = client.post(f"/office/establishments/import/{token}/columns", data={"name": "0"})
    assert "请选择此项对应的列" in refused.get_data(as_text=True)
    twice = client.post(
        f"/office/establishments/import/{token}/columns",
        data={"name": "0", "category": "0", "jurisdiction": "2"},
    )
    assert "这一列已对应" in twice.get_data(as_text=True)
    mapped = client.post(
        f"/office/establishments/import/{token}/columns",
        data={"name": "0", "category": "1", "jurisdiction": "2"},
    ).get_data(as_text=True)
    assert "共 2 行，其中 2 行可以导入，0 行有错误" in mapped
    assert db.session.scalar(db.select(db.func.count(ColumnMapping.id))) == 1
    again = upload(client, ODD.replace("甲店".encode(), "丙店".encode()), "odd2.csv")
    again = again.get_data(as_text=True)
    assert "使用上次为同样表头保存的列对应" in again and "共 2 行" in again
    confirm(client, again, "all")
    assert count() == 2


def token_of_columns(page: str) -> str:
    return page.split("/office/establishments/import/")[1].split("/columns")[0]


def test_a_viewer_cannot_import(client, city, login):
    login(city.viewer)
    assert client.get("/office/establishments/import/template.xlsx").status_code == 403


def test_a_database_refusal_at_confirm_is_a_message_and_can_be_retried(client, admin, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from app.web.office import transfer

    def refuse(actor, rows):
        raise IntegrityError("INSERT", {}, Exception("value too long"))

    page = upload(client, CLEAN, "a.csv").get_data(as_text=True)
    monkeypatch.setattr(transfer, "import_rows", refuse)
    response = confirm(client, page, "all")
    assert response.status_code == 302 and count() == 0
    assert "数据库拒绝了其中一行" in client.get(response.headers["Location"]).get_data(as_text=True)
    monkeypatch.undo()
    confirm(client, page, "all")  # the batch was given back: a retry imports it
    assert count() == 2


def test_the_import_pages_render_in_english(client, admin):
    client.post("/lang/en")
    mapping = upload(client, ODD, "odd.csv")
    assert mapping.status_code == 200 and "<select" in mapping.get_data(as_text=True)
    page = upload(client, CLEAN, "a.csv")
    assert page.status_code == 200
    result = confirm(client, page.get_data(as_text=True), "all")
    assert client.get(result.headers["Location"]).status_code == 200
    assert count() == 2


def test_two_confirms_at_the_same_moment_import_once(app, client, admin):
    import threading

    many = "名称,类别,辖区,许可证号\n" + "".join(f"店{i},超市,苗村,JY{i}\n" for i in range(60))
    token = token_of(upload(client, many.encode(), "a.csv").get_data(as_text=True))
    clicks = [app.test_client() for _ in range(2)]
    for other in clicks:
        other.post("/login", data={"username": "admin", "password": PASSWORD})
    start, answers = threading.Barrier(2), []
    form = {"token": token, "mode": "all"}

    def click(c):
        with app.app_context():  # each click is its own request, as from two browser tabs
            start.wait()
            answers.append(c.post("/office/establishments/import/confirm", data=form))

    threads = [threading.Thread(target=click, args=(c,)) for c in clicks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.status_code for a in answers) == [302, 302]
    assert count() == 60
