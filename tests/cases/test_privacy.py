"""Personal data in a case: phones and ID numbers refuse publication; operators anonymised."""

import pytest

from app.cases.privacy import anonymous_operator, personal_data_problems

REFUSED = [
    ("举报人电话 13812345678", "手机号"),
    ("电话：１３８１２３４５６７８", "手机号"),  # full-width digits
    ("电话 138-1234-5678", "手机号"),
    ("身份证 41122119800101123X", "身份证号"),
    ("身份证号 411221198001011234。", "身份证号"),
]
ALLOWED = [
    "许可证号 JY14112210012345（14 位数字）",
    "当事人被罚款 5000 元",
    "统一社会信用代码 9141122100012345678",  # 19 digits: not a phone or ID number
    "",
]


@pytest.mark.parametrize(("text", "what"), REFUSED)
def test_phone_and_id_numbers_are_refused(app, text, what):
    problems = personal_data_problems({"处理情况": text})
    assert len(problems) == 1
    assert what in problems[0] and "处理情况" in problems[0]


@pytest.mark.parametrize("text", ALLOWED)
def test_other_numbers_pass(app, text):
    assert personal_data_problems({"处理情况": text}) == []


def test_the_operator_name_is_refused_unless_chosen(app):
    problems = personal_data_problems({"标题": "红星超市销售过期食品"}, "红星超市", "supermarket")
    assert problems and "某超市" in problems[0]
    assert personal_data_problems({"标题": "某超市销售过期食品"}, "红星超市", "supermarket") == []


def test_anonymous_operator(app):
    assert anonymous_operator("supermarket") == "某超市"
    assert anonymous_operator("") == "某经营者"
