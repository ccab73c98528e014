"""GET /api/v1/indicators: the dashboard's figures as JSON, for signed-in users or a token."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from app.core.clock import local_today
from app.core.labels import LEADS_EN, PLAN_CLAUSES_EN
from app.core.scope import OFFICE
from app.indicators.dashboard import build_dashboard
from app.indicators.periods import PeriodError, parse_period, quarter_of
from app.indicators.rollup import UnknownJurisdiction, unit_ids_for
from app.web.api import bp
from app.web.guards import token_or_roles_required


def api_error(code: int, message: str):
    return jsonify({"error": message}), code


def figure_json(ind, fig) -> dict:
    return {
        "numerator": fig.num,
        "denominator": fig.den,
        "value": fig.value,
        "met": ind.met(fig.value),
    }


@bp.route("/indicators")
@token_or_roles_required(*OFFICE)
def indicators():
    code = request.args.get("jurisdiction") or None
    try:
        period = parse_period(request.args.get("period") or quarter_of(local_today()).code)
        unit_ids_for(code)
    except PeriodError:
        return api_error(400, _("统计期无法识别（示例：2024Q3、2024、2024-01-01_2024-02-15）。"))
    except UnknownJurisdiction:
        return api_error(400, _("没有编码为 %(code)s 的辖区。", code=code))
    data = build_dashboard(period, code)
    tops = data["tops"]
    out = []
    for card in data["cards"]:
        ind, by_top = card.indicator, data["current"][card.indicator.code]
        out.append(
            {
                "code": ind.code,
                "title": ind.title,
                "title_en": ind.title_en,
                "clause": ind.clause,
                "clause_en": PLAN_CLAUSES_EN.get(ind.clause, ind.clause),
                "lead": ind.lead,
                "lead_en": LEADS_EN.get(ind.lead, ind.lead),
                "target": {"comparator": ind.comparator, "value": ind.target},
                "rule": str(ind.rule),
                **figure_json(ind, card.figure),
                "trend": [{"quarter": q, "value": v, "met": m} for q, v, m in card.trend],
                "by_jurisdiction": [
                    {"code": u.code, "name": u.name, **figure_json(ind, by_top[u.id])}
                    for u in tops
                    if u.id in by_top
                ],
            }
        )
    return jsonify(
        {
            "period": {
                "code": period.code,
                "start": period.start.isoformat(),
                "end": period.last_day.isoformat(),
                "label": period.label,
            },
            "jurisdiction": code,
            "indicators": out,
        }
    )
