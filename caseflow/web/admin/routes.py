import json
from datetime import UTC, datetime, timedelta

from babel.numbers import format_decimal
from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from ...domain import enums, numbers
from ...services import admin, catalog, integrations, ops, privacy, reports
from ...services import company_access as access
from ...services.errors import InvalidInput, NotFound
from .. import form_view
from ..helpers import as_int
from ..i18n import gettext as _
from ..i18n import lang as current_lang
from ..i18n import lazy_gettext as _l
from ..messages import FIELD_ERRORS, apply_errors, choices
from . import audit as audit_text
from . import bp, sso  # noqa: F401  (sso: the identity provider's group mappings, on this blueprint)
from .forms import (
    CannedForm,
    CategoryForm,
    CompanyGrantForm,
    CompanyLookupForm,
    MeasureForm,
    OfficeForm,
    PolicyForm,
    ReportSettingsForm,
    RouteTestForm,
    RuleForm,
    TokenForm,
    UserForm,
)

# entity -> (form, title, list columns); a column's heading is its form field's label
RESOURCES = {
    "offices": (OfficeForm, _l("Offices"), ["code", "name", "is_entry", "active"]),
    "categories": (CategoryForm, _l("Categories"), ["code", "name", "default_office_id", "statutory", "appealable",
                                                     "appeal_body", "appeal_weeks", "active"]),
    "rules": (RuleForm, _l("Routing rules"),
              ["position", "name", "office_id", "category_id", "keywords", "assign_strategy", "active"]),
    "policies": (PolicyForm, _l("Service promises (SLA)"),
                 ["description", "clock", "kind", "category_id", "priority", "target", "unit", "pauses", "active"]),
    "canned": (CannedForm, _l("Canned responses"), ["title", "office_id", "active"]),
    "users": (UserForm, _l("Users and roles"), ["name", "email", "role", "office_id", "active"]),
    "measures": (MeasureForm, _l("Handslaget measures"), ["code", "title", "kpi", "target", "higher_is_better",
                                                          "active"]),
    "report_settings": (ReportSettingsForm, _l("Report and survey settings"),
                        ["survey_scale", "nki_weights", "min_answers", "min_answers_compare", "recipients"]),
}


# Company access is granted and revoked by a lead as well as by an administrator (services.company_access).
_GRANTING_ENDPOINTS = {"admin.company_access", "admin.company_access_of", "admin.grant_company_access",
                       "admin.revoke_company_access"}


@bp.before_request
@login_required
def _admins_only():
    if request.endpoint in _GRANTING_ENDPOINTS:
        access.require_company_access_granter(current_user)  # Forbidden -> 403 page
        return
    admin.require_administrator(current_user)  # Forbidden -> 403 page


def _fill_choices(form) -> None:
    offices = [(o.id, o.display_name(current_lang())) for o in catalog.offices()]
    cats = [(c.id, c.name) for c in catalog.categories()]
    if hasattr(form, "office_id"):
        first = _("None") if isinstance(form, (CannedForm, UserForm)) else _("Choose…")
        form.office_id.choices = choices([(0, first)] + offices)
    if hasattr(form, "default_office_id"):
        form.default_office_id.choices = choices([(0, _("None"))] + offices)
    if hasattr(form, "category_id"):
        form.category_id.choices = choices([(0, _("Any"))] + cats)


def _choice_labels(field) -> dict[str, str]:
    if not hasattr(field, "iter_choices"):
        return {}
    out = {}
    for ch in field.iter_choices():  # Choice objects (WTForms >= 3.3) or tuples
        value, label = (ch.value, ch.label) if hasattr(ch, "value") else (ch[0], ch[1])
        out[str(value)] = label
    return out


@bp.get("/")
def index():
    return render_template("admin/index.html", resources=RESOURCES)


@bp.get("/<entity>/")
def listing(entity: str):
    if entity not in RESOURCES:
        raise NotFound(entity)
    form_cls, title, columns = RESOURCES[entity]
    form = form_cls(formdata=None)
    _fill_choices(form)
    headings = [getattr(form, c).label.text if hasattr(form, c) else _("Description") for c in columns]
    # show a select's label instead of its stored value (office names, clock names, …)
    labels = {c: _choice_labels(getattr(form, c)) if hasattr(form, c) else {} for c in columns}
    rows = admin.listing(current_user, entity)
    if entity == "policies":  # a promise's description is built from its target, never typed (it went stale)
        rows = [{"id": r.id, **{c: getattr(r, c) for c in columns if c != "description"},
                 "description": audit_text.promise_description(r.clock, r.target, r.unit)} for r in rows]
    if entity == "measures":  # a target as the Handslaget page writes it ("90,0 %", "9,0 h"), not the fraction 0,9
        rows = [{"id": r.id, **{c: getattr(r, c) for c in columns},
                 "target": numbers.by_unit(reports.kpi_unit(r.kpi), r.target, current_lang())} for r in rows]
    cells = [(r, [_cell(r, c, labels[c]) for c in columns]) for r in rows]
    return render_template("admin/list.html", entity=entity, title=title, headings=headings, rows=cells)


def _cell(row, column: str, labels: dict[str, str]) -> str:
    """A stored value as the list shows it: yes/no, a dash for nothing, each code by its label (several codes
    stored comma-separated too), numbers as the page's language writes them — never a raw code or a list. A
    row's own code (an office's, a category's) is shown as a code."""
    value = row[column] if isinstance(row, dict) else getattr(row, column, None)
    if column == "code" and value:
        return Markup("<code>{}</code>").format(value)
    return _text(value, labels)


def _text(value, labels: dict[str, str]) -> str:
    if value is True or value is False:
        return _("yes") if value else _("no")
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, float | int) and not isinstance(v, bool) for v in value):
            return _numbers_text(value)
        return ", ".join(_text(v, labels) for v in value)
    if isinstance(value, float | int):
        return labels.get(str(value)) or format_decimal(value, locale=current_lang())
    text = str(value)
    if labels and text not in labels and "," in text:
        return ", ".join(str(labels.get(v.strip(), v.strip())) for v in text.split(","))
    return str(labels.get(text, text))


def _numbers_text(values) -> str:
    """Numbers as the page's language writes a list of them: "1; 0,5; 1" (a Swedish decimal comma cannot also part
    them), "1, 0.5, 1"; whole numbers without decimals. The NKI weights' field takes either back."""
    language = current_lang()
    return ("; " if language == "sv" else ", ").join(format_decimal(v, locale=language) for v in values)


@bp.route("/<entity>/new", methods=["GET", "POST"], defaults={"obj_id": None})
@bp.route("/<entity>/<int:obj_id>", methods=["GET", "POST"])
@form_view
def edit(entity: str, obj_id: int | None):
    if entity not in RESOURCES:
        raise NotFound(entity)
    form_cls, title, _cols = RESOURCES[entity]
    obj = admin.get(current_user, entity, obj_id) if obj_id else None
    form = form_cls(obj=obj)
    _fill_choices(form)
    if request.method == "GET" and obj is not None and hasattr(form, "nki_weights"):
        form.nki_weights.data = _numbers_text(obj.nki_weights)
    if request.method == "GET" and obj is not None:
        for fk in ("office_id", "category_id", "default_office_id"):
            if hasattr(form, fk):
                getattr(form, fk).data = getattr(obj, fk) or 0
    if form.validate_on_submit():
        values = {k: v for k, v in form.data.items() if k != "csrf_token"}
        for k in ("kind", "priority", "statutory"):
            if k in values and values[k] == "":
                values[k] = None
        try:
            admin.save(current_user, entity, obj_id, values, datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            flash(_("Saved. The change is registered in the audit log."), "success")
            return redirect(url_for("admin.listing", entity=entity))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/edit.html", entity=entity, title=title, form=form, obj=obj), status


@bp.get("/rules/test")
def test_rule():
    form = RouteTestForm(request.args)
    _fill_choices(form)
    result, verdicts = None, []
    if request.args:
        sample = (form.kind.data or "errand", form.category_id.data or None, form.subject.data or "",
                  form.description.data or "", form.org_number.data or "")
        try:
            result = admin.test_route(current_user, *sample)
            verdicts = admin.explain_route(current_user, *sample)
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
    lang = current_lang()
    return render_template("admin/test_rule.html", form=form, result=result, verdicts=verdicts,
                           office_names={o.id: o.display_name(lang) for o in catalog.offices()},
                           category_names={c.id: c.display_name(lang) for c in catalog.categories()})


@bp.get("/personal-data")
def personal_data():
    """Export of everything held about a contact e-mail (JSON download)."""
    email = request.args.get("email", "").strip()
    if not email:
        return render_template("admin/personal_data.html")
    data = privacy.export_for_email(current_user, email, datetime.now(UTC))
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=personuppgifter.json"})


@bp.route("/tokens", methods=["GET", "POST"])
@form_view
def tokens():
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        try:
            created = integrations.admin_create_token(current_user, form.name.data, form.scopes.data or [],
                                                      form.user_email.data or "", datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
    status = 422 if form.is_submitted() and created is None else 200
    return render_template("admin/tokens.html", form=form, created=created,
                           tokens=integrations.tokens_for_admin(current_user)), status


@bp.post("/tokens/<int:token_id>/deactivate")
def deactivate_token(token_id: int):
    integrations.admin_deactivate_token(current_user, token_id, datetime.now(UTC))
    flash(_("The token no longer works."), "success")
    return redirect(url_for("admin.tokens"))


@bp.get("/operations")
def operations():
    return render_template("admin/operations.html", ov=ops.overview(current_user))


@bp.post("/operations/outbox/<int:outbox_id>/retry")
def retry_outbox(outbox_id: int):
    ops.retry_outbox_row(current_user, outbox_id)
    flash(_("The message was put back in line."), "success")
    return redirect(url_for("admin.operations"))


@bp.get("/audit")
def audit():
    """The audit log in sentences, filtered by person, kind of change and period (GET: a link keeps the view)."""
    args = request.args
    since, until = _date_arg(args.get("from")), _date_arg(args.get("to"))
    filt = admin.AuditFilter(actor_id=as_int(args.get("who") or "") or None,
                             entity=args.get("kind", "") if args.get("kind", "") in enums.AUDIT_ENTITY else "",
                             since=since, until=until + timedelta(days=1) if until else None)
    page = admin.audit_log(current_user, filt, page=as_int(args.get("page") or "") or 1)
    lang = current_lang()
    query = {k: v for k, v in args.items() if k != "page" and v}
    return render_template("admin/audit.html", lines=audit_text.lines(page, lang), page=page, query=query,
                           kinds=audit_text.ENTITY_KINDS, who=filt.actor_id, kind=filt.entity,
                           date_from=since.date().isoformat() if since else "",
                           date_to=until.date().isoformat() if until else "")


def _date_arg(value: str | None) -> datetime | None:
    """A date of the period filter (YYYY-MM-DD) as the start of that day in Stockholm, or None."""
    from datetime import date

    from ...services import sla

    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return datetime.combine(day, datetime.min.time(), tzinfo=sla.calendar().tz)


@bp.get("/company-access")
def company_access():
    """Find a company by its number; its page lists who sees all its cases."""
    form = CompanyLookupForm(request.args)
    if request.args:
        try:
            company = access.staff_find_company(current_user, form.org_number.data or "")
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            if company is not None:
                return redirect(url_for("admin.company_access_of", company_id=company.id))
            form.org_number.errors = [_("No company with that number has filed a case.")]
    return render_template("admin/company_access.html", lookup=form, view=None), (422 if form.errors else 200)


def _company_access_page(company_id: int, form, status: int = 200):
    view = access.staff_view(current_user, company_id)
    return render_template("admin/company_access.html", lookup=CompanyLookupForm(formdata=None), view=view,
                           form=form), status


@bp.get("/company-access/<int:company_id>")
def company_access_of(company_id: int):
    return _company_access_page(company_id, CompanyGrantForm(formdata=None))


@bp.post("/company-access/<int:company_id>/grants")
@form_view
def grant_company_access(company_id: int):
    form = CompanyGrantForm()
    if form.validate_on_submit():
        try:
            access.staff_grant(current_user, company_id, form.email.data, form.reason.data, datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            flash(_("Access given. The grant is registered in the audit log."), "success")
            return redirect(url_for("admin.company_access_of", company_id=company_id))
    return _company_access_page(company_id, form, 422)


@bp.post("/company-access/grants/<int:grant_id>/revoke")
def revoke_company_access(grant_id: int):
    try:
        grant = access.staff_revoke(current_user, grant_id, request.form.get("reason"), datetime.now(UTC))
    except InvalidInput as exc:
        code = exc.fields.get("reason")
        flash(_("The reason is too long (at most 500 characters). Nothing was changed.") if code == "too_long"
              else str(FIELD_ERRORS.get(code, FIELD_ERRORS["invalid_characters"])), "error")
        return redirect(url_for("admin.company_access"))
    flash(_("The access has ended. The change is registered in the audit log."), "success")
    return redirect(url_for("admin.company_access_of", company_id=grant.company_id))
