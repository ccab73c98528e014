"""Proof of presence: where and when the phone was at an inspection's start and submit.

A fix is {status, lat, lng, accuracy, at}: status "ok" with a position, or "denied" /
"unavailable" when the inspector refused geolocation or the phone had none. Fixes are kept
in the inspection's fields under PRESENCE_KEY (no schema change); the submit position also
goes into the latitude/longitude columns. A bad or missing fix never blocks a submit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.models import Inspection
from app.models.types import utcnow

FAR_METRES = 500  # a fix further than this from the registered location is flagged
PRESENCE_KEY = "_presence"
MOMENTS = ("start", "submit")
STATUSES = ("ok", "denied", "unavailable")
EARTH_RADIUS_M = 6_371_000
MAX_ACCURACY_M = 100_000  # a "fix" vaguer than 100 km says nothing
FUTURE_SLACK = timedelta(minutes=10)  # phone clocks run a little fast
MAX_AGE = timedelta(days=60)  # an offline queue is days old, not months


@dataclass(frozen=True)
class Check:
    """A fix compared with the establishment's registered location, for the office."""

    moment: str
    fix: dict
    at: datetime | None
    distance_m: int | None
    far: bool
    vague: bool


def parse_fix(raw: Any, now: datetime | None = None) -> dict | None:
    """A posted fix cleaned to {status, lat, lng, accuracy, at}; None when it is unusable."""
    if not isinstance(raw, Mapping):
        return None
    now = now or utcnow()
    status = raw.get("status") or "ok"
    at = _time(raw.get("at"), now)
    if status in ("denied", "unavailable"):
        return {"status": status, "at": _iso(at or now)}
    lat, lng = _number(raw.get("lat"), 90), _number(raw.get("lng"), 180)
    accuracy = _number(raw.get("accuracy"), MAX_ACCURACY_M, low=0)
    if status != "ok" or lat is None or lng is None or at is None:
        return None
    return {"status": "ok", "lat": lat, "lng": lng, "accuracy": accuracy, "at": _iso(at)}


def _number(value: Any, limit: float, low: float | None = None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    lowest = -limit if low is None else low
    return number if math.isfinite(number) and lowest <= number <= limit else None


def _time(value: Any, now: datetime) -> datetime | None:
    """An ISO 8601 time (or epoch milliseconds) that is neither in the future nor ancient."""
    when = _parsed(value)
    return when if when and now - MAX_AGE <= when <= now + FUTURE_SLACK else None


def _parsed(value: Any) -> datetime | None:
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            when = datetime.fromtimestamp(value / 1000, UTC)
        else:
            when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def from_form(form: Mapping[str, str], moment: str) -> dict | None:
    """The fix a page posted as presence.<moment>.<part> hidden inputs."""
    parts = ("status", "lat", "lng", "accuracy", "at")
    raw = {p: form.get(f"presence.{moment}.{p}") for p in parts}
    return parse_fix(raw) if any(raw.values()) else None


def record(inspection: Inspection, moment: str, raw: Any, keep: bool = True) -> None:
    """Store one moment's fix; keep=True leaves an earlier one of that moment in place."""
    fix = parse_fix(raw)
    stored = fixes(inspection)
    if fix is None or (keep and stored.get(moment)):
        return
    fields = dict(inspection.fields or {})
    fields[PRESENCE_KEY] = {**stored, moment: fix}
    inspection.fields = fields  # a new dict, so the JSON column is written
    if fix["status"] == "ok" and (moment == "submit" or inspection.latitude is None):
        inspection.latitude, inspection.longitude = fix["lat"], fix["lng"]


def record_all(inspection: Inspection, presence: Any) -> None:
    """Store the start and submit fixes of a posted presence object (the JSON API)."""
    if isinstance(presence, Mapping):
        for moment in MOMENTS:
            record(inspection, moment, presence.get(moment))


def copy(old: Inspection, new: Inspection) -> None:
    """A revision keeps the original visit's fixes (an amendment is not a visit)."""
    stored = fixes(old)
    if stored:
        new.fields = {**(new.fields or {}), PRESENCE_KEY: stored}


def fixes(inspection: Inspection) -> dict:
    """The stored fixes by moment."""
    stored = (inspection.fields or {}).get(PRESENCE_KEY)
    return dict(stored) if isinstance(stored, Mapping) else {}


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def checks(inspection: Inspection) -> list[Check]:
    """Each stored fix beside the establishment's registered location, flagged when far.

    far: more than FAR_METRES away; vague: the phone's accuracy is worse than FAR_METRES,
    so the fix cannot show the inspector was there.
    """
    est = inspection.establishment
    known = est.latitude is not None and est.longitude is not None
    out = []
    for moment, fix in fixes(inspection).items():
        if moment not in MOMENTS or not isinstance(fix, Mapping):
            continue
        far, vague, metres = False, False, None
        if fix.get("status") == "ok" and known:
            metres = round(distance_m(est.latitude, est.longitude, fix["lat"], fix["lng"]))
            accuracy = fix.get("accuracy")
            far = metres > FAR_METRES
            vague = accuracy is not None and accuracy > FAR_METRES
        at = _parsed(fix.get("at"))
        out.append(Check(moment, dict(fix), at, metres, far, vague))
    return sorted(out, key=lambda c: MOMENTS.index(c.moment))


def is_data_key(key: str) -> bool:
    """True for fields keys that are checklist data (not presence or other bookkeeping)."""
    return not str(key).startswith("_")
