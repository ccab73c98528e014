"""A day's rapid tests (快检) of a market or shop, entered from a phone several rows at once."""

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.clock import local_today
from app.core.scope import FIELD
from app.extensions import db
from app.sampling.queries import register_query
from app.sampling.record import MAX_ROWS, SamplesRefused, record_samples
from app.web.field import bp
from app.web.guards import establishment_or_404, roles_required

ROWS = 10  # a day's tests are typically 10-30; the page adds rows as needed
SHARED = ("tested_on", "method", "tester_name")  # typed once, for every row
ROW_FIELDS = (
    "client_uuid", "stall", "product", "test_item", "result", "value", "unit",
    "has_certificate", "certificate_no", "action_note",
)  # fmt: skip


def posted_rows(form) -> list[dict]:
    """The form's rows (rows-<i>-<field>) with the shared fields copied into each."""
    shared = {key: form.get(key, "") for key in SHARED}
    count = min(form.get("row_count", ROWS, type=int) or ROWS, MAX_ROWS + 1)
    rows = []
    for i in range(count):
        row = {key: form.get(f"rows-{i}-{key}", "") for key in ROW_FIELDS}
        row["batch_actions"] = form.getlist(f"rows-{i}-batch_actions")
        rows.append(row | shared)
    return rows


def blank_rows(n: int = ROWS) -> list[dict]:
    """Empty rows, each with its own client UUID (a resent form keeps nothing twice)."""
    return [{"client_uuid": str(uuid.uuid4()), "batch_actions": []} for _ in range(n)]


def samples_page(est, rows: list[dict], shared: dict, messages=(), status: int = 200):
    """The entry page; rows and shared refill a refused form so nothing typed is lost."""
    today = local_today()
    recent = register_query(current_user, est.id, first=today).limit(100)
    return render_template(
        "field/samples.html",
        est=est,
        rows=rows,
        shared=shared,
        messages=messages,
        today=today,
        recent=list(db.session.scalars(recent)),
    ), status


@bp.route("/establishments/<int:est_id>/samples")
@roles_required(*FIELD)
def samples(est_id: int):
    est = establishment_or_404(est_id)
    shared = {"tested_on": local_today().isoformat(), "method": "rapid", "tester_name": ""}
    return samples_page(est, blank_rows(), shared)


@bp.post("/establishments/<int:est_id>/samples")
@roles_required(*FIELD)
def record(est_id: int):
    est = establishment_or_404(est_id)
    rows = posted_rows(request.form)
    try:
        kept = record_samples(current_user, est, rows)
    except SamplesRefused as refused:
        shared = {key: request.form.get(key, "") for key in SHARED}
        return samples_page(est, rows, shared, refused.messages, 422)
    failed = sum(s.result == "fail" for s in kept)
    flash(_("已保存 %(n)d 条检测记录。", n=len(kept)), "success")
    if failed:
        flash(_("%(n)d 条不合格，已列入挂账督办。", n=failed), "error")
    return redirect(url_for("field.samples", est_id=est.id))
