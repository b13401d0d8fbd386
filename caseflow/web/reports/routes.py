import json
from datetime import UTC, datetime

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...domain import figures as registry
from ...domain import workflow
from ...services import catalog, promises, reports
from ...services.errors import Forbidden, InvalidInput, valid_id
from .. import figures, form_view
from ..charts import bar_chart, line_chart
from ..helpers import COMPLAINT_FACTOR_LABELS, KIND_LABELS, STATUS_WORDS
from ..i18n import gettext as _
from ..i18n import lang
from ..offices import office_name
from ..promises import duration
from . import bp
from .forms import FreezeForm


@bp.before_request
@login_required
def _readers_only():
    reports.require_report_reader(current_user)  # Forbidden -> 403


def _month_arg():
    text = request.args.get("month")
    return reports.parse_month(text) if text else reports.previous_month(datetime.now(UTC).date())


def _in_language(rep: dict) -> dict:
    """The month with each office named in the page's language (the page, the charts, CSV, Excel and PDF)."""
    return dict(rep, office_names={oid: office_name(int(oid), name) for oid, name in rep["office_names"].items()})


def _filters():
    cat = request.args.get("category_id", type=int) or None
    cat = cat if valid_id(cat) else None
    kind = request.args.get("kind") if request.args.get("kind") in workflow.KINDS else None
    return cat, kind


@bp.get("/")
def month():
    try:
        m = _month_arg()
    except InvalidInput:
        flash(_("Write the month as YYYY-MM."), "info")
        return redirect(url_for("reports.month"))
    cat, kind = _filters()
    rep = _in_language(reports.month_view(current_user, m, cat, kind))
    fr_chart, share_chart = _charts(rep)
    return render_template("reports/month.html", rep=rep, month=m.strftime("%Y-%m"), fr_chart=fr_chart,
                           share_chart=share_chart, categories=catalog.categories(), kinds=KIND_LABELS,
                           category_id=cat, kind=kind)


def _charts(rep):
    names = rep["office_names"]
    head, target = promises.general_in_working_hours()  # the configured promise, never a number written here
    hours = figures.number(target, 0 if float(target).is_integer() else 1) if target is not None else ""
    label = _("Promise: %(duration)s = %(hours)s h", duration=duration(head.unit, head.target),
              hours=hours) if target is not None else ""
    fr_chart = bar_chart(_("Median first response per office"),
                         [(names[o], rep["offices"][o]["first_response_median_h"]) for o in names],
                         unit=registry.HOURS, axis_label=_("Working hours"), target=target, target_label=label,
                         note=_("The table below has the same figures."))
    share_chart = bar_chart(_("Share within target per office"),
                            [(names[o], rep["offices"][o]["within_target"]) for o in names],
                            unit=registry.SHARE, axis_label=_("Clocks that stopped in time"),
                            note=_("The table below has the same figures."))
    return fr_chart, share_chart


@bp.get("/trend")
def trend():
    m = _month_arg()
    cat, kind = _filters()
    series = reports.trend(current_user, m, 12, cat, kind)
    labels = [figures.month_short(r["month"]) for r in series]
    share = line_chart(_("Share within target, last 12 months"), labels,
                       [(_("Within target"), [r["total"]["within_target"] for r in series]),
                        (_("Response rate (survey)"), [r["total"]["response_rate"] for r in series])],
                       unit=registry.SHARE, axis_label=_("Percent"), note=_("The table below has the same figures."))
    volume = line_chart(_("Cases received, closed and open at month end"), labels,
                        [(_("Received"), [r["total"]["received"] for r in series]),
                         (_("Closed"), [r["total"]["closed"] for r in series]),
                         (_("Open at month end"), [r["total"]["backlog"] for r in series])],
                        unit=registry.COUNT, axis_label=_("Cases"), note=_("The table below has the same figures."))
    return render_template("reports/trend.html", series=series, share=share, volume=volume, month=m.strftime("%Y-%m"))


@bp.get("/cases")
def drilldown():
    m = _month_arg()
    metric = request.args.get("metric", "")
    office = request.args.get("office", type=int)
    office = office if valid_id(office) else None
    cases = reports.masked_cases(current_user, reports.drilldown(current_user, m, metric, office))
    office_info = catalog.office(office) if office else None
    office_name = office_info.display_name(lang()) if office_info else None
    return render_template("reports/cases.html", cases=cases, month=m.strftime("%Y-%m"), metric=metric,
                           office_name=office_name)


@bp.get("/cases/<int:case_id>")
def case(case_id: int):
    """A case behind a figure, read-only, personal data masked (any report reader; acting stays with staff)."""
    c = reports.masked_case(current_user, case_id, datetime.now(UTC))
    return render_template("reports/case.html", c=c, month=request.args.get("month", ""),
                           metric=request.args.get("metric", ""))


@bp.get("/export.<fmt>")
def export(fmt: str):
    m = _month_arg()
    cat, kind = _filters()
    rep = reports.month_view(current_user, m, cat, kind)
    if fmt != "json":  # the machine-readable document keeps the names as computed
        rep = _in_language(rep)
    name = f"caseflow-{rep['month']}"
    if fmt == "csv":
        return Response(reports.to_csv(rep, lang()).encode("utf-8"), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={name}.csv"})
    if fmt == "xlsx":
        grounds = {g: str(label) for g, label in COMPLAINT_FACTOR_LABELS.items()}  # counted by factor
        return Response(reports.to_xlsx(rep, lang(), grounds),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename={name}.xlsx"})
    if fmt == "pdf":
        fr_chart, share_chart = _charts(rep)
        html = render_template("reports/pdf.html", rep=rep, fr_chart=fr_chart, share_chart=share_chart)
        try:
            from weasyprint import HTML
        except (ImportError, OSError):  # WeasyPrint needs Pango from the system
            flash(_("PDF is not available on this server (WeasyPrint needs the Pango library)."), "info")
            return redirect(url_for("reports.month", month=rep["month"]))
        return Response(HTML(string=html).write_pdf(), mimetype="application/pdf",
                        headers={"Content-Disposition": f"attachment; filename={name}.pdf"})
    if fmt == "json":
        return Response(json.dumps(reports.to_json(rep), ensure_ascii=False, default=str),
                        mimetype="application/json")
    return redirect(url_for("reports.month", month=rep["month"]))


@bp.get("/snapshots")
def snapshots():
    snaps = reports.snapshots(current_user)
    return render_template("reports/snapshots.html", snaps=snaps, stale=reports.stale_months(current_user, snaps),
                           stale_checked=reports.STALE_CHECK_MONTHS)


@bp.post("/snapshots")
@form_view
def freeze():
    form = FreezeForm()
    if form.validate_on_submit():
        try:
            snap, created = reports.publish(current_user, reports.parse_month(form.month.data), datetime.now(UTC),
                                            form.label.data or "")
        except Forbidden:  # a reader who does not publish (a lead): back to the list, as before
            return redirect(url_for("reports.snapshots"))
        except InvalidInput as exc:
            flash(_("A month is published once it is over: %(month)s is not over yet.", month=form.month.data)
                  if exc.fields.get("month") == "month_not_over" else _("Write the month as YYYY-MM."), "info")
        else:
            flash(_("Snapshot saved as revision %(r)s.", r=snap.revision) if created
                  else _("Nothing changed since revision %(r)s: no new snapshot.", r=snap.revision), "success")
    return redirect(url_for("reports.snapshots"))


@bp.get("/handslaget")
def handslaget():
    data = reports.handslaget(current_user, _month_arg())
    return render_template("reports/handslaget.html", data=data, measure_title=reports.title_of)


@bp.get("/handslaget.<fmt>")
def handslaget_export(fmt: str):
    data = reports.handslaget(current_user, _month_arg())
    if fmt == "csv":
        words = {k: str(label) for k, label in STATUS_WORDS.items()}
        return Response(reports.handslaget_csv(data, lang(), words).encode("utf-8"),
                        content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=handslaget.csv"})
    return Response(json.dumps(data, ensure_ascii=False), mimetype="application/json")
