"""Jurisdictions from an empty database: create, rename, move, merge, close, import, the CLI."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from app.core.accounts import find_jurisdictions
from app.core.tabular import TableError
from app.extensions import db
from app.models import AuditEvent, Coordinator, Jurisdiction, User
from app.registry import jurisdiction_import as area_import
from app.registry import jurisdictions as units
from app.registry.jurisdictions import JurisdictionError
from app.web.forms import jurisdiction_choices
from tests import factories

YIMA = [
    "新区街道",
    "千秋路街道",
    "朝阳路街道",
    "泰山路街道",
    "常村路街道",
    "东区街道",
    "先进制造业开发区",
]


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def events(unit, action):
    stmt = db.select(AuditEvent).where(
        AuditEvent.entity == "jurisdiction",
        AuditEvent.entity_id == unit.id,
        AuditEvent.action == action,
    )
    return list(db.session.scalars(stmt))


# --- the domain ----------------------------------------------------------------------------


def test_create_on_an_empty_database(app):
    street = units.create(None, "YM-XQ", "新区街道", "street")
    village = units.create(None, " YM-XQ-01 ", " 石河村 ", "village", street)
    db.session.commit()
    assert village.code == "YM-XQ-01" and village.full_name == "新区街道 · 石河村"
    assert village.created_at is not None and village.active
    assert events(village, "create")[0].summary == "新建辖区 YM-XQ-01 石河村"


@pytest.mark.parametrize(
    ("code", "name", "kind", "parent", "message"),
    [
        ("XQ", "重复编码", "street", None, "已被使用"),
        ("bad code", "某街道", "street", None, "编码只能"),
        ("", "某街道", "street", None, "编码只能"),
        ("N1", "", "street", None, "名称不能为空"),
        ("N2", "新区街道", "street", None, "已有名为"),
        ("N3", "某村", "village", None, "必须属于"),
        ("N4", "某街道", "street", "north", "不能有上级"),
        ("N5", "某村", "village", "north_c", "上级必须是"),
        ("N6", "某处", "county", None, "未知的辖区类型"),
    ],
)
def test_create_refuses_with_a_reason(city, code, name, kind, parent, message):
    with pytest.raises(JurisdictionError, match=message):
        units.create(None, code, name, kind, getattr(city, parent) if parent else None)


def test_rename_audits_and_keeps_the_level(city):
    changes = units.rename(city.admin, city.north_v, "石河新村")
    assert changes["name"] == ["石河村", "石河新村"] and "kind" not in changes
    changes = units.rename(city.admin, city.north_v, "石河新村", "community")
    assert changes["kind"] == ["village", "community"] and "name" not in changes
    with pytest.raises(JurisdictionError, match="同一级"):
        units.rename(city.admin, city.north_v, "石河新村", "street")
    with pytest.raises(JurisdictionError, match="已有名为"):
        units.rename(city.admin, city.north_v, "新华社区")


def test_move_a_village_to_another_street(city):
    units.move(city.admin, city.north_v, city.south)
    db.session.commit()
    assert city.north_v.full_name == "东区街道 · 石河村"
    assert events(city.north_v, "update")[0].changes["parent_id"] == [city.north.id, city.south.id]
    with pytest.raises(JurisdictionError, match="不能移动"):
        units.move(city.admin, city.north, city.south)
    with pytest.raises(JurisdictionError, match="上级必须是"):
        units.move(city.admin, city.north_v, city.south_c)


def test_close_refuses_while_in_use(city, make_establishment):
    est = make_establishment(jurisdiction_id=city.north_v.id)
    with pytest.raises(JurisdictionError, match="在营单位"):
        units.close(city.admin, city.north_v)
    with pytest.raises(JurisdictionError, match="未撤销的社区或村"):
        units.close(city.admin, city.south)
    est.active = False
    units.close(city.admin, city.north_v)
    db.session.commit()
    assert not city.north_v.active and city.north_v.closed_at is not None
    assert est.jurisdiction_id == city.north_v.id  # the old record keeps its unit
    assert city.north_v.id not in dict(jurisdiction_choices())
    with pytest.raises(JurisdictionError, match="已撤销"):
        units.rename(city.admin, city.north_v, "别名")


def test_closing_drops_the_unit_from_users_areas(city):
    for child in (city.south_c, city.south_v):
        units.close(city.admin, child)
    units.close(city.admin, city.south)
    db.session.commit()
    assert city.other_inspector.jurisdictions == []


def test_merge_moves_everything_open_and_closes_the_source(city, make_establishment):
    open_shop = make_establishment(jurisdiction_id=city.south.id)
    closed_shop = make_establishment(jurisdiction_id=city.south.id, name="旧店")
    closed_shop.active = False
    db.session.add_all(
        [
            Coordinator(name="在任", village_id=city.south_v.id, start_on=date(2024, 1, 1)),
            Coordinator(
                name="离任",
                village_id=city.south_v.id,
                start_on=date(2020, 1, 1),
                end_on=date(2021, 1, 1),
            ),
        ]
    )
    moved = units.merge(city.admin, city.south, city.north)
    db.session.commit()
    assert moved == {"children": 2, "establishments": 1, "users": 1, "coordinators": 0}
    assert open_shop.jurisdiction_id == city.north.id
    assert closed_shop.jurisdiction_id == city.south.id
    assert city.other_inspector.jurisdictions == [city.north]
    assert {c.code for c in city.north.children} == {"XQ-01", "XQ-02", "DQ-01", "DQ-02"}
    assert not city.south.active
    merged = events(city.north, "merge")[0]
    assert "东区街道" in merged.summary and "新区街道" in merged.summary
    assert merged.changes["source"] == ["DQ", "东区街道"]
    assert events(city.south, "close")[0].changes["target"] == ["XQ", "新区街道"]


def test_merge_of_villages_moves_serving_coordinators_only(city):
    db.session.add_all(
        [
            Coordinator(name="在任", village_id=city.south_v.id, start_on=date(2024, 1, 1)),
            Coordinator(
                name="离任",
                village_id=city.south_v.id,
                start_on=date(2020, 1, 1),
                end_on=date(2021, 1, 1),
            ),
        ]
    )
    assert units.merge(city.admin, city.south_v, city.north_v)["coordinators"] == 1
    rows = db.session.scalars(db.select(Coordinator).order_by(Coordinator.name)).all()
    assert [(c.name, c.village_id) for c in rows] == [
        ("在任", city.north_v.id),
        ("离任", city.south_v.id),
    ]


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [("north", "north", "自己"), ("north_v", "south", "同一级")],
)
def test_merge_refuses(city, source, target, message):
    with pytest.raises(JurisdictionError, match=message):
        units.merge(city.admin, getattr(city, source), getattr(city, target))


def test_merge_refuses_a_name_clash_before_moving_anything(city, make_establishment):
    units.create(None, "DQ-03", "新华社区", "community", city.south)
    shop = make_establishment(jurisdiction_id=city.south.id)
    with pytest.raises(JurisdictionError, match="已有名为"):
        units.merge(city.admin, city.south, city.north)
    db.session.rollback()
    assert shop.jurisdiction_id == city.south.id and city.south.active


# --- import --------------------------------------------------------------------------------


def test_load_yima_twice_on_an_empty_database(app):
    assert area_import.load_yima(None) == {"new": 7, "update": 0, "same": 0, "refused": 0}
    db.session.commit()
    assert area_import.load_yima(None) == {"new": 0, "update": 0, "same": 7, "refused": 0}
    tops = units.open_units(top_only=True)
    assert sorted(j.name for j in tops) == sorted(YIMA)
    assert {j.kind for j in tops if j.name == "先进制造业开发区"} == {"zone"}
    assert all(j.code.startswith("YM-") for j in tops)
    assert not db.session.scalar(db.select(Jurisdiction).where(Jurisdiction.parent_id.is_not(None)))


PREVIEW = """\
义马市辖区表
编码,名称,上级,类型
YM-XQ,新区街道,,street
YM-XQ-01,新华社区,新区街道,社区
YM-XQ-02,石河村,YM-XQ,
YM-QQL,千秋路街道,,街道
YM-QQL-01,千秋社区,YM-QQL,community
,无编码村,YM-XQ,村
YM-XQ-03,石河村,YM-XQ,村
YM-XQ-04,某处,YM-XQ,
YM-XQ-05,孤村,不存在街道,村
YM-XQ-01,重复,YM-XQ,社区
YM-BAD,坏街道,YM-XQ,街道
YM-BAD-01,坏街道下的村,YM-BAD,村
"""


def test_preview_says_what_each_row_will_do_and_writes_nothing(app):
    area_import.load_yima(None)
    db.session.commit()
    units.create(None, "YM-XQ-02", "旧名村", "village", units.by_code("YM-XQ"))
    db.session.commit()
    rows = area_import.read_rows("areas.csv", csv_bytes(PREVIEW, "gb18030"))
    got = {r.number: (r.outcome, "；".join(r.errors)) for r in rows}
    assert got[3] == ("same", "")
    assert got[4] == ("new", "")
    assert got[5] == ("update", "")  # a known code gets its new name; kind guessed from 村
    assert got[6] == ("same", "")
    assert got[7] == ("new", "")
    assert "编码" in got[8][1]
    assert "已有名为" in got[9][1]
    assert "未知类型" in got[10][1]
    assert "未知或不明确的上级" in got[11][1]
    assert "重复" in got[12][1]
    assert "不能有上级" in got[13][1]
    assert "被拒绝" in got[14][1]
    assert db.session.scalar(db.select(db.func.count(Jurisdiction.id))) == 8


def test_apply_creates_tops_before_their_children(app):
    data = xlsx_bytes(
        [
            ["编码", "名称", "上级编码", "类型"],
            ["Z1-01", "开发区社区", "Z1", "社区"],
            ["Z1", "开发区", "", "开发区"],
        ]
    )
    counts = area_import.import_file(None, "areas.xlsx", data)
    db.session.commit()
    assert counts == {"new": 2, "update": 0, "same": 0, "refused": 0}
    assert units.by_code("Z1-01").full_name == "开发区 · 开发区社区"


def test_import_moves_and_renames_a_known_code(city):
    data = csv_bytes("code,name,parent,kind\nXQ-02,石河新村,DQ,village\n")
    assert area_import.import_file(None, "a.csv", data)["update"] == 1
    db.session.commit()
    assert city.north_v.full_name == "东区街道 · 石河新村"


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"name,kind\nx,street\n", "找不到表头"), (b"code,name\n", "没有辖区数据行")],
)
def test_unusable_file_is_refused_with_a_reason(app, data, message):
    with pytest.raises(TableError, match=message):
        area_import.read_rows("a.csv", data)


# --- the CLI -------------------------------------------------------------------------------


def test_cli_from_an_empty_database_to_an_inspector(app, runner):
    result = runner.invoke(args=["areas", "load-yima"])
    assert result.exit_code == 0, result.output
    assert "7 new" in result.output
    steps = [
        ["areas", "create", "YM-XQ-001", "新华社区", "--kind", "community", "--parent", "YM-XQ"],
        ["areas", "create", "YM-XQ-002", "石河村", "--kind", "village", "--parent", "YM-XQ"],
        ["areas", "rename", "YM-XQ-002", "石河新村"],
        ["areas", "move", "YM-XQ-002", "YM-QQL"],
        ["areas", "create", "YM-XQ-003", "新华二社区", "--kind", "community", "--parent", "YM-XQ"],
        ["areas", "merge", "YM-XQ-001", "YM-XQ-003"],
    ]
    for args in steps:
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)
    listing = runner.invoke(args=["areas", "list"]).output
    assert "YM-XQ-002\t石河新村\tvillage" in listing and "YM-XQ-001" not in listing
    assert "(closed)" in runner.invoke(args=["areas", "list", "--all"]).output
    result = runner.invoke(
        args=["users", "create", "--role", "inspector", "--jurisdiction", "YM-XQ",
              "--username", "wang", "--name", "王", "--password", "long-enough-1"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    wang = db.session.scalar(db.select(User).where(User.username == "wang"))
    assert [j.code for j in wang.jurisdictions] == ["YM-XQ"]
    assert find_jurisdictions(["YM-KFQ"])[0].kind == "zone"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["areas", "close", "XQ"], "未撤销的社区或村"),
        (["areas", "close", "NOPE"], "unknown jurisdiction code"),
        (["areas", "create", "XQ", "又一个", "--kind", "street"], "已被使用"),
        (["areas", "merge", "XQ", "XQ-01"], "同一级"),
    ],
)
def test_cli_refusals_are_clear(city, runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and message in result.output


def test_cli_import_previews_then_applies(app, runner, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("编码,名称,类型\nS1,某街道,街道\nS2,,街道\n", encoding="utf-8-sig")
    result = runner.invoke(args=["areas", "import", str(path)], input="n\n")
    assert "row 2: S1 某街道 — new" in result.output and "refused" in result.output
    assert units.by_code("S1") is None
    result = runner.invoke(args=["areas", "import", str(path), "--yes"])
    assert result.exit_code == 0 and "1 new" in result.output
    assert units.by_code("S1").name == "某街道"


def test_factory_units_always_existed(app):
    unit = factories.make_jurisdiction("OLD", "老街道")
    db.session.commit()
    assert unit.created_at is None


def test_a_closed_village_leaves_the_coordinator_pickers(city):
    from app.registers import coordinators

    units.close(None, city.north_v)
    db.session.commit()
    assert city.north_v not in db.session.scalars(coordinators.villages()).all()
    assert city.north_v not in coordinators.uncovered_villages(date(2024, 9, 30))
