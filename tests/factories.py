"""Building blocks for tests: a small city, users per role, establishments, inspections.

Plain functions; tests/conftest.py turns the ones that need the city into fixtures.
"""

import base64
import io
import itertools
import tomllib
import uuid
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from PIL import Image, ImageDraw
from sqlalchemy import null
from werkzeug.security import generate_password_hash

from app.checklists import get_programme, programmes_for_category
from app.checklists.loader import programme_from_dict
from app.core.clock import local_today
from app.extensions import db
from app.models import (
    Answer,
    ChecklistVersion,
    Inspection,
    Jurisdiction,
    Photo,
    Registration,
    User,
)
from app.registry.establishments import create_establishment

PASSWORD = "correct-horse"
# A cheap hash keeps the suite fast; production uses werkzeug's default (scrypt).
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_serial = itertools.count(1)


def make_jurisdiction(code: str, name: str, kind: str = "street", parent=None) -> Jurisdiction:
    """A jurisdiction, flushed so it has an id (no created_at: it counts in every period)."""
    unit = Jurisdiction(code=code, name=name, kind=kind, parent=parent, created_at=null())
    db.session.add(unit)
    db.session.flush()
    return unit


def make_user(username: str, role: str, jurisdictions=(), active: bool = True) -> User:
    """A user whose password is PASSWORD."""
    user = User(
        username=username,
        display_name=f"{username} 测试",
        role=role,
        password_hash=FAST_HASH,
        active=active,
    )
    user.jurisdictions = list(jurisdictions)
    db.session.add(user)
    db.session.flush()
    return user


def make_city() -> SimpleNamespace:
    """Two street offices, a community and a village under each, and one user per role."""
    north = make_jurisdiction("XQ", "新区街道")
    south = make_jurisdiction("DQ", "东区街道")
    north_c = make_jurisdiction("XQ-01", "新华社区", "community", north)
    north_v = make_jurisdiction("XQ-02", "石河村", "village", north)
    south_c = make_jurisdiction("DQ-01", "东区社区", "community", south)
    south_v = make_jurisdiction("DQ-02", "苗村", "village", south)
    city = SimpleNamespace(
        north=north, south=south, north_c=north_c, north_v=north_v, south_c=south_c, south_v=south_v
    )
    city.admin = make_user("admin", "admin")
    city.inspector = make_user("inspector", "inspector", [north])
    city.other_inspector = make_user("inspector2", "inspector", [south])
    city.viewer = make_user("viewer", "viewer")
    db.session.commit()
    return city


def make_establishment(city, **fields):
    """An establishment, committed; defaults to a rural shop in the north community."""
    n = next(_serial)
    values = {
        "name": f"测试商店{n}",
        "category": "rural_shop",
        "jurisdiction_id": city.north_c.id,
        "address": f"测试路{n}号",
        "licence_no": f"JY{n:06d}",
    }
    values.update(fields)
    est = create_establishment(None, **values)
    db.session.commit()
    return est


def make_checklist_version(programme: str = "five_goods"):
    """The stored version of a programme: the first found, else a test one ("t1", no content).

    Rows built by hand point at it; the services store the real version themselves.
    """
    found = db.session.scalar(db.select(ChecklistVersion).filter_by(programme=programme))
    if found is None:
        found = ChecklistVersion(programme=programme, version="t1", title=programme, content={})
        db.session.add(found)
        db.session.flush()
    return found


# --- checklist programmes from TOML text --------------------------------------------------

# A minimal valid programme; tests break it with str.replace.
DEMO_TOML = """
code = "demo"
title = "示例检查"
categories = ["rural_shop"]

[scoring]
rule = "general"

[[sections]]
id = "s1"
title = "第一部分"

[[sections.items]]
id = "d.s1.01"
text = "甲项"
key = true

[[sections.items]]
id = "d.s1.02"
text = "乙项"
key = false
"""


def make_programme(text: str):
    """A programme built from TOML text, without a file."""
    return programme_from_dict(tomllib.loads(text), "test.toml", categories=None)


# --- answers, checklist forms and API bodies -----------------------------------------------

FAIL_ITEM = "fg.lic.03"  # five goods: a general item without a photo requirement
PHOTO_ITEM = "fg.env.01"  # five goods: "photo on failure"
OTHER_ITEM = "fg.env.02"
PEOPLE = {"second_inspector": "李四", "operator_rep": "王五"}  # the second inspector, the operator

# A draft's saved answers as the photo tests expect them: PHOTO_ITEM failed, OTHER_ITEM passed.
DRAFT_ANSWERS = {
    PHOTO_ITEM: {
        "result": "fail",
        "item_text": "环境整洁",
        "note": "地面有积水",
        "handling": "on_spot",
    },
    OTHER_ITEM: {"result": "pass", "item_text": "设施齐全", "note": ""},
}


def due_in(days: int = 7) -> str:
    return (local_today() + timedelta(days=days)).isoformat()


def answer(result: str, handling: str | None = None, due_date=None, **more) -> dict:
    """One answer's parts, as make_inspection and save_answers take them."""
    return {"result": result, "handling": handling, "due_date": due_date, **more}


def answers_for(code: str, fail=(FAIL_ITEM,), note: str = "") -> dict:
    """Every item of a programme answered: passed, except `fail`, failed with a deadline."""
    answers = {}
    for item in get_programme(code).items:
        parts = {"result": "fail" if item.id in fail else "pass", "note": ""}
        if item.id in fail:
            parts |= {"note": note, "handling": "deadline", "due_date": due_in()}
        answers[item.id] = parts
    return answers


def form_for(code: str, fail=(FAIL_ITEM,), handling="deadline", skip=(), extra=None) -> dict:
    """A complete checklist form: every item passes except `fail`, `skip` left unanswered."""
    data = {}
    for item in get_programme(code).items:
        if item.id in skip:
            continue
        data[f"r.{item.id}"] = "fail" if item.id in fail else "pass"
        data[f"n.{item.id}"] = "健康证过期" if item.id in fail else ""
        if item.id in fail:
            data[f"h.{item.id}"] = handling
            data[f"d.{item.id}"] = due_in()
    data.update(PEOPLE)
    data.update(extra or {})
    return data


def payload_for(est, code="five_goods", fail=(FAIL_ITEM,), **over) -> dict:
    """A JSON submit body equivalent to form_for."""
    body = {
        "client_uuid": str(uuid.uuid4()),
        "establishment_id": est.id,
        "programme": code,
        "answers": answers_for(code, fail),
        "fields": {},
        **PEOPLE,
    }
    body.update(over)
    return body


def signature_data_url() -> str:
    """A small real PNG as a data URL, like the canvas produces."""
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 80), (150, 20), (290, 70)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


# --- inspections ---------------------------------------------------------------------------

# The submit (and start) time of a hand-built inspection unless one is given: 10:00 in Shanghai.
WHEN = datetime(2024, 6, 1, 2, 0, tzinfo=UTC)


def make_inspection(
    city,
    est,
    programme: str | None = None,
    when: datetime | None = None,
    *,
    inspector=None,
    status: str = "submitted",
    answers: dict | None = None,
    photos=(),
    via: str = "rows",
    commit: bool = True,
    published: bool = False,
    **columns,
) -> Inspection:
    """An inspection of an establishment, by the city's inspector unless another is given.

    programme: a code; by default the first programme for the establishment's category.
    answers: item id -> parts (result, note, handling, due_date; see answer()).

    via="rows" writes the row as given, for datasets built by hand: `when` is its start
    and submit time (default WHEN; a draft without one starts now), `columns` are stored
    as they are (outcome, grade, superseded, amends …; a submitted one is "compliant"
    unless told), each answer becomes an Answer (item_text "检查项 <id>" unless given) and
    each item id in `photos` gets a photo row. commit=False only adds it to the session.

    via="services" goes the app's way: start_or_resume_draft, save_answers, then submit
    unless status="draft", so the version, scores, ledger entries and audit events are
    the app's own. answers default to every item passed; the only columns are the people
    (second_inspector and operator_rep; PEOPLE for a submit), the programme's fields and the
    inspection_type chosen on the start button.

    published=True: the result has passed review (审核) and is public, as the placard and
    the open feed show only published results; through the services the city's admin
    approves it, as rows it is stamped approved and public at its submit time.
    """
    inspector = inspector or city.inspector
    programme = programme or _programme_for(est)
    if via == "services":
        if when is not None or photos or not commit:
            raise TypeError("through the services the app sets the times, photos and commits")
        inspection = _through_services(inspector, est, programme, status, answers, columns)
        return _approved(city, inspection) if published else inspection
    if via != "rows":
        raise ValueError(f"via is 'rows' or 'services', not {via!r}")
    submitted = status == "submitted"
    when = when or (WHEN if submitted else None)
    values = {
        "client_uuid": str(uuid.uuid4()),
        "establishment_id": est.id,
        "checklist_version_id": make_checklist_version(programme).id,
        "programme": programme,
        "inspector_id": inspector.id,
        "status": status,
        "submitted_at": when if submitted else None,
        "outcome": "compliant" if submitted else None,
    }
    if when is not None:
        values["started_at"] = when
    if published and submitted:
        values |= {"review_state": "approved", "published_at": when, "is_public": True}
    inspection = Inspection(**(values | columns))
    for item_id, parts in (answers or {}).items():
        inspection.answers.append(
            Answer(
                item_id=item_id,
                item_text=parts.get("item_text", f"检查项 {item_id}"),
                result=parts.get("result"),
                note=parts.get("note", ""),
                handling=parts.get("handling"),
                due_date=parts.get("due_date"),
            )
        )
    db.session.add(inspection)
    if photos:
        db.session.flush()
        for item_id in photos:
            db.session.add(
                Photo(
                    sha256="f" * 64,
                    kind="item",
                    establishment_id=est.id,
                    inspection_id=inspection.id,
                    item_id=item_id,
                    width=10,
                    height=10,
                    size_bytes=100,
                )
            )
    if commit:
        db.session.commit()
    return inspection


def _approved(city, inspection: Inspection) -> Inspection:
    from app.publication.review import approve

    approve(city.admin, inspection)
    db.session.commit()
    return inspection


def _programme_for(est) -> str:
    found = programmes_for_category(est.category)
    if not found:
        raise ValueError(f"no programme applies to {est.category}: name one")
    return found[0].code


def _through_services(inspector, est, code, status, answers, columns) -> Inspection:
    from app.inspections.drafts import save_answers, start_or_resume_draft
    from app.inspections.submission import submit

    people = PEOPLE if status == "submitted" else {}  # a submit needs both names
    people = people | {k: columns.pop(k) for k in PEOPLE if k in columns}
    fields = columns.pop("fields", None)
    inspection_type = columns.pop("inspection_type", None)  # chosen on the start button
    if columns:
        raise TypeError(f"the app computes {', '.join(columns)}: build rows for that")
    draft = start_or_resume_draft(inspector, est, code, inspection_type)
    db.session.commit()
    if answers is None:
        answers = answers_for(code, fail=())
    save_answers(draft, answers, fields, people)
    db.session.commit()
    return submit(inspector, draft) if status == "submitted" else draft


# --- registers -----------------------------------------------------------------------------

# A registration application as the office form posts it.
APPLICATION = {
    "applied_on": "2024-03-01",
    "operator": "王五",
    "id_number": "410000199001011234",
    "contact_phone": "13800000000",
    "address": "千秋路1号",
    "health_certificates": "王五 2024-001",
    "products": "馒头",
    "process_flow": "和面—蒸制",
    "safety_pledge": "y",
}


def make_registration(est, issued_on=date(2024, 1, 10), valid_until=None, state="issued", **fields):
    """An issued registration row with the given dates (no service rules applied), flushed."""
    fields.setdefault("number", f"TEST-{next(_serial):05d}")
    reg = Registration(
        establishment_id=est.id,
        kind="filing" if est.category == "stall" else "registration",
        state=state,
        applied_on=issued_on,
        issued_on=issued_on,
        valid_until=valid_until,
        details={"operator": "张三", "address": est.address, "products": "馒头"},
        **fields,
    )
    db.session.add(reg)
    db.session.flush()
    return reg
