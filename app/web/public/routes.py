"""Public routes: no login. The status page and its JSON are cacheable for a minute."""

from flask import (
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.checklists import programmes_for_category, shipped_programmes
from app.core import health
from app.core.labels import HANDLING_LABELS, INSPECTION_TYPE_LABELS, OUTCOMES
from app.core.scope import FIELD, can_edit, covered_jurisdiction_ids
from app.extensions import db
from app.photos import MB, PhotoError
from app.photos.storage import free_bytes
from app.placards.qr import public_url
from app.public import cache as page_cache
from app.public import status as public_status
from app.public.complaint_rules import format_receipt
from app.public.complaints import ComplaintLimited, PhotoNotKept, submit_complaint
from app.public.lookups import client_hash, lookup_allowed
from app.publication.public import posted_result
from app.registry.codes import (
    format_short_code,
    is_retired_short_code,
    is_retired_token,
    is_short_code,
    normalise_short_code,
    recover_token,
    token_for_short_code,
)
from app.web.plumbing import allow_photos_in_form
from app.web.public import bp
from app.web.public.forms import ComplaintForm
from app.web.translated import tr

# A photo over the limit is refused with the form shown again, text kept, rather than the
# whole post refused unread.
allow_photos_in_form(bp, "public.complaint", 3)
# The published result on the placard page (app/templates/public/_result.html).
PUBLIC_LABELS = {
    "TYPE_LABELS": INSPECTION_TYPE_LABELS,
    "HANDLINGS": HANDLING_LABELS,
    "OUTCOMES": OUTCOMES,
}
RECEIPT_KEY = "complaint_receipt"  # the last receipt code, for the thanks page only


def client() -> str:
    """The keyed hash of this request's client address."""
    return client_hash(current_app.config["SECRET_KEY"], request.remote_addr)


def cacheable(response):
    """Public for a minute to anonymous visitors; never stored once someone is signed in."""
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-store"
    else:
        response.headers["Cache-Control"] = "public, max-age=60"
    response.vary.add("Cookie")
    return response


def status_or_gone(token: str):
    """(establishment, status dict), or a response for a replaced or unknown code."""
    found = public_status.load(token)
    if found is not None:
        est, open_actions = found
        return est, public_status.public_status(est, open_actions)
    if is_retired_token(token):
        return None, replaced()
    return None, not_found(token)


def replaced():
    """The page for a code that was replaced: nothing about the establishment."""
    message = _("此二维码已停用，公示牌已更换。请扫描单位现场张贴的新二维码。")
    if request.path.endswith(".json"):
        return cacheable(make_response(jsonify(replaced=True, message=message), 410))
    return cacheable(make_response(render_template("public/replaced.html", message=message), 410))


@bp.route("/q/", defaults={"text": ""})
@bp.route("/q/<path:text>")
def damaged(text: str):
    """Any other /q/ link (a slash glued on, words after the token): as not_found."""
    return not_found(text)


def not_found(text: str):
    """A damaged or mistyped placard link: the page it still names, else the short-code box.

    A typed short code goes to the lookup, which counts it against the address's limit.
    """
    if request.path.endswith(".json"):
        return jsonify(error=_("找不到这个二维码。")), 404
    if (token := recover_token(text)) is not None and token != text:
        return redirect(url_for("public.status", token=token), 303)
    if is_short_code(normalise_short_code(text)):
        return redirect(url_for("public.lookup", code=normalise_short_code(text)), 303)
    return render_template("public/not_found.html", code=""), 404


def field_programmes(est) -> list | None:
    """For a signed-in inspector who covers this establishment: the programmes to start."""
    if not current_user.is_authenticated or current_user.role not in FIELD:
        return None
    covered = can_edit(current_user) or (
        est.jurisdiction_id in covered_jurisdiction_ids(current_user)
    )
    if not covered:
        return None
    return programmes_for_category(est.category)


@bp.route("/healthz")
def healthz():
    """For load balancers and monitoring: database reachable, room in the photo store (JSON)."""
    cfg = current_app.config
    body, healthy = health.report(free_bytes(cfg), int(cfg["FANGXIN_HEALTH_MIN_FREE_MB"]))
    return body, 200 if healthy else 503, {"Cache-Control": "no-store"}


def anonymous_key(kind: str, token: str) -> tuple | None:
    """The page-cache key for an anonymous visitor (None when signed in: never cached)."""
    if current_user.is_authenticated:
        return None
    return (kind, token, str(get_locale()))


def cached(key: tuple | None, mimetype: str):
    """A response from the page cache, or None."""
    body = page_cache.get(key) if key else None
    return cacheable(current_app.response_class(body, mimetype=mimetype)) if body else None


def status_page(token: str, kind: str, mimetype: str, render):
    """The cached public page of a kind if fresh, else render(est, info), cached for anonymous
    visitors; a replaced or unknown token answers as status_or_gone does."""
    key = anonymous_key(kind, token)
    if hit := cached(key, mimetype):
        return hit
    est, info = status_or_gone(token)
    if est is None:
        return info
    response = render(est, info)
    if key:
        page_cache.put(key, response.get_data())
    return cacheable(response)


@bp.route("/q/<token>")
def status(token: str):
    def render(est, info):
        return make_response(
            render_template(
                "public/status.html",
                token=token,
                s=info,
                short_code=format_short_code(info["short_code"] or ""),
                programme_titles={c: tr(p, "title") for c, p in shipped_programmes().items()},
                inspector_programmes=field_programmes(est),
                est_id=est.id if current_user.is_authenticated else None,
                posted=posted_result(est.id),
                **PUBLIC_LABELS,
            )
        )

    return status_page(token, "html", "text/html", render)


@bp.route("/q/<token>.json")
def status_json(token: str):
    def render(_est, info):
        base = current_app.config["FANGXIN_PUBLIC_BASE_URL"]
        return jsonify(info | {"url": public_url(base, token)})

    return status_page(token, "json", "application/json", render)


@bp.route("/q/<token>/complaint", methods=["GET", "POST"])
def complaint(token: str):
    found = public_status.load(token)
    if found is None:
        return replaced() if is_retired_token(token) else not_found(token)
    est = found[0]
    form = ComplaintForm()
    limited = photo_error = None
    photo = request.files.get("photo")
    photo = photo if photo is not None and photo.filename else None
    if form.validate_on_submit():
        try:
            send_complaint(est, form, photo)
        except ComplaintLimited as exc:
            limited = str(exc)
        except PhotoError as err:
            db.session.rollback()
            photo_error = err.message
        except PhotoNotKept as kept:
            db.session.commit()  # the complaint counts; only its photo found no room
            session[RECEIPT_KEY] = kept.complaint.receipt_code
            return complaint_sent_page(token, kept.message, 507)
        else:
            db.session.commit()
            return redirect(url_for("public.complaint_sent", token=token), 303)
    elif photo is not None and form.errors:
        photo_error = _("照片未提交，改正上面的问题后请重新选择照片。")
    code = 429 if limited else (400 if form.errors or photo_error else 200)
    return complaint_page(est, token, form, code, limited=limited, photo_error=photo_error)


def complaint_page(est, token: str, form: ComplaintForm, code: int, **messages):
    """The complaint form, never cached: it holds what the citizen typed."""
    max_bytes = current_app.config["FANGXIN_PHOTO_MAX_BYTES"]
    too_large = _(
        "照片超过 %(mb)s MB，已取消选择；请换一张或压缩后再选，举报内容仍可提交。",
        mb=max_bytes // MB,
    )
    html = render_template(
        "public/complaint.html",
        est=est,
        token=token,
        form=form,
        photo_max_bytes=max_bytes,
        photo_too_large=too_large,
        **messages,
    )
    response = make_response(html, code)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_complaint(est, form: ComplaintForm, photo) -> None:
    """Record the complaint and its optional photo (ComplaintLimited, PhotoError, PhotoNotKept);
    its receipt code is kept in the session for the thanks page."""
    cfg = current_app.config
    per_sender = cfg["FANGXIN_COMPLAINTS_PER_SENDER_HOUR"]
    session.pop(RECEIPT_KEY, None)
    complaint = submit_complaint(
        est,
        form.text.data,
        form.phone.data or "",
        client(),
        per_sender,
        photo=photo,
        config=cfg,
        kind=form.kind.data,
        reporter_name=form.reporter_name.data or "",
    )
    session[RECEIPT_KEY] = complaint.receipt_code


@bp.route("/q/<token>/complaint/sent")
def complaint_sent(token: str):
    return complaint_sent_page(token)


def complaint_sent_page(token: str, photo_error: str | None = None, code: int = 200):
    """The thanks page; photo_error when the complaint was kept but its photo was not."""
    receipt = format_receipt(session.get(RECEIPT_KEY))
    html = render_template(
        "public/complaint_sent.html", token=token, photo_error=photo_error, receipt=receipt
    )
    return html, code, {"Cache-Control": "private, no-store"}


@bp.route("/lookup")
def lookup():
    """The short-code box: typed code → the establishment's page (rate-limited per address)."""
    text = request.args.get("code", "").strip()
    if not text:
        return render_template("public/lookup.html", code="", error=None)
    if not lookup_allowed(client(), current_app.config["FANGXIN_LOOKUPS_PER_MINUTE"]):
        error = _("查询太频繁，请一分钟后再试。")
        return render_template("public/lookup.html", code=text, error=error), 429
    token = token_for_short_code(text)
    if token is None and is_retired_short_code(text):
        error = _("此查询码已停用，公示牌已更换。请使用单位现场张贴的新公示牌。")
        return render_template("public/lookup.html", code=text, error=error), 410
    if token is None:
        error = _("没有找到这个查询码。查询码共 8 位，由数字 2-9 和字母组成，请核对公示牌后重试。")
        return render_template("public/lookup.html", code=text, error=error), 404
    return redirect(url_for("public.status", token=token), 303)
