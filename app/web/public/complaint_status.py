"""The receipt-code page (/complaint-status) and the insiders' channel (内部举报)."""

from flask import current_app, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _

from app.core.clock import local_date
from app.core.labels import COMPLAINT_KIND_LABELS, COMPLAINT_STAGE_LABELS
from app.extensions import db
from app.public import status as public_status
from app.public.complaint_clock import next_step, stage
from app.public.complaint_rules import by_receipt, format_receipt
from app.public.complaints import ComplaintLimited
from app.public.insider import submit_insider
from app.public.lookups import lookup_allowed
from app.registry.codes import is_retired_token
from app.web.public import bp
from app.web.public.forms import InsiderForm, ReceiptForm
from app.web.public.routes import RECEIPT_KEY, client, not_found, replaced


def private(html, code: int = 200):
    """A page never stored by a cache: it answers for one citizen."""
    response = make_response(html, code)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def public_view(c) -> dict:
    """What the receipt page shows: kind, stage, dates, the decision and the public reply.

    Nothing personal: no name, phone, text or photo of the complaint.
    """
    step = next_step(c)
    return {
        "kind": COMPLAINT_KIND_LABELS[c.kind],
        "stage": COMPLAINT_STAGE_LABELS[stage(c)],
        "establishment": c.establishment.name,
        "received": local_date(c.created_at),
        "decided": local_date(c.decided_at),
        "rejected_reason": c.decision_reason if c.decision == "rejected" else "",
        "extended": c.extended_at is not None,
        "due": step.deadline if step and step.key != "notify" else None,
        "closed": local_date(c.closed_at) if c.decision != "rejected" else None,
        "reply": c.public_reply,
    }


@bp.route("/complaint-status", methods=["GET", "POST"])
def complaint_status():
    """Receipt code → the complaint's status and reply (rate-limited per address)."""
    form = ReceiptForm()
    if not form.is_submitted():
        return private(render_template("public/complaint_status.html", form=form, error=None))
    if not form.validate():
        error = _("页面已过期，请重新输入回执码。")
        return private(render_template("public/complaint_status.html", form=form, error=error), 400)
    if not lookup_allowed(client(), current_app.config["FANGXIN_LOOKUPS_PER_MINUTE"]):
        error = _("查询太频繁，请一分钟后再试。")
        return private(render_template("public/complaint_status.html", form=form, error=error), 429)
    found = by_receipt(form.code.data or "")
    if found is None:
        error = _("没有找到这个回执码。回执码共 10 位，由数字 2-9 和字母组成，请核对后重试。")
        return private(render_template("public/complaint_status.html", form=form, error=error), 404)
    html = render_template(
        "public/complaint_status.html",
        form=form,
        error=None,
        v=public_view(found),
        receipt=format_receipt(found.receipt_code),
    )
    return private(html)


@bp.route("/q/<token>/insider", methods=["GET", "POST"])
def insider(token: str):
    """内部举报: a separate form for people inside the business (identity kept apart)."""
    found = public_status.load(token)
    if found is None:
        return replaced() if is_retired_token(token) else not_found(token)
    est, form, limited = found[0], InsiderForm(), None
    if form.validate_on_submit():
        try:
            sent = submit_insider(
                est,
                form.text.data,
                form.name.data or "",
                form.contact.data or "",
                form.relation.data or "",
                client(),
                current_app.config["FANGXIN_COMPLAINTS_PER_SENDER_HOUR"],
            )
        except ComplaintLimited as exc:
            limited = str(exc)
        else:
            db.session.commit()
            session[RECEIPT_KEY] = sent.receipt_code
            return redirect(url_for("public.insider_sent", token=token), 303)
    code = 429 if limited else (400 if form.errors else 200)
    html = render_template("public/insider.html", est=est, token=token, form=form, limited=limited)
    return private(html, code)


@bp.route("/q/<token>/insider/sent")
def insider_sent(token: str):
    receipt = format_receipt(session.get(RECEIPT_KEY))
    return private(render_template("public/insider_sent.html", token=token, receipt=receipt))
