"""Office pages for the hazard ledger (挂账督办): the list, its export, an entry and its moves."""

from flask import request
from flask_login import current_user

from app.core.clock import local_today
from app.core.scope import ADMIN, OFFICE
from app.inspections import ledger
from app.inspections.export import LEDGER_HEADERS, ledger_rows
from app.models.ledger import ENTRY_STATES
from app.web.converters import db_int
from app.web.guards import roles_required
from app.web.ledger_entry import add_entry_views
from app.web.plumbing import export_format, filtered_list, spreadsheet
from app.web.registers import bp


def ledger_filters() -> dict:
    """The ledger filters from the query string, cleaned."""
    state = request.args.get("state", "live")
    return {
        "jurisdiction_id": request.args.get("jurisdiction_id", type=db_int),
        "state": state if state in (*ENTRY_STATES, "live") else "",
        "overdue": request.args.get("overdue") == "1",
    }


@bp.route("/ledger")
@roles_required(*OFFICE)
def ledger_list():
    return filtered_list(
        "registers/ledger.html", ledger.ledger_query, ledger_filters(), today=local_today()
    )


@bp.route("/ledger/export.<fmt>")
@roles_required(*OFFICE)
def ledger_export(fmt: str):
    fmt = export_format(fmt)
    today = local_today()
    rows = ledger_rows(ledger.ledger_query(current_user, **ledger_filters(), today=today), today)
    return spreadsheet(fmt, "hazard-ledger", "挂账督办台账", LEDGER_HEADERS, rows)


add_entry_views(bp, see=OFFICE, act=ADMIN)
