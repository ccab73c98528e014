"""The draw method alone: weights, reproducibility and recusal, over fixed seeds."""

from collections import Counter

from app.plans import method


def units(grades: str) -> list[dict]:
    weights = {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0}
    return [
        {"id": i + 1, "weight": weights[g], "grade": g, "jurisdiction_id": 1 + i % 2}
        for i, g in enumerate(grades)
    ]


PEOPLE = [{"id": 10, "covers": [1]}, {"id": 11, "covers": [2]}, {"id": 12, "covers": []}]
PEOPLE += [{"id": 13, "covers": []}]


def test_d_grade_is_drawn_far_more_often_than_a_over_many_seeds():
    pool = units("A" * 10 + "D" * 10)
    grade = {u["id"]: u["grade"] for u in pool}
    drawn = Counter()
    for n in range(300):
        for row in method.run(f"{n:032x}", 5, pool, PEOPLE, {}):
            drawn[grade[row["establishment_id"]]] += 1
    assert drawn["A"] + drawn["D"] == 1500
    assert drawn["D"] > 3 * drawn["A"]


def test_the_same_seed_gives_the_same_result_whatever_the_input_order():
    pool = units("ABCDABCD")
    first = method.run("ab" * 16, 4, pool, PEOPLE, {})
    again = method.run("ab" * 16, 4, list(reversed(pool)), list(reversed(PEOPLE)), {})
    assert first == again
    assert method.run("cd" * 16, 4, pool, PEOPLE, {}) != first


def test_area_inspectors_conflicts_and_last_pairs_are_never_drawn():
    pool = units("ABCDABCD")
    recusals = {"area": True, "conflicts": [[12, 3]], "last_pairs": {"5": [11, 13]}}
    for n in range(100):
        for row in method.run(f"{n:032x}", 8, pool, PEOPLE, recusals):
            pair = {row["lead"], row["partner"]}
            area = 1 + (row["establishment_id"] - 1) % 2
            assert not any(p["id"] in pair and area in p["covers"] for p in PEOPLE)
            assert not (row["establishment_id"] == 3 and 12 in pair)
            assert not (row["establishment_id"] == 5 and pair == {11, 13})


def test_a_unit_with_no_pair_left_is_recorded_without_one():
    pool = units("A")
    rows = method.run("01" * 16, 1, pool, PEOPLE[:2], {"area": True})
    assert rows == [{"establishment_id": 1, "lead": None, "partner": None}]


def test_pairs_share_the_load():
    pool = units("ABCD" * 3)
    load = Counter()
    for row in method.run("ef" * 16, 12, pool, PEOPLE, {}):
        load.update([row["lead"], row["partner"]])
    assert max(load.values()) - min(load.values()) <= 2
