"""The office's register of samples and rapid tests (抽检/快检): the filtered list and its export."""

from datetime import date

from flask import request
from flask_login import current_user

from app.core.scope import OFFICE, establishment_scope
from app.extensions import db
from app.models import Establishment, Sample
from app.models.sample import SAMPLE_RESULTS, SAMPLED_CATEGORIES
from app.sampling.queries import EXPORT_HEADERS, export_rows, register_query
from app.web.converters import db_int
from app.web.guards import roles_required
from app.web.plumbing import export_format, filtered_list, spreadsheet
from app.web.registers import bp


def day_arg(name: str) -> date | None:
    """A YYYY-MM-DD query argument, None when blank or malformed."""
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def sample_filters() -> dict:
    """The register filters from the query string, cleaned."""
    result = request.args.get("result", "")
    return {
        "establishment_id": request.args.get("establishment_id", type=db_int),
        "first": day_arg("first"),
        "last": day_arg("last"),
        "result": result if result in SAMPLE_RESULTS else "",
    }


def market_choices() -> list[tuple[int, str]]:
    """The markets and shops the user may see that have tests on the register."""
    rows = db.session.execute(
        db.select(Establishment.id, Establishment.name)
        .where(Establishment.category.in_(SAMPLED_CATEGORIES), establishment_scope(current_user))
        .where(Establishment.id.in_(db.select(Sample.establishment_id)))
        .order_by(Establishment.name)
    )
    return [tuple(row) for row in rows]


@bp.route("/samples")
@roles_required(*OFFICE)
def sample_list():
    return filtered_list(
        "registers/samples.html", register_query, sample_filters(), markets=market_choices()
    )


@bp.route("/samples/export.<fmt>")
@roles_required(*OFFICE)
def sample_export(fmt: str):
    fmt = export_format(fmt)
    rows = export_rows(register_query(current_user, **sample_filters()))
    return spreadsheet(fmt, "samples", "抽检快检记录", EXPORT_HEADERS, rows)
