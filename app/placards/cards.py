"""Placards for establishments: the card data from the registry, and batch pages of four."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from markupsafe import Markup

from app.extensions import db
from app.models import Establishment, Registration
from app.placards.images import PlacardData, placard_svg
from app.placards.qr import public_url

PER_SHEET = 4  # A6 cards on an A4 sheet, 2 x 2


def registration_numbers(ids: Iterable[int]) -> dict[int, str]:
    """Each establishment's latest issued, uncancelled registration number (one query)."""
    rows = db.session.execute(
        db.select(Registration.establishment_id, Registration.number)
        .where(
            Registration.establishment_id.in_(list(ids)),
            Registration.number.is_not(None),
            Registration.issued_on.is_not(None),
            Registration.cancelled_on.is_(None),
            Registration.state.not_in(("cancelled", "superseded")),
        )
        .order_by(Registration.issued_on, Registration.id)
    )
    return dict(rows.all())  # later rows win: the latest issued


def card_for(est: Establishment, number: str | None = None) -> PlacardData:
    """What an establishment's placard shows (registration number before the licence)."""
    cfg = current_app.config
    return PlacardData(
        city=cfg["FANGXIN_CITY_NAME"],
        name=est.name,
        category_label=est.category_label,
        licence_no=number or est.licence_no,
        url=public_url(cfg["FANGXIN_PUBLIC_BASE_URL"], est.qr_token),
        short_code=est.short_code,
    )


def cards_for(establishments: list[Establishment]) -> list[PlacardData]:
    """The placards of several establishments, with their registration numbers."""
    numbers = registration_numbers(e.id for e in establishments)
    return [card_for(e, numbers.get(e.id)) for e in establishments]


def inline_svg(card: PlacardData) -> Markup:
    """A placard's SVG for embedding in an HTML page (without the XML declaration)."""
    svg = placard_svg(card)
    return Markup(svg[svg.index("<svg") :])


def sheets(cards: list[PlacardData]) -> list[list[Markup]]:
    """The cards as inline SVGs, grouped four to an A4 sheet."""
    svgs = [inline_svg(c) for c in cards]
    return [svgs[i : i + PER_SHEET] for i in range(0, len(svgs), PER_SHEET)]
