from datetime import UTC, datetime, time

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...domain import workflow
from ...services import bulk as bulk_actions
from ...services import casework, catalog, finding, inbound, routing, sla
from ...services.errors import Conflict, InvalidInput, NotFound
from .. import form_view
from ..helpers import as_int, send_attachment, uploads_from
from ..i18n import gettext as _
from ..i18n import lang as current_lang
from ..i18n import lazy_gettext as _l
from ..messages import apply_errors, choices
from . import bp
from .forms import (
    BULK_LABELS,
    AssignForm,
    BulkConfirmForm,
    BulkForm,
    ClaimForm,
    CloseForm,
    CompanyForm,
    CompletionForm,
    DecideForm,
    DecisionRequestForm,
    ExtendForm,
    LinkForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    RerouteForm,
    SearchForm,
)

# form name on the case page -> (form class, field prefix)
CASE_FORMS = {
    "reply_form": (ReplyForm, "reply"), "note_form": (NoteForm, "note"), "close_form": (CloseForm, "close"),
    "completion_form": (CompletionForm, "completion"), "decide_form": (DecideForm, "decide"),
    "reopen_form": (ReasonForm, "reopen"), "delay_form": (ReasonForm, "delay"),
    "fl12_form": (DecisionRequestForm, "fl12"), "extend_form": (ExtendForm, "extend"),
    "assign_form": (AssignForm, "assign"), "reroute_form": (RerouteForm, "reroute"),
    "link_form": (LinkForm, "link"), "company_form": (CompanyForm, "company"),
}
QUEUE_FILTERS = ("mine", "unassigned", "at_risk", "breached")
TIMELINE_FILTERS = ("all", "messages")  # ?tl=: everything, or the messages only (replies, notes, the company's)


@bp.get("/")
@login_required
def queue():
    f = request.args.get("f", "")
    filt = finding.QueueFilter(**{f: True}) if f in QUEUE_FILTERS else finding.QueueFilter()
    now = datetime.now(UTC)
    office = catalog.office(current_user.office_id)
    return render_template("officer/queue.html", cases=finding.queue_rows(current_user, filt, now=now),
                           office=office, f=f if f in QUEUE_FILTERS else "", now=now, bulk_form=BulkForm())


BULK_ACTIONS = {"claim": ("assign", None), "close_answered": ("close", "answered"),
                "close_no_action": ("close", "no_action")}
_BULK_SALT, _BULK_MAX_AGE = "bulk-preview", 1800  # a preview is confirmed within half an hour, or shown again
_NOT_CHECKED = _l("Nothing was changed: the form could not be checked (it may have been open very long, or come "
                  "from another page). Go back to the work queue, reload it and try again.")


def _bulk_signer():
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.secret_key, salt=_BULK_SALT)


@bp.post("/bulk")
@login_required
@form_view
def bulk():
    """Step 1: what would happen to which cases, and the mail each company would receive. Nothing changes here;
    the confirmation carries the previewed cases, signed, so a changed selection cannot add any."""
    form = BulkForm()
    ids = [n for n in map(as_int, request.form.getlist("ids")) if n is not None]
    # A form that fails (no valid CSRF token, an action not offered) gets no action: the service is still asked,
    # so it answers first who may act at all, and then refuses the empty action.
    chosen = form.action.data if form.validate_on_submit() else ""
    action, outcome = BULK_ACTIONS.get(chosen, ("", None))
    try:
        items = bulk_actions.preview(current_user, ids, action, datetime.now(UTC), outcome=outcome)
    except InvalidInput:
        return render_template("errors/error.html", code=400, message=_NOT_CHECKED), 400
    if not items:
        flash(_("Choose one or more cases first."), "info")
        return redirect(url_for("officer.queue"))
    token = _bulk_signer().dumps({"u": current_user.id, "a": chosen, "ids": [i.case_id for i in items if i.possible]})
    return render_template("officer/bulk_preview.html", items=items, chosen=chosen,
                           action_label=BULK_LABELS[chosen], confirm_form=BulkConfirmForm(formdata=None, token=token))


@bp.post("/bulk/confirm")
@login_required
@form_view
def bulk_confirm():
    """Step 2: do exactly what the preview showed, to the previewed cases (those still possible)."""
    from itsdangerous import BadData

    casework.require_bulk(current_user)  # who may act at all, before the form is read
    form = BulkConfirmForm()
    try:
        preview = _bulk_signer().loads(form.token.data or "", max_age=_BULK_MAX_AGE) if form.validate_on_submit() \
            else None
    except BadData:
        preview = None
    if not preview or preview.get("u") != current_user.id or preview.get("a") not in BULK_ACTIONS:
        return render_template("errors/error.html", code=400, message=_NOT_CHECKED), 400
    action, outcome = BULK_ACTIONS[preview["a"]]
    res = casework.bulk(current_user, preview["ids"], action, datetime.now(UTC), outcome=outcome)
    flash(_("Done: %(done)s. Skipped: %(skipped)s.", done=", ".join(res.done) or "–",
            skipped=", ".join(res.skipped) or "–"), "success")
    return redirect(url_for("officer.queue"))


@bp.get("/search")
@login_required
def search():
    form = SearchForm(request.args)
    _search_choices(form)
    s = finding.Search(text=form.q.data or "", status=form.status.data or "", kind=form.kind.data or "",
                       category_id=form.category_id.data or None, assignee_id=form.assignee_id.data or None,
                       older_than_days=form.older_than_days.data if form.validate() else None)
    page = finding.search(current_user, s, cursor=request.args.get("after"))
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render_template("officer/search.html", form=form, page=page, args=args, now=datetime.now(UTC))


def _search_choices(form) -> None:
    from ...domain import workflow
    from ..helpers import KIND_LABELS, STAFF_STATUS_LABELS
    from ..messages import choices

    form.status.choices = choices([("", _("Any")), ("open", _("Open"))] +
                                  [(st, STAFF_STATUS_LABELS[st]) for st in workflow.STATUSES])
    form.kind.choices = choices([("", _("Any"))] + [(k, KIND_LABELS[k]) for k in workflow.KINDS])
    language = current_lang()
    form.category_id.choices = choices([(0, _("Any"))] + [(c.id, c.display_name(language))
                                                          for c in catalog.categories()])
    form.assignee_id.choices = choices([(0, _("Anyone"))] + [(u.id, u.name) for u in casework.colleagues(current_user)])


@bp.get("/cases/<int:case_id>/attachments/<int:attachment_id>")
@login_required
def attachment(case_id: int, attachment_id: int):
    return send_attachment(*casework.attachment_file(current_user, case_id, attachment_id))


@bp.get("/overview")
@login_required
def overview():
    return render_template("officer/overview.html", ov=finding.lead_overview(current_user), now=datetime.now(UTC))


def _case_page(case_id: int, status: int = 200, **forms):
    case = casework.get_case(current_user, case_id)
    for name, (cls, prefix) in CASE_FORMS.items():
        forms.setdefault(name, cls(prefix=prefix, formdata=None))
    forms["fl12_form"].requested_on.data = forms["fl12_form"].requested_on.data or datetime.now(UTC).date()
    forms["assign_form"].assignee_id.choices = choices(
        [(0, _("Me"))] + [(uid, name) for uid, name in routing.officer_names(case.office_id) if uid != current_user.id])
    forms["reroute_form"].office_id.choices = choices(
        [(0, _("Choose…"))] + [(o.id, o.display_name(current_lang())) for o in catalog.offices()
                               if o.id != case.office_id])
    timeline = casework.timeline(current_user, case)
    tl = request.args.get("tl", "all") if request.args.get("tl") in TIMELINE_FILTERS else "all"
    shown = [e for e in timeline if e.message is not None] if tl == "messages" else timeline
    clocks = casework.clocks(current_user, case)
    return render_template("officer/case.html", case=case, timeline=shown, tl=tl,
                           actions=casework.page_actions(current_user, case, clocks),
                           primary_actions=workflow.PRIMARY_ACTIONS,
                           close_asks_outcome=workflow.close_asks_outcome(case.status),
                           category=catalog.category(case.category_id), office=catalog.office(case.office_id),
                           clocks=clocks, clock_history=sla.clock_history(timeline),
                           calendar=sla.calendar(), now=datetime.now(UTC), open_form=status != 200,
                           links=casework.links_of(current_user, case, timeline),
                           files=casework.message_attachments(current_user, case, shown),
                           canned=casework.canned_responses(current_user, case), claim_form=ClaimForm(),
                           mails=inbound.mails_of(current_user, case), **forms), status


@bp.get("/cases/<int:case_id>")
@login_required
def case(case_id: int):
    try:
        page = _case_page(case_id)  # 404 for a case the user may not see, before anything is logged
    except NotFound:
        # the old address of a case this office sent on: where it went (its reference and office only)
        went = casework.where_it_went(current_user, case_id)
        office = catalog.office(went.office_id)
        return render_template("officer/moved.html", reference=went.reference,
                               office_name=office.display_name(current_lang()) if office else ""), 410
    casework.record_view(current_user, case_id, datetime.now(UTC))  # last: its commit expires what was loaded
    return page


@bp.post("/cases/<int:case_id>/claim")
@login_required
@form_view
def claim(case_id: int):
    """One click from the queue row (``?back=queue``) or the case page: the case becomes the user's."""
    case = casework.get_case(current_user, case_id)
    reference = case.reference
    back = url_for("officer.queue") if request.args.get("back") == "queue" else url_for("officer.case", case_id=case_id)
    if not ClaimForm().validate_on_submit():
        return render_template("errors/error.html", code=400, message=_(
            "Nothing was changed: the form could not be checked (it may have been open very long, or come from "
            "another page). Go back to the work queue, reload it and try again.")), 400
    try:
        casework.assign(current_user, case_id, None, datetime.now(UTC))
    except (InvalidInput, Conflict):
        flash(_("%(ref)s could not be claimed: it cannot be assigned to you in its current status.", ref=reference),
              "error")
    else:
        flash(_("%(ref)s is yours now.", ref=reference), "success")
    return redirect(back)


def _act(case_id: int, form_name: str, done_message, action, then: str = "case"):
    """Shared POST handling of the case page's forms: validate, call ``action(form, now)`` (the service), redirect
    with ``done_message``; on error re-render the case page keeping what was typed. ``then="queue"``: redirect to
    the queue instead, for an action after which the case may have left the user's reach (rerouted)."""
    casework.get_case(current_user, case_id)  # 404 before anything else for another office's case
    cls, prefix = CASE_FORMS[form_name]
    form = cls(prefix=prefix)
    if form.validate_on_submit():
        try:
            action(form, datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        except Conflict:
            form.form_errors.append(_("That is not possible in the case's current status."))
        else:
            flash(done_message() if callable(done_message) else done_message, "success")
            if then == "queue":
                return redirect(url_for("officer.queue"))
            return redirect(url_for("officer.case", case_id=case_id))
    return _case_page(case_id, 422, **{form_name: form})


@bp.post("/cases/<int:case_id>/reply")
@login_required
@form_view
def reply(case_id: int):
    return _act(case_id, "reply_form", _("Your reply was sent to the company."),
                lambda f, now: casework.reply(current_user, case_id, f.body.data, now, uploads_from(f.attachments)))


@bp.post("/cases/<int:case_id>/note")
@login_required
@form_view
def note(case_id: int):
    return _act(case_id, "note_form", _("The internal note was saved."),
                lambda f, now: casework.add_note(current_user, case_id, f.body.data, now))


@bp.post("/cases/<int:case_id>/close")
@login_required
@form_view
def close(case_id: int):
    return _act(case_id, "close_form", _("The case is closed."),
                lambda f, now: casework.close(current_user, case_id, f.outcome.data or None, now,
                                              f.comment.data or ""))


@bp.post("/cases/<int:case_id>/completion")
@login_required
@form_view
def completion(case_id: int):
    return _act(case_id, "completion_form",
                _("The completion request was sent. The case now waits for the company."),
                lambda f, now: casework.request_completion(current_user, case_id, f.body.data, now))


@bp.post("/cases/<int:case_id>/decide")
@login_required
@form_view
def decide(case_id: int):
    return _act(case_id, "decide_form", _("The decision was recorded and sent to the company."),
                lambda f, now: casework.decide(current_user, case_id, f.outcome.data, f.text.data, now))


@bp.post("/cases/<int:case_id>/reopen")
@login_required
@form_view
def reopen(case_id: int):
    return _act(case_id, "reopen_form", _("The case is open again."),
                lambda f, now: casework.reopen(current_user, case_id, f.reason.data, now))


@bp.post("/cases/<int:case_id>/delay")
@login_required
@form_view
def delay(case_id: int):
    return _act(case_id, "delay_form", _("The delay notice was registered and sent to the company."),
                lambda f, now: casework.send_delay_notice(current_user, case_id, f.reason.data, now))


@bp.post("/cases/<int:case_id>/fl12")
@login_required
@form_view
def fl12(case_id: int):
    def register(f, now):
        requested_at = datetime.combine(f.requested_on.data, time(12), tzinfo=sla.calendar().tz)
        casework.register_decision_request(current_user, case_id, requested_at, now)

    return _act(case_id, "fl12_form", _("The request for a decision was registered. Four weeks to decide."),
                register)


@bp.post("/cases/<int:case_id>/extend")
@login_required
@form_view
def extend(case_id: int):
    return _act(case_id, "extend_form", _("The statutory deadline was extended."),
                lambda f, now: casework.extend_statutory_deadline(current_user, case_id, f.weeks.data,
                                                                  f.reason.data, now))


@bp.post("/cases/<int:case_id>/assign")
@login_required
@form_view
def assign(case_id: int):
    return _act(case_id, "assign_form", _("The case was assigned."),
                lambda f, now: casework.assign(current_user, case_id, f.assignee_id.data or None, now))


@bp.post("/cases/<int:case_id>/reroute")
@login_required
@form_view
def reroute(case_id: int):
    sent = {}

    def send(f, now):
        sent["case"] = casework.reroute(current_user, case_id, f.office_id.data, f.reason.data, now)

    def told():
        office = catalog.office(sent["case"].office_id)
        return _("%(ref)s was sent to %(office)s.", ref=sent["case"].reference,
                 office=office.display_name(current_lang()) if office else "")

    return _act(case_id, "reroute_form", told, send, then="queue")


@bp.post("/cases/<int:case_id>/link")
@login_required
@form_view
def link(case_id: int):
    return _act(case_id, "link_form", _("The cases were linked."),
                lambda f, now: casework.link(current_user, case_id, f.other_reference.data, f.kind.data, now))


@bp.post("/cases/<int:case_id>/company")
@login_required
@form_view
def set_company(case_id: int):
    return _act(case_id, "company_form", _("The company was set."),
                lambda f, now: casework.set_company(current_user, case_id, f.org_number.data, f.company_name.data,
                                                    now))


@bp.get("/cases/<int:case_id>/mail/<int:mail_id>.eml")
@login_required
def incoming_mail(case_id: int, mail_id: int):
    """The complete original of an incoming mail (the registered document), for staff who may see the case."""
    return send_attachment(*inbound.original_for(current_user, case_id, mail_id))
