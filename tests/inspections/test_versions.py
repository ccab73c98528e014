"""Editing a checklist makes a new version; inspections keep the text and version they used."""

import dataclasses

import pytest

from app import checklists, create_app
from app.checklists import ChecklistError, get_programme
from app.checklists.model import Section, content_of, version_of
from app.extensions import db
from app.models import ChecklistVersion, Inspection
from tests.factories import form_for, payload_for

NEW_TEXT = "从业人员持有有效健康证明，并在店内醒目位置公示"


def edited(programme, item_id: str, text: str):
    """The programme with one item's text changed, its version recomputed."""
    sections = tuple(
        Section(
            s.id,
            s.title,
            tuple(dataclasses.replace(i, text=text) if i.id == item_id else i for i in s.items),
        )
        for s in programme.sections
    )
    index = {i.id: i for s in sections for i in s.items}
    changed = dataclasses.replace(programme, sections=sections, _index=index)
    object.__setattr__(changed, "version", version_of(content_of(changed)))
    return changed


def test_new_text_new_version_old_inspection_intact(client, login, city, shop, monkeypatch):
    login(city.inspector)
    original = get_programme("five_goods")
    first = client.post("/api/v1/inspections", json=payload_for(shop)).json["id"]

    changed = edited(original, "fg.lic.03", NEW_TEXT)
    assert changed.version != original.version
    shipped = dict(checklists.shipped_programmes()) | {"five_goods": changed}
    monkeypatch.setattr(checklists, "get_programme", lambda code: shipped[code])
    monkeypatch.setattr("app.inspections.drafts.get_programme", lambda code: shipped[code])
    second = client.post("/api/v1/inspections", json=payload_for(shop)).json["id"]

    old, new = db.session.get(Inspection, first), db.session.get(Inspection, second)
    assert old.checklist_version.version == original.version
    assert new.checklist_version.version == changed.version
    assert db.session.scalar(db.select(db.func.count()).select_from(ChecklistVersion)) == 2
    old_answer = next(a for a in old.answers if a.item_id == "fg.lic.03")
    assert old_answer.item_text == "从业人员持有有效健康证明并公示"
    assert next(a for a in new.answers if a.item_id == "fg.lic.03").item_text == NEW_TEXT
    sheet = client.get(f"/field/inspections/{first}/sheet").get_data(as_text=True)
    assert "从业人员持有有效健康证明并公示" in sheet and original.version in sheet
    assert NEW_TEXT not in sheet


def test_a_draft_keeps_the_version_it_started_with(client, login, city, shop, start, monkeypatch):
    login(city.inspector)
    insp_id = start(shop)
    changed = edited(get_programme("five_goods"), "fg.lic.03", NEW_TEXT)
    monkeypatch.setattr("app.inspections.drafts.get_programme", lambda code: changed)
    client.post(f"/field/inspections/{insp_id}", data=form_for("five_goods"))
    page = client.get(f"/field/inspections/{insp_id}").get_data(as_text=True)
    assert "从业人员持有有效健康证明并公示" in page and NEW_TEXT not in page


def test_configured_failure_limit_gives_its_own_version(client, app, login, city, shop):
    app.config["FANGXIN_MAX_GENERAL_FAILURES"] = 0
    login(city.inspector)
    response = client.post("/api/v1/inspections", json=payload_for(shop))
    assert response.json["outcome"] == "noncompliant"
    inspection = db.session.get(Inspection, response.json["id"])
    assert inspection.checklist_version.content["scoring"]["max_general_failures"] == 0
    assert inspection.checklist_version.version != get_programme("five_goods").version


def test_a_bad_checklist_file_stops_start_up(tmp_path, monkeypatch):
    (tmp_path / "broken.toml").write_text('code = "x"\ntitle = "坏"\n', encoding="utf-8")
    monkeypatch.setattr("app.checklists.loader.DEFAULT_DIRECTORY", tmp_path)
    checklists.shipped_programmes.cache_clear()
    try:
        with pytest.raises(ChecklistError, match=r"broken\.toml"):
            create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    finally:
        monkeypatch.undo()
        checklists.shipped_programmes.cache_clear()
        checklists.shipped_programmes()
