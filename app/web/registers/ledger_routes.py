"""Office pages for the hazard ledger (挂账督办), and the move handler the field shares."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.clock import local_today
from app.core.scope import roles_required
from app.extensions import db
from app.inspections import ledger
from app.models import Action, AuditEvent, Inspection
from app.models.ledger import ACTION_STATES
from app.photos import PhotoError
from app.registry.export import LEDGER_HEADERS, ledger_rows
from app.web.office.forms import jurisdiction_choices
from app.web.plumbing import export_format, paginated, spreadsheet
from app.web.registers import bp
from app.web.registers.forms import NoteForm

OFFICE = ("admin", "viewer")
NOTE_REQUIRED = ("rectify", "escalate")


def ledger_filters() -> dict:
    """The ledger filters from the query string, cleaned."""
    state = request.args.get("state", "live")
    return {
        "jurisdiction_id": request.args.get("jurisdiction_id", type=int),
        "state": state if state in (*ACTION_STATES, "live") else "",
        "overdue": request.args.get("overdue") == "1",
    }


@bp.route("/ledger")
@roles_required(*OFFICE)
def ledger_list():
    filters = ledger_filters()
    page = paginated(ledger.ledger_query(current_user, **filters))
    return render_template(
        "registers/ledger.html",
        page=page,
        filters=filters,
        jurisdictions=jurisdiction_choices(),
        today=local_today(),
    )


@bp.route("/ledger/export.<fmt>")
@roles_required(*OFFICE)
def ledger_export(fmt: str):
    fmt = export_format(fmt)
    today = local_today()
    rows = ledger_rows(ledger.ledger_query(current_user, **ledger_filters(), today=today), today)
    return spreadsheet(fmt, "hazard-ledger", "挂账督办台账", LEDGER_HEADERS, rows)


def entry_context(entry: Action) -> dict:
    """What the entry page shows: opening inspection, photos, history, forms."""
    events = db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.entity == "action", AuditEvent.entity_id == entry.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return {
        "entry": entry,
        "opening": db.session.get(Inspection, entry.inspection_id),
        "photos": ledger.entry_photos(entry),
        "events": events,
        "overdue": ledger.is_overdue(entry),
        "form": NoteForm(),
        "moves": [m for m, (starts, _end) in ledger.MOVES.items() if entry.state in starts],
    }


@bp.route("/ledger/<int:action_id>")
@roles_required(*OFFICE)
def ledger_entry(action_id: int):
    entry = ledger.visible_entry(current_user, action_id) or abort(404)
    return render_template("registers/ledger_entry.html", **entry_context(entry), base="registers")


@bp.route("/ledger/<int:action_id>/<move>", methods=["POST"])
@roles_required("admin")
def ledger_move(action_id: int, move: str):
    return apply_move(action_id, move, "registers.ledger_entry")


def apply_move(action_id: int, move: str, endpoint: str):
    """Rectify, verify or escalate an entry the user may see; refusals are flashed."""
    entry = ledger.visible_entry(current_user, action_id) or abort(404)
    if move not in ledger.MOVES:
        abort(404)
    form = NoteForm()
    note = form.note.data or ""
    if not form.validate_on_submit() or (move in NOTE_REQUIRED and not note):
        flash(_("请填写说明。"), "error")
        return redirect(url_for(endpoint, action_id=entry.id))
    extra = {}
    if move == "rectify":
        extra = {"photos": request.files.getlist("photo"), "config": current_app.config}
    try:
        getattr(ledger, move)(current_user, entry, note=note, **extra)
    except ledger.IllegalTransition:
        db.session.rollback()
        flash(_("该挂账当前状态不允许此操作。"), "error")
    except PhotoError as err:
        db.session.rollback()
        return refused_photo(action_id, move, note, err.message, endpoint)
    else:
        db.session.commit()
        flash(MOVE_DONE[move](), "success")
    return redirect(url_for(endpoint, action_id=entry.id))


def refused_photo(action_id: int, move: str, note: str, message: str, endpoint: str):
    """The entry page again with the typed note kept and the photo's message (nothing saved)."""
    entry = ledger.visible_entry(current_user, action_id) or abort(404)
    context = entry_context(entry) | {"kept": {move: note}, "photo_error": message}
    base = endpoint.split(".")[0]
    return render_template("registers/ledger_entry.html", **context, base=base), 400


MOVE_DONE = {
    "rectify": lambda: _("已记录整改。"),
    "verify": lambda: _("已复查销号。"),
    "escalate": lambda: _("已升级督办。"),
}
