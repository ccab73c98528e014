"""Rows of a day's tests as the phone form sends them, for the sampling tests."""

import uuid

from app.models import Sample


def row(product="韭菜", test_item="pesticide", result="pass", **more) -> dict:
    """One filled row with its own client UUID."""
    values = {"client_uuid": str(uuid.uuid4()), "product": product, "test_item": test_item}
    return values | {"result": result} | more


def failing(product="猪肉", test_item="clenbuterol", **more) -> dict:
    """A failing row with its batch taken off sale and destroyed."""
    return row(product, test_item, "fail", **({"batch_actions": ["off_sale", "destroyed"]} | more))


def form_of(rows: list[dict], **shared) -> dict:
    """The POST body of the field page for rows (rows-<i>-<field>) and the shared fields."""
    data = {"row_count": str(len(rows)), "method": "rapid"} | shared
    for i, r in enumerate(rows):
        for key, value in r.items():
            data[f"rows-{i}-{key}"] = value
    return data


def rapid_test(est, recorder, day, test_item="pesticide", result="pass", method="rapid"):
    """A Sample row built directly (for figures over many days), not yet added."""
    return Sample(
        client_uuid=str(uuid.uuid4()),
        establishment_id=est.id,
        product="韭菜",
        test_item=test_item,
        method=method,
        result=result,
        tested_on=day,
        recorded_by_id=recorder.id,
    )
