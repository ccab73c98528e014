"""The demo city's typical cases: written from its own records, anonymised, published once."""

import pytest

from app.cases.privacy import operator_label
from app.cases.service import problems_of
from app.demo.cases import DEMO_CASE
from app.extensions import db
from app.models import Inspection, LedgerEntry, TypicalCase


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed", "demo", "--scale", "0.2"])
    assert result.exit_code == 0, result.output
    return runner


def test_demo_cases_are_published_from_the_demo_records(demo, client):
    cases = list(db.session.scalars(db.select(TypicalCase).order_by(TypicalCase.id)))
    assert 2 <= len(cases) <= 3
    assert {c.source_kind for c in cases} <= {"ledger", "inspection"}
    for case in cases:
        assert case.title.startswith(DEMO_CASE) and case.state == "published"
        assert case.published_at is not None and case.found and case.handling
        source = db.session.get(
            LedgerEntry if case.source_kind == "ledger" else Inspection, case.source_id
        )
        est = source.establishment
        assert est.licence_no.startswith("DEMO-") and case.establishment_id == est.id
        assert case.category == est.category and case.jurisdiction_id is not None
        # anonymised: the operator as 某<category>, its name in none of the texts
        assert not case.show_operator_name and operator_label(case).startswith("某")
        texts = (case.title, case.found, case.handling, case.penalty, case.legal_basis)
        assert not any(est.name in t for t in texts) and not problems_of(case)
    assert any(c.category == "farm_market" for c in cases)  # the failing rapid test
    public = client.get("/cases")
    assert public.status_code == 200
    assert all(c.title in public.text for c in cases)
    detail = client.get(f"/cases/{cases[0].id}")
    assert detail.status_code == 200 and cases[0].establishment.name not in detail.text

    again = demo.invoke(args=["seed", "demo", "--scale", "0.2"])  # safe to load twice
    assert again.exit_code == 0, again.output
    assert db.session.scalar(db.select(db.func.count(TypicalCase.id))) == len(cases)
