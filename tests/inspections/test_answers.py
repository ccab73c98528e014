"""What stops an inspection being submitted, in the messages the inspector sees."""

from datetime import date
from types import SimpleNamespace

from app.core.labels import HANDLING_LABELS
from app.inspections.answers import (
    coerce_fields,
    results_of,
    validate_answers,
    validate_fields,
    validate_handling,
)
from app.models.inspection import HANDLINGS

SCHOOL_FIELDS = {
    "bright_kitchen_live": True,
    "yushi_app_in_use": True,
    "staff_count": 4,
    "staff_trained": 4,
}


def passed(programme):
    return {item.id: {"result": "pass"} for item in programme.items}


def test_handling_labels_cover_the_model_handlings():
    assert tuple(HANDLING_LABELS) == HANDLINGS


def test_handling_must_be_one_of_four():
    assert validate_handling(None) == ["未选择处理方式"]
    assert validate_handling("warn") == ["处理方式无效"]
    for handling in ("on_spot", "investigate", "stop"):
        assert validate_handling(handling) == []


def test_deadline_needs_a_valid_due_date_not_in_the_past():
    assert validate_handling("deadline") == ["书面限期整改须填写整改期限"]
    assert validate_handling("deadline", "next week") == ["整改期限格式无效"]
    assert validate_handling("deadline", "2024-07-01") == []
    assert validate_handling("deadline", date(2024, 7, 1), date(2024, 7, 1)) == []
    assert validate_handling("deadline", "2024-06-30", date(2024, 7, 1)) == [
        "整改期限不能早于检查日期"
    ]


def test_complete_passing_answers_are_accepted(shipped):
    programme = shipped["school_canteen"]
    assert validate_answers(programme, passed(programme), SCHOOL_FIELDS) == []


def test_unanswered_items_are_listed(shipped):
    programme = shipped["three_small"]
    answers = passed(programme)
    del answers["ts.reg.02"]
    answers["ts.hyg.01"] = {"result": None}
    messages = validate_answers(programme, answers)
    assert messages == [
        "【登记证（备案卡）、营业执照在醒目位置公示】未填写检查结果",
        "【生产经营场所整洁卫生，远离污染源】未填写检查结果",
    ]


def test_unknown_items_and_results_are_refused(shipped):
    programme = shipped["three_small"]
    answers = {**passed(programme), "ts.x.01": {"result": "pass"}, "ts.reg.03": {"result": "ok"}}
    messages = validate_answers(programme, answers)
    assert "未知检查项：ts.x.01" in messages
    assert "【登记（备案）事项发生变化的，已及时办理变更】检查结果无效" in messages


def test_failed_item_needs_handling_and_photo(shipped):
    programme = shipped["three_small"]
    answers = {**passed(programme), "ts.reg.01": {"result": "fail"}}
    text = programme.item("ts.reg.01").text
    assert validate_answers(programme, answers) == [
        f"【{text}】未选择处理方式",
        f"【{text}】不合格须拍照留证",
    ]
    answers["ts.reg.01"] = {"result": "fail", "handling": "stop"}
    assert validate_answers(programme, answers, photos={"ts.reg.01"}) == []


def test_failed_item_without_photo_rule_needs_no_photo(shipped):
    programme = shipped["three_small"]
    answers = {**passed(programme), "ts.raw.02": {"result": "fail", "handling": "investigate"}}
    assert validate_answers(programme, answers) == []


def test_deadline_without_due_date_is_refused(shipped):
    programme = shipped["three_small"]
    answers = {**passed(programme), "ts.raw.03": {"result": "fail", "handling": "deadline"}}
    text = programme.item("ts.raw.03").text
    assert validate_answers(programme, answers) == [f"【{text}】书面限期整改须填写整改期限"]


def test_basic_outcome_needs_a_written_deadline(shipped):
    programme = shipped["three_small"]
    answers = {**passed(programme), "ts.raw.03": {"result": "fail", "handling": "on_spot"}}
    messages = validate_answers(programme, answers)
    assert len(messages) == 1 and "基本符合" in messages[0]
    answers["ts.raw.03"] = {"result": "fail", "handling": "deadline", "due_date": "2024-08-01"}
    assert validate_answers(programme, answers, inspected_on=date(2024, 7, 20)) == []


def test_basic_deadline_rule_can_be_switched_off(make_programme, demo_toml):
    text = demo_toml.replace(
        'rule = "general"', 'rule = "general"\nbasic_requires_deadline = false'
    )
    programme = make_programme(text)
    answers = {"d.s1.01": {"result": "pass"}, "d.s1.02": {"result": "fail", "handling": "on_spot"}}
    assert validate_answers(programme, answers) == []


def test_answers_may_be_objects(shipped):
    programme = shipped["three_small"]
    answers = {item.id: SimpleNamespace(result="na") for item in programme.items}
    assert validate_answers(programme, answers) == []
    assert set(results_of(answers).values()) == {"na"}


def test_required_fields(shipped):
    programme = shipped["school_canteen"]
    messages = validate_fields(programme, {})
    assert messages == [
        "【“互联网+明厨亮灶”视频在线】未填写",
        "【从业人员已安装并使用“豫食考核”APP】未填写",
        "【食堂从业人员数（含食品安全管理人员）】未填写",
        "【其中通过“豫食考核”培训考核人数】未填写",
    ]
    assert validate_answers(programme, passed(programme), {}) == messages


def test_field_values_are_checked(shipped):
    programme = shipped["school_canteen"]
    fields = {**SCHOOL_FIELDS, "bright_kitchen_live": "maybe", "staff_count": -1}
    assert validate_fields(programme, fields) == [
        "【“互联网+明厨亮灶”视频在线】应选择是或否",
        "【食堂从业人员数（含食品安全管理人员）】不能小于0",
    ]
    assert validate_fields(programme, {**SCHOOL_FIELDS, "staff_trained": "x"}) == [
        "【其中通过“豫食考核”培训考核人数】应为整数"
    ]


def test_trained_staff_cannot_exceed_staff(shipped):
    programme = shipped["school_canteen"]
    assert validate_fields(programme, {**SCHOOL_FIELDS, "staff_trained": 5}) == [
        "【其中通过“豫食考核”培训考核人数】不能大于【食堂从业人员数（含食品安全管理人员）】"
    ]


def test_market_choices_are_checked(shipped):
    programme = shipped["market"]
    fields = {"market_type": "produce", "market_scale": "huge", "market_format": "indoor"}
    assert validate_fields(programme, fields) == ["【市场规模】选项无效"]


def test_form_values_are_coerced(shipped):
    programme = shipped["school_canteen"]
    raw = {"bright_kitchen_live": "on", "yushi_app_in_use": "否", "staff_count": " 7 "}
    raw |= {"staff_trained": "", "ignored": "1"}
    assert coerce_fields(programme, raw) == {
        "bright_kitchen_live": True,
        "yushi_app_in_use": False,
        "staff_count": 7,
        "staff_trained": None,
    }
    assert coerce_fields(programme, {"staff_count": "seven"})["staff_count"] == "seven"
