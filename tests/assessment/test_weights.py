"""The weights file: unknown codes and bad weights refused at load, missing ones weigh 0."""

import pytest

from app.assessment.scoring import unweighted
from app.assessment.weights import WeightsError, parse_weights, shipped_weights
from app.indicators.catalogue import BY_CODE


def test_the_shipped_weights_load_and_name_only_known_indicators(app):
    weights = shipped_weights()
    assert weights and set(weights) <= set(BY_CODE)
    assert all(w >= 0 for w in weights.values())


def test_an_unknown_code_is_refused(app):
    with pytest.raises(WeightsError, match="未知的指标代码：no_such_indicator"):
        parse_weights("[weights]\nfive_goods = 1\nno_such_indicator = 2\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[weights]\nfive_goods = -1\n", "不小于 0"),
        ('[weights]\nfive_goods = "十"\n', "不小于 0"),
        ("[weights]\nfive_goods = true\n", "不小于 0"),
        ("five_goods = 1\n", "缺少 \\[weights\\]"),
        ("[weights\n", "格式有误"),
    ],
)
def test_bad_files_are_refused_in_chinese(app, text, message):
    with pytest.raises(WeightsError, match=message):
        parse_weights(text)


def test_an_indicator_missing_from_the_file_weighs_nothing(app):
    weights = parse_weights("[weights]\nfive_goods = 2\nledger_on_time = 0\n")
    missing = {ind.code for ind in unweighted(weights)}
    assert "five_goods" not in missing
    assert {"ledger_on_time", "surveillance_sites"} <= missing
