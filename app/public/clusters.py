"""Near-duplicate complaints, folded for the office instead of refused at the door.

Two complaints are alike when they are about the same establishment, came in within
WINDOW of each other, and say the same thing: identical once whitespace, punctuation,
width and case are set aside, or a difflib ratio of SIMILARITY or more over their first
COMPARED characters. The ratio (pure Python, milliseconds a pair) is computed only for
pairs that share at least PREFILTER of their two-character pieces (Dice coefficient, set
arithmetic): a ratio of 0.8 leaves far more than that in common unless the shared text is
in one-character scraps. Without the cap and the filter, a page of 50 complaints about one
establishment with 500 around it took 5 to 50 seconds (bench figures in the report).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from difflib import SequenceMatcher

from sqlalchemy import and_, or_

from app.extensions import db
from app.models import Complaint, User
from app.public.complaints import complaint_scope

WINDOW = timedelta(hours=24)
SIMILARITY = 0.8
PREFILTER = 0.5
COMPARED = 200  # normalised characters: a flood that agrees this far is one flood
# The most complaints read around one page to fold it: a flood beyond this is still folded,
# only its count stops growing (it shows the cap).
NEIGHBOURS_MAX = 300
_NOISE = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """The words that count: NFKC, case-folded, without whitespace or punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "").casefold())


@dataclass(frozen=True)
class Words:
    """A complaint's normalised text and its two-character pieces, made once per page."""

    text: str
    pairs: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Words:
        """The Words of a raw complaint text."""
        norm = normalise(text)[:COMPARED]
        return cls(norm, frozenset(norm[i : i + 2] for i in range(len(norm) - 1)))


def similar_texts(a: Words, b: Words) -> bool:
    """Whether two texts are the same once normalised or nearly (ratio ≥ SIMILARITY)."""
    if a.text == b.text:
        return True
    if not a.text or not b.text:
        return False
    if a.pairs and b.pairs:
        dice = 2 * len(a.pairs & b.pairs) / (len(a.pairs) + len(b.pairs))
        if dice < PREFILTER:
            return False
    matcher = SequenceMatcher(None, a.text, b.text, autojunk=False)
    return matcher.real_quick_ratio() >= SIMILARITY and matcher.ratio() >= SIMILARITY


def alike(a: Complaint, b: Complaint, words: dict[int, Words]) -> bool:
    """Same establishment, within WINDOW, similar text (words: each complaint's, by id)."""
    if a.id == b.id or a.establishment_id != b.establishment_id:
        return False
    if abs(a.created_at - b.created_at) > WINDOW:
        return False
    return similar_texts(words[a.id], words[b.id])


def neighbours(user: User, complaints: list[Complaint]) -> list[Complaint]:
    """Complaints the user may see about the same establishments, within WINDOW of these."""
    times: dict[int, list] = {}
    for c in complaints:
        times.setdefault(c.establishment_id, []).append(c.created_at)
    if not times:
        return []
    near = [
        and_(
            Complaint.establishment_id == est_id,
            Complaint.created_at.between(min(at) - WINDOW, max(at) + WINDOW),
        )
        for est_id, at in times.items()
    ]
    stmt = (
        db.select(Complaint)
        .where(or_(*near), complaint_scope(user))
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
        .limit(NEIGHBOURS_MAX)
    )
    return list(db.session.scalars(stmt))


@dataclass
class Folded:
    """A page of complaints with the near-duplicates of each shown one folded under it."""

    shown: list[Complaint] = field(default_factory=list)
    similar: dict[int, int] = field(default_factory=dict)  # shown id → how many are alike


def fold(user: User, page: list[Complaint]) -> Folded:
    """The page in order, each complaint alike an earlier shown one left out of `shown`."""
    around = neighbours(user, page)
    words = {c.id: Words.of(c.text) for c in [*around, *page]}
    out = Folded()
    for complaint in page:
        if not any(alike(lead, complaint, words) for lead in out.shown):
            out.shown.append(complaint)
    for lead in out.shown:
        if count := sum(alike(lead, other, words) for other in around):
            out.similar[lead.id] = count
    return out


def similar_to(user: User, complaint: Complaint) -> list[Complaint]:
    """The complaints the user may see that are alike this one, newest first."""
    around = neighbours(user, [complaint])
    words = {c.id: Words.of(c.text) for c in [*around, complaint]}
    return [other for other in around if alike(complaint, other, words)]
