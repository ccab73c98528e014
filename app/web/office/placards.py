"""Office routes for placards (PNG, SVG, print page, batch sheets) and code replacement."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.scope import ADMIN
from app.extensions import db
from app.placards.cards import card_for, cards_for, inline_svg, registration_numbers, sheets
from app.placards.images import FontNotFoundError, placard_png, placard_svg
from app.public import cache as page_cache
from app.registry.codes import format_short_code, replace_codes
from app.registry.establishments import search_establishments
from app.web.forms import jurisdiction_choices
from app.web.guards import establishment_or_404, roles_required
from app.web.office import bp
from app.web.office.routes import OFFICE, registry_filters
from app.web.plumbing import error_page

BATCH_MAX = 400  # one print job; narrow the filters for more


def _card(est_id: int):
    est = establishment_or_404(est_id)
    if not est.qr_token:
        abort(404)
    return est, card_for(est, registration_numbers([est.id]).get(est.id))


def _download_name(est, ext: str) -> str:
    return f"placard-{est.short_code}.{ext}"


@bp.route("/establishments/<int:est_id>/placard.svg")
@roles_required(*OFFICE)
def placard_svg_file(est_id: int):
    est, card = _card(est_id)
    headers = {"Content-Disposition": f'inline; filename="{_download_name(est, "svg")}"'}
    return Response(placard_svg(card), mimetype="image/svg+xml", headers=headers)


@bp.route("/establishments/<int:est_id>/placard.png")
@roles_required(*OFFICE)
def placard_png_file(est_id: int):
    est, card = _card(est_id)
    try:
        png = placard_png(card, font_path=None)
    except FontNotFoundError as exc:
        return error_page(503, str(exc))
    headers = {"Content-Disposition": f'attachment; filename="{_download_name(est, "png")}"'}
    return Response(png, mimetype="image/png", headers=headers)


@bp.route("/establishments/<int:est_id>/placard")
@roles_required(*OFFICE)
def placard_print(est_id: int):
    est, card = _card(est_id)
    return render_template(
        "office/placard_print.html",
        est=est,
        svg=inline_svg(card),
        code=format_short_code(card.short_code),
    )


@bp.route("/placards")
@roles_required(*OFFICE)
def placards_batch():
    filters = registry_filters()
    stmt = search_establishments(current_user, **filters).limit(BATCH_MAX + 1)
    found = list(db.session.scalars(stmt))
    too_many = len(found) > BATCH_MAX
    cards = cards_for([e for e in found[:BATCH_MAX] if e.qr_token])
    return render_template(
        "office/placards_batch.html",
        sheets=sheets(cards),
        count=len(cards),
        too_many=too_many,
        filters=filters,
        jurisdictions=jurisdiction_choices(),
        batch_max=BATCH_MAX,
    )


@bp.route("/establishments/<int:est_id>/replace-code", methods=["POST"])
@roles_required(*ADMIN)
def replace_code(est_id: int):
    est = establishment_or_404(est_id)
    old_token = est.qr_token
    replace_codes(current_user, est)
    db.session.commit()
    page_cache.forget(old_token)
    flash(
        _(
            "已更换二维码，新查询码 %(code)s。旧公示牌即刻失效，请打印新公示牌。",
            code=format_short_code(est.short_code),
        ),
        "success",
    )
    return redirect(url_for("office.establishment", est_id=est.id))
