"""The open feed: published results only, nothing private, paged, bounded parameters."""

import pytest

from app.publication import review


@pytest.fixture
def published(city, shop, make_inspection):
    shop.operator, shop.contact_phone = "张老板", "13912345678"
    insp = make_inspection(
        shop,
        "five_goods",
        answers={"fg.lic.03": {"result": "fail", "handling": "deadline", "note": "王五的健康证"}},
        second_inspector="李四",
        operator_rep="王五",
        signature_key="sig-secret",
        inspection_type="random",
    )
    review.approve(city.admin, insp)
    return insp


def test_feed_lists_published_results_with_nothing_private(client, published, shop):
    response = client.get("/open/v1/inspections")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert item["type"] == "random" and item["handling"] == ["deadline"]
    text = response.get_data(as_text=True)
    for private in ("李四", "王五", "张老板", "13912345678", "sig-secret", "inspector", "测试"):
        assert private not in text.replace(shop.name, "")
    assert not {"inspector", "second_inspector", "operator_rep", "signature_key", "note"} & set(
        item
    )


def test_unpublished_results_are_not_in_the_feed(client, shop, make_inspection):
    make_inspection(shop, "five_goods")
    assert client.get("/open/v1/inspections").get_json()["items"] == []


def test_establishments_have_no_operator_or_phone(client, published):
    text = client.get("/open/v1/establishments").get_data(as_text=True)
    assert "张老板" not in text and "13912345678" not in text


def test_pages_and_caching(client, city, make_establishment):
    for _ in range(3):
        make_establishment()
    first = client.get("/open/v1/establishments?per_page=2")
    body = first.get_json()
    assert body["pages"] == 2 and len(body["items"]) == 2
    assert len(client.get("/open/v1/establishments?per_page=2&page=2").get_json()["items"]) == 1
    assert "public" in first.headers["Cache-Control"]
    again = client.get(
        "/open/v1/establishments?per_page=2", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("page=0", 400),
        ("page=-1", 400),
        ("page=abc", 400),
        ("page=1.5", 400),
        ("page=99999999999999999999", 400),
        ("per_page=101", 400),
        ("page=５", 400),
        ("page=7", 404),
    ],
)
def test_bad_params(client, city, query, code):
    response = client.get(f"/open/v1/inspections?{query}")
    assert response.status_code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.get_json()["error"])


def test_lives_bundle_has_three_files_and_nothing_private(client, published, shop):
    import csv
    import io
    import zipfile

    response = client.get("/open/v1/lives.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.namelist() == ["businesses.csv", "inspections.csv", "violations.csv"]
    tables = {
        name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
    }
    assert tables["businesses.csv"][1][1] == shop.name
    assert tables["inspections.csv"][1][3] == "random"
    assert tables["violations.csv"][1][2:] == ["fg.lic.03", "检查项 fg.lic.03", "deadline"]
    text = "".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    for private in ("李四", "王五", "张老板", "13912345678", "sig-secret", "phone"):
        assert private not in text
    again = client.get("/open/v1/lives.zip", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
