"""The ledger entry page and its moves, which the field and the office blueprints share."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit
from app.extensions import db
from app.inspections import ledger
from app.models import Inspection, LedgerEntry, Sample
from app.photos import PhotoError, StorageFull
from app.web.forms import NoteForm
from app.web.guards import roles_required

NOTE_REQUIRED = ("rectify", "escalate")


def add_entry_views(bp, see: tuple[str, ...], act: tuple[str, ...]) -> None:
    """Give a blueprint the entry page (/ledger/<id>) and its moves (/ledger/<id>/<move>)."""

    @bp.route("/ledger/<int:action_id>")
    @roles_required(*see)
    def ledger_entry(action_id: int):
        entry = ledger.visible_entry(current_user, action_id) or abort(404)
        return render_template("registers/ledger_entry.html", **entry_context(entry), base=bp.name)

    @bp.route("/ledger/<int:action_id>/<move>", methods=["POST"])
    @roles_required(*act)
    def ledger_move(action_id: int, move: str):
        return apply_move(action_id, move, f"{bp.name}.ledger_entry")


def entry_context(entry: LedgerEntry) -> dict:
    """What the entry page shows: opening inspection, photos, history, forms."""
    events = audit.history(entry)
    return {
        "entry": entry,
        "opening": db.session.get(Inspection, entry.inspection_id) if entry.inspection_id else None,
        "sample": db.session.get(Sample, entry.sample_id) if entry.sample_id else None,
        "photos": ledger.entry_photos(entry),
        "events": events,
        "overdue": ledger.is_overdue(entry),
        "form": NoteForm(),
        "moves": [m for m, (starts, _end) in ledger.MOVES.items() if entry.state in starts],
    }


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
    except (PhotoError, StorageFull) as err:
        db.session.rollback()
        status = 507 if isinstance(err, StorageFull) else 400
        return refused_photo(action_id, move, note, err.message, endpoint, status)
    else:
        db.session.commit()
        flash(MOVE_DONE[move](), "success")
    return redirect(url_for(endpoint, action_id=entry.id))


def refused_photo(action_id: int, move: str, note: str, message: str, endpoint: str, status=400):
    """The entry page again with the typed note kept and the photo's message (nothing saved)."""
    entry = ledger.visible_entry(current_user, action_id) or abort(404)
    context = entry_context(entry) | {"kept": {move: note}, "photo_error": message}
    base = endpoint.split(".")[0]
    return render_template("registers/ledger_entry.html", **context, base=base), status


MOVE_DONE = {
    "rectify": lambda: _("已记录整改。"),
    "verify": lambda: _("已复查销号。"),
    "escalate": lambda: _("已升级督办。"),
}
