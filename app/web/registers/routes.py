"""Office pages for "three small" registrations and filings."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit
from app.core.scope import ADMIN, OFFICE
from app.due.reminders import reminders
from app.extensions import db
from app.models import Establishment, Registration
from app.models.registration import REGISTRATION_STATES
from app.photos import PhotoError, StorageFull
from app.registers import registrations as regs
from app.web.guards import establishment_or_404, roles_required
from app.web.plumbing import paginated
from app.web.registers import bp
from app.web.registers.forms import AmendForm, ApplicationForm, CancelForm, DateActionForm


def visible_registration(reg_id: int) -> Registration:
    """The registration if its establishment is visible to the user (404 otherwise)."""
    reg = db.session.get(Registration, reg_id) or abort(404)
    establishment_or_404(reg.establishment_id)
    return reg


@bp.route("/registrations")
@roles_required(*OFFICE)
def registrations():
    state = request.args.get("state", "")
    q = request.args.get("q", "").strip()
    stmt = regs.scoped(current_user)
    if state in REGISTRATION_STATES:
        stmt = stmt.where(Registration.state == state)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(Establishment.name.ilike(like) | Registration.number.ilike(like))
    page = paginated(stmt.order_by(Registration.created_at.desc(), Registration.id.desc()))
    unregistered = paginated(unregistered_stmt())
    return render_template(
        "registers/registrations.html",
        page=page,
        state=state,
        q=q,
        unregistered=unregistered,
        reminders=reminders(current_user),
    )


def unregistered_stmt():
    """Active "three small" units with no live application or card."""
    live = db.select(Registration.establishment_id).where(
        Registration.state.in_(("applied", "issued"))
    )
    return (
        db.select(Establishment)
        .where(
            Establishment.category.in_(tuple(regs.KIND_BY_CATEGORY)),
            Establishment.active.is_(True),
            Establishment.id.not_in(live),
        )
        .order_by(Establishment.name, Establishment.id)
    )


@bp.route("/establishments/<int:est_id>/registration/new", methods=["GET", "POST"])
@roles_required(*ADMIN)
def registration_new(est_id: int):
    est = establishment_or_404(est_id)
    form = ApplicationForm(
        category=est.category,
        operator=est.operator,
        address=est.address,
        contact_phone=est.contact_phone,
    )
    photo_error, full = None, False
    if form.validate_on_submit():
        try:
            reg = regs.apply(
                current_user,
                est,
                form.applied_on.data,
                form.details(),
                photos=request.files.getlist("photo"),
                config=current_app.config,
            )
        except regs.RegistrationError as exc:
            flash(str(exc), "error")
        except (PhotoError, StorageFull) as err:
            db.session.rollback()
            photo_error, full = err.message, isinstance(err, StorageFull)
        else:
            db.session.commit()
            flash(_("已受理申请。"), "success")
            return redirect(url_for("registers.registration", reg_id=reg.id))
    elif any(f.filename for f in request.files.getlist("photo")):
        photo_error = _("照片未保存，改正上面的问题后请重新选择照片。")
    html = render_template(
        "registers/application_form.html", form=form, est=est, photo_error=photo_error
    )
    return html, 507 if full else (400 if photo_error else 200)


@bp.route("/registrations/<int:reg_id>")
@roles_required(*OFFICE)
def registration(reg_id: int):
    reg = visible_registration(reg_id)
    rows = regs.history(reg.establishment)
    events = audit.history(*rows)
    return render_template(
        "registers/registration.html",
        reg=reg,
        rows=rows,
        events=events,
        date_form=DateActionForm(),
        cancel_form=CancelForm(),
        photos=regs.registration_photos(rows),
    )


@bp.route("/registrations/<int:reg_id>/photos", methods=["POST"])
@roles_required(*ADMIN)
def registration_photos(reg_id: int):
    """Papers brought after the application was taken (licence, ID, health certificates)."""
    reg = visible_registration(reg_id)
    try:
        added = regs.add_photos(
            current_user, reg, request.files.getlist("photo"), current_app.config
        )
    except (PhotoError, StorageFull) as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        db.session.commit()
        if added:
            flash(_("已添加 %(n)d 张照片。", n=len(added)), "success")
        else:
            flash(_("没有收到照片文件，请重新选择。"), "error")
    return redirect(url_for("registers.registration", reg_id=reg.id))


def step(reg_id: int, run):
    """Run a registration step from a form, flashing the rule's message on refusal."""
    reg = visible_registration(reg_id)
    try:
        result = run(reg)
    except regs.RegistrationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("registers.registration", reg_id=reg_id))
    db.session.commit()
    target = result if isinstance(result, Registration) else reg
    return redirect(url_for("registers.registration", reg_id=target.id))


def dated(form):
    """The form's date, or a RegistrationError with the form's message."""
    if not form.validate_on_submit():
        errors = [e for f in form for e in f.errors]
        raise regs.RegistrationError("；".join(map(str, errors)) or _("请检查填写内容。"))
    return form.on.data


def issue(reg_id: int, service, done):
    """Approve or renew on the dated form; done(number) is the message flashed."""

    def run(reg):
        result = service(current_user, reg, dated(DateActionForm()))
        flash(done(result.number), "success")
        return result

    return step(reg_id, run)


@bp.route("/registrations/<int:reg_id>/approve", methods=["POST"])
@roles_required(*ADMIN)
def registration_approve(reg_id: int):
    return issue(reg_id, regs.approve, lambda n: _("已发证：%(n)s", n=n))


@bp.route("/registrations/<int:reg_id>/renew", methods=["POST"])
@roles_required(*ADMIN)
def registration_renew(reg_id: int):
    return issue(reg_id, regs.renew, lambda n: _("已延续，新编号：%(n)s", n=n))


@bp.route("/registrations/<int:reg_id>/cancel", methods=["POST"])
@roles_required(*ADMIN)
def registration_cancel(reg_id: int):
    def run(reg):
        form = CancelForm()
        regs.cancel(current_user, reg, dated(form), form.reason.data.strip())
        flash(_("已注销。"), "success")

    return step(reg_id, run)


@bp.route("/registrations/<int:reg_id>/amend", methods=["GET", "POST"])
@roles_required(*ADMIN)
def registration_amend(reg_id: int):
    reg = visible_registration(reg_id)
    form = AmendForm(data=None if request.method == "POST" else reg.details)
    if form.validate_on_submit():
        try:
            changed = regs.amend(current_user, reg, form.changes(), form.reason.data)
        except regs.RegistrationError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("已变更。") if changed else _("没有改动。"), "success")
            return redirect(url_for("registers.registration", reg_id=reg.id))
    return render_template("registers/amend_form.html", form=form, reg=reg)


@bp.route("/registrations/<int:reg_id>/card")
@roles_required(*OFFICE)
def registration_card(reg_id: int):
    reg = visible_registration(reg_id)
    if reg.number is None:
        abort(404)
    return render_template("registers/card.html", reg=reg)
