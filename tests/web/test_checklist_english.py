"""The checklist, the result sheet and the office record in the reader's language."""

from app.extensions import db
from app.models import ChecklistVersion
from tests import factories


def test_the_checklist_page_in_english(client, login, city, shop, start):
    login(city.inspector)
    insp_id = start(shop)
    page = client.get(f"/field/inspections/{insp_id}").get_data(as_text=True)
    assert "经营场所内无农药等有毒有害物品" in page and "环境卫生好" in page
    client.post("/lang/en")
    page = client.get(f"/field/inspections/{insp_id}").get_data(as_text=True)
    assert "No pesticides or other toxic or harmful substances on the premises" in page
    assert "Good hygiene" in page and "环境卫生好" not in page
    assert "经营场所内无农药等有毒有害物品" not in page


def test_market_fields_and_choices_in_english(client, login, city, make_establishment, start):
    market = make_establishment(name="城东市场", category="farm_market")
    login(city.inspector)
    client.post("/lang/en")
    page = client.get(f"/field/inspections/{start(market, 'market')}").get_data(as_text=True)
    assert "Market type" in page and "More than 300 stalls" in page
    assert "摊位300个以上" not in page


def test_the_sheet_and_office_record_read_stored_answers_in_english(client, login, city, submitted):
    client.post("/lang/en")
    sheet = client.get(f"/field/inspections/{submitted.id}/sheet").get_data(as_text=True)
    failed = "Staff hold valid health certificates, and these are displayed"
    assert failed in sheet and "从业人员持有有效健康证明并公示" not in sheet
    assert "Rural food shops: the five goods" in sheet
    login(city.admin)
    client.post("/lang/en")
    record = client.get(f"/office/inspections/{submitted.id}").get_data(as_text=True)
    assert failed in record and "Good acceptance of supervision" in record


def test_a_stored_item_no_longer_shipped_keeps_its_chinese_text(client, login, city, submitted):
    answer = next(a for a in submitted.answers if a.item_id == factories.FAIL_ITEM)
    answer.item_id, answer.item_text = "fg.gone.99", "已删除的旧条文"
    db.session.commit()
    client.post("/lang/en")
    sheet = client.get(f"/field/inspections/{submitted.id}/sheet").get_data(as_text=True)
    assert "已删除的旧条文" in sheet


def test_stored_version_ids_do_not_change(city, submitted):
    version = db.session.get(ChecklistVersion, submitted.checklist_version_id)
    assert version.version == "5a66e357d0d4"


def test_ledger_rows_read_the_item_in_english(client, login, city, submitted):
    client.post("/lang/en")
    page = client.get("/field/ledger").get_data(as_text=True)
    assert "Staff hold valid health certificates, and these are displayed" in page
    client.post("/lang/zh_CN")
    assert "从业人员持有有效健康证明并公示" in client.get("/field/ledger").get_data(as_text=True)


def test_the_office_record_names_fields_and_choices_for_the_reader(
    client, login, city, make_establishment, make_inspection
):
    market = make_establishment(name="城东市场", category="farm_market")
    fields = {"market_type": "produce", "market_scale": "small", "market_format": "indoor"}
    answers = factories.answers_for("market", fail=())
    found = make_inspection(market, "market", via="services", answers=answers, fields=fields)
    login(city.admin)
    page = client.get(f"/office/inspections/{found.id}").get_data(as_text=True)
    assert "市场类别" in page and "以蔬菜、水果为主的市场" in page
    client.post("/lang/en")
    page = client.get(f"/office/inspections/{found.id}").get_data(as_text=True)
    assert "Market type" in page and "Mainly vegetables and fruit" in page
    assert "以蔬菜、水果为主的市场" not in page
