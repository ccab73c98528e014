"""The draw method itself: pure functions over the frozen lists, so a record replays exactly.

Method "efraimidis-spirakis/v1":
1. rng = random.Random(int(seed, 16)).
2. Targets: for each eligible unit in ascending id order draw u = rng.random() and give it the
   key u ** (1 / weight); the target_count units with the largest keys are drawn (ties by id).
   This is weighted sampling without replacement (Efraimidis & Spirakis, 2006).
3. Pairs: for each drawn unit in drawn order, the allowed inspectors (ascending id, minus the
   recused) form every pair except the unit's last pair; among the pairs with the fewest visits
   so far one is chosen with rng.choice, and rng.random() < 0.5 decides who leads.
Only the seed and the frozen lists are inputs: no set or database order is involved.
"""

from __future__ import annotations

import random
from itertools import combinations

METHOD = "efraimidis-spirakis/v1"


def draw_targets(rng: random.Random, establishments: list[dict], n: int) -> list[dict]:
    """The n units with the largest keys u ** (1 / weight), in drawn order."""
    keyed = []
    for est in sorted(establishments, key=lambda e: e["id"]):
        u = rng.random()
        keyed.append((u ** (1.0 / est["weight"]), est["id"], est))
    keyed.sort(key=lambda k: (-k[0], k[1]))
    return [est for _, _, est in keyed[:n]]


def allowed_inspectors(est: dict, inspectors: list[dict], recusals: dict) -> list[int]:
    """Inspector ids who may visit this unit: not covering its area (if so ruled), no conflict."""
    conflicts = {tuple(c) for c in recusals.get("conflicts", [])}
    ids = []
    for insp in sorted(inspectors, key=lambda i: i["id"]):
        if recusals.get("area") and est["jurisdiction_id"] in insp["covers"]:
            continue
        if (insp["id"], est["id"]) in conflicts:
            continue
        ids.append(insp["id"])
    return ids


def draw_pair(rng: random.Random, est: dict, allowed: list[int], recusals: dict, load: dict):
    """(lead, partner) for one unit, or None when no pair is left after recusal."""
    last = sorted(recusals.get("last_pairs", {}).get(str(est["id"]), []))
    pairs = [p for p in combinations(allowed, 2) if list(p) != last]
    if not pairs:
        return None
    fewest = min(load[a] + load[b] for a, b in pairs)
    pick = rng.choice([(a, b) for a, b in pairs if load[a] + load[b] == fewest])
    return pick if rng.random() < 0.5 else (pick[1], pick[0])


def run(seed: str, target_count: int, establishments, inspectors, recusals) -> list[dict]:
    """The draw's result: [{establishment_id, lead, partner}] in drawn order (None: no pair)."""
    rng = random.Random(int(seed, 16))
    load = {i["id"]: 0 for i in inspectors}
    rows = []
    for est in draw_targets(rng, establishments, target_count):
        pair = draw_pair(rng, est, allowed_inspectors(est, inspectors, recusals), recusals, load)
        if pair:
            load[pair[0]] += 1
            load[pair[1]] += 1
        lead, partner = pair or (None, None)
        rows.append({"establishment_id": est["id"], "lead": lead, "partner": partner})
    return rows
