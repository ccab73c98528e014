"""The working-day calendar (admin): a year's holidays and 调休, entering and correcting days."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import workdays, workdays_admin
from app.core.clock import local_today
from app.core.scope import ADMIN
from app.extensions import db
from app.web.guards import roles_required
from app.web.office import bp

YEARS = range(2004, 2100)


def chosen_year() -> int:
    """The year in the query string, this year when absent or out of range."""
    year = request.values.get("year", type=int)
    return year if year in YEARS else local_today().year


def render_year(year: int, text: str = "", errors=(), code: int = 200):
    """The year's page; a refused import comes back in its box with the messages."""
    html = render_template(
        "office/calendar.html",
        year=year,
        days=workdays_admin.year_listing(year),
        configured=workdays.load_year(year).configured,
        package_knows=workdays.package_knows(year),
        lines=workdays_admin.as_lines(year),
        text=text,
        errors=list(errors),
    )
    return html, code


@bp.route("/calendar")
@roles_required(*ADMIN)
def calendar():
    return render_year(chosen_year())


@bp.route("/calendar/day", methods=["POST"])
@roles_required(*ADMIN)
def calendar_day():
    year = chosen_year()
    try:
        day = date.fromisoformat(request.form.get("day", "").strip())
    except ValueError:
        return render_year(year, errors=[_("请填写有效的日期（格式：2027-10-01）。")], code=400)
    if request.form.get("mark") == "clear":
        cleared = workdays_admin.clear_day(day)
        flash(
            _("已恢复 %(d)s 的默认安排。", d=day) if cleared else _("%(d)s 没有管理员录入。", d=day)
        )
    elif request.form.get("mark") in workdays_admin.MARKS:
        name = request.form.get("name", "").strip()
        if len(name) > workdays_admin.NAME_MAX:
            return render_year(
                year, errors=[_("名称不能超过 %(m)d 字", m=workdays_admin.NAME_MAX)], code=400
            )
        workdays_admin.set_day(current_user, day, workdays_admin.MARKS[request.form["mark"]], name)
        flash(_("已保存 %(d)s。", d=day), "success")
    else:
        return render_year(year, errors=[_("请选择“休”或“班”。")], code=400)
    db.session.commit()
    return redirect(url_for("office.calendar", year=day.year))


@bp.route("/calendar/import", methods=["POST"])
@roles_required(*ADMIN)
def calendar_import():
    year, text = chosen_year(), request.form.get("lines", "")
    entries, errors = workdays_admin.parse_lines(text, year)
    if errors:
        return render_year(year, text, errors, 400)
    count = workdays_admin.import_entries(current_user, entries)
    db.session.commit()
    flash(_("已导入 %(y)d 年的 %(n)d 天。", y=year, n=count), "success")
    return redirect(url_for("office.calendar", year=year))
