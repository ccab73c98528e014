"""The inspector's pages: who is due for a visit, their establishments, their ledger."""

from flask import current_app, render_template, request
from flask_login import current_user

from app.checklists import programmes_for_category
from app.core.clock import local_today
from app.core.scope import FIELD
from app.due.reminders import reminders
from app.due.visits import due_list, load_units
from app.inspections import ledger, reinspection
from app.inspections.attempts import attempts_of
from app.inspections.drafts import drafts_of
from app.inspections.queries import history_of, latest_by_establishment
from app.photos import service as photo_service
from app.plans import visits as plan_visits
from app.publication import review
from app.registry.establishments import search_establishments
from app.web.field import bp
from app.web.guards import establishment_or_404, roles_required
from app.web.ledger_entry import add_entry_views
from app.web.plumbing import paginated


class RowsPage:
    """One page of a list already in memory, shaped like db.paginate's for the pager macro."""

    def __init__(self, rows: list, page: int, per_page: int) -> None:
        self.total = len(rows)
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page, 1), self.pages)
        self.items = rows[(self.page - 1) * per_page : self.page * per_page]
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num, self.next_num = self.page - 1, self.page + 1


@bp.route("/")
@roles_required(*FIELD)
def home():
    today = local_today()
    notes = reminders(current_user, today)
    # The first-inspection reminders are also due-list reasons: computed once, here.
    rows = due_list(current_user, current_app.config, today, notes["first_inspection"])
    # A page at a time: a township's inspector may have thousands due (bench/rollup.py).
    page = RowsPage(
        rows, request.args.get("page", 1, type=int), current_app.config["FANGXIN_PAGE_SIZE"]
    )
    load_units(page.items)
    return render_template(
        "field/home.html",
        page=page,
        today=today,
        reminders=notes,
        to_confirm=plan_visits.awaiting_confirmation(current_user),
        returned=review.returned_to(current_user),
    )


@bp.route("/establishments")
@roles_required(*FIELD)
def establishments():
    q = request.args.get("q", "").strip()
    page = paginated(search_establishments(current_user, q=q))
    latest = latest_by_establishment(est.id for est in page.items)
    return render_template("field/establishments.html", page=page, q=q, latest=latest)


@bp.route("/establishments/<int:est_id>")
@roles_required(*FIELD)
def establishment(est_id: int):
    return establishment_page(establishment_or_404(est_id))


def establishment_page(est, attempt_form=None, status: int = 200):
    """The establishment's field page; attempt_form refills a refused 未能检查 record."""
    return render_template(
        "field/establishment.html",
        est=est,
        programmes=programmes_for_category(est.category),
        drafts=drafts_of(current_user, est),
        history=history_of(est),
        photos=photo_service.photos_for_establishment(est),
        attempts=attempts_of(est),
        # Open ledger entries or an operator's 申请复查 make the next visit a follow-up (复查)
        # unless chosen otherwise.
        default_type=default_type(est),
        attempt_form=attempt_form or {},
    ), status


def default_type(est) -> str:
    """A drawn visit's type (双随机/专项); open ledger entries or a 申请复查 make it 复查."""
    if visit := plan_visits.open_visit_at(current_user, est):
        return plan_visits.inspection_type_for(visit)
    if ledger.open_entries_for(est) or reinspection.open_request(est):
        return "followup"
    return "routine"


@bp.route("/ledger")
@roles_required(*FIELD)
def ledger_list():
    page = paginated(ledger.ledger_query(current_user, state="live", overdue_first=True))
    return render_template("field/ledger.html", page=page, today=local_today())


add_entry_views(bp, see=FIELD, act=FIELD)
