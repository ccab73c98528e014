"""Recording a day's tests: validation, replays, and the ledger entry of a failing sample."""

from datetime import date

import pytest

from app.core import workdays
from app.extensions import db
from app.models import AuditEvent, LedgerEntry, Sample
from app.sampling.record import SamplesRefused, record_samples
from tests.sampling.helpers import failing, row

TODAY = date(2024, 7, 10)  # a Wednesday


@pytest.fixture
def market(make_establishment):
    return make_establishment(name="城东农贸市场", category="farm_market")


def record(city, market, rows):
    return record_samples(city.inspector, market, rows, today=TODAY)


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_rows_are_kept_with_their_values(city, market):
    kept = record(
        city,
        market,
        [
            row(
                stall="12号",
                value="35.5",
                unit="抑制率%",
                has_certificate="yes",
                certificate_no="HG-01",
            ),
            row("鸡蛋", "vet_drug", tested_on="2024-07-09", tester_name="王丽"),
            {},  # a blank row of the phone form
        ],
    )
    assert [s.product for s in kept] == ["韭菜", "鸡蛋"]
    first, second = kept
    assert (first.stall, first.value, first.unit, first.has_certificate) == (
        "12号",
        35.5,
        "抑制率%",
        True,
    )
    assert first.certificate_no == "HG-01" and first.tested_on == TODAY and first.method == "rapid"
    assert (second.tested_on, second.tester_name, second.has_certificate) == (
        date(2024, 7, 9),
        "王丽",
        None,
    )
    assert first.recorded_by_id == city.inspector.id
    assert count(LedgerEntry) == 0
    assert db.session.scalar(db.select(db.func.count()).where(AuditEvent.entity == "sample")) == 2


BAD_ROWS = [
    (row(product=""), "请填写【样品名称】"),
    (row(test_item="arsenic"), "请选择【检测项目】"),
    (row(result="maybe"), "请选择【检测结果】"),
    (row(method="guess"), "【检测方式】无效"),
    (row(value="abc"), "【检测值】应为数字"),
    (row(value="-1"), "不小于 0"),
    (row(tested_on="2024-07-11"), "不能晚于今天"),
    (row(tested_on="10/07/2024"), "格式应为"),
    (row(tested_on="2023-01-01"), "早于一年前"),
    (row(has_certificate="maybe"), "【承诺达标合格证】"),
    (row(product="菜" * 65), "【样品名称】不超过 64 字"),
    (row(result="fail"), "不合格批次请选择处置方式"),
    (row(batch_actions=["off_sale"]), "合格样品无需填写处置方式"),
    (failing(batch_actions=["burn"]), "【不合格批次处置】无效"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS)
def test_a_bad_row_keeps_nothing_and_names_the_row(city, market, bad, message):
    with pytest.raises(SamplesRefused) as refused:
        record(city, market, [row(), bad])
    assert any(m.startswith("第 2 行：") and message in m for m in refused.value.messages)
    assert count(Sample) == 0


def test_an_empty_form_is_refused(city, market):
    with pytest.raises(SamplesRefused) as refused:
        record(city, market, [{}, {"client_uuid": "x"}])
    assert refused.value.messages == ["请至少填写一行检测记录"]


def test_only_markets_and_shops_are_sampled(city, make_establishment):
    canteen = make_establishment(category="school_canteen", school_type="primary")
    with pytest.raises(SamplesRefused):
        record(city, canteen, [row()])


def test_a_replayed_form_keeps_nothing_twice(city, market):
    rows = [row(), failing()]
    first = record(city, market, rows)
    again = record(city, market, rows)
    assert [s.id for s in again] == [s.id for s in first]
    assert count(Sample) == 2 and count(LedgerEntry) == 1
    # a row added to a resent form is kept; the rows already sent are not
    record(city, market, [*rows, row("菠菜")])
    assert count(Sample) == 3


def test_a_failing_sample_opens_a_ledger_entry(city, market):
    (sample,) = record(city, market, [failing(stall="8号", action_note="20 斤全部销毁")])
    entry = db.session.scalar(db.select(LedgerEntry))
    assert entry.sample_id == sample.id and entry.inspection_id is None
    assert entry.establishment_id == market.id and entry.state == "open"
    assert entry.handling == "investigate" and entry.item_text == "猪肉（8号）瘦肉精检测不合格"
    assert entry.due_date == workdays.add_working_days(TODAY, 5)
    assert entry.note == "20 斤全部销毁"
    assert sample.action_codes == ["off_sale", "destroyed"]
    opened = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "action"))
    assert opened.action == "open" and opened.user_id == city.inspector.id
