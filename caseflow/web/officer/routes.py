from datetime import UTC, datetime, time

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ...services import casework, sla
from ...services.errors import Conflict, InvalidInput
from .. import form_view
from ..messages import apply_errors
from . import bp
from .forms import (
    CloseForm,
    CompletionForm,
    DecideForm,
    DecisionRequestForm,
    ExtendForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
)

# form name on the case page -> (form class, field prefix)
CASE_FORMS = {
    "reply_form": (ReplyForm, "reply"), "note_form": (NoteForm, "note"), "close_form": (CloseForm, "close"),
    "completion_form": (CompletionForm, "completion"), "decide_form": (DecideForm, "decide"),
    "reopen_form": (ReasonForm, "reopen"), "delay_form": (ReasonForm, "delay"),
    "fl12_form": (DecisionRequestForm, "fl12"), "extend_form": (ExtendForm, "extend"),
}
QUEUE_FILTERS = ("mine", "unassigned", "at_risk", "breached")


@bp.get("/")
@login_required
def queue():
    f = request.args.get("f", "")
    filt = casework.QueueFilter(**{f: True}) if f in QUEUE_FILTERS else casework.QueueFilter()
    now = datetime.now(UTC)
    return render_template("officer/queue.html", cases=casework.queue(current_user, filt, now=now),
                           f=f if f in QUEUE_FILTERS else "", now=now)


def _case_page(case_id: int, status: int = 200, **forms):
    case = casework.get_case(current_user, case_id)
    for name, (cls, prefix) in CASE_FORMS.items():
        forms.setdefault(name, cls(prefix=prefix, formdata=None))
    forms["fl12_form"].requested_on.data = forms["fl12_form"].requested_on.data or datetime.now(UTC).date()
    return render_template("officer/case.html", case=case, timeline=casework.timeline(current_user, case),
                           clocks=casework.clocks(current_user, case), clock_history=sla.clock_history(case),
                           calendar=sla.calendar(), now=datetime.now(UTC), open_form=status != 200, **forms), status


@bp.get("/cases/<int:case_id>")
@login_required
def case(case_id: int):
    return _case_page(case_id)


def _act(case_id: int, form_name: str, action, done_message: str):
    """Shared POST handling: validate, call the service, redirect; on error re-render keeping the text."""
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
            flash(done_message, "success")
            return redirect(url_for("officer.case", case_id=case_id))
    return _case_page(case_id, 422, **{form_name: form})


def _route(rule: str, form_name: str, message: str, action):
    def view(case_id: int):
        return _act(case_id, form_name, lambda f, now: action(case_id, f, now), str(message))

    view.__name__ = rule
    bp.add_url_rule(f"/cases/<int:case_id>/{rule}", rule, login_required(form_view(view)), methods=["POST"])



_route("reply", "reply_form", _l("Your reply was sent to the company."),
       lambda cid, f, now: casework.reply(current_user, cid, f.body.data, now))
_route("note", "note_form", _l("The internal note was saved."),
       lambda cid, f, now: casework.add_note(current_user, cid, f.body.data, now))
_route("close", "close_form", _l("The case is closed."),
       lambda cid, f, now: casework.close(current_user, cid, f.outcome.data, now, f.comment.data or ""))
_route("completion", "completion_form", _l("The completion request was sent. The case now waits for the company."),
       lambda cid, f, now: casework.request_completion(current_user, cid, f.body.data, now))
_route("decide", "decide_form", _l("The decision was recorded and sent to the company."),
       lambda cid, f, now: casework.decide(current_user, cid, f.outcome.data, f.text.data, now))
_route("reopen", "reopen_form", _l("The case is open again."),
       lambda cid, f, now: casework.reopen(current_user, cid, f.reason.data, now))
_route("delay", "delay_form", _l("The delay notice was registered and sent to the company."),
       lambda cid, f, now: casework.send_delay_notice(current_user, cid, f.reason.data, now))
_route("fl12", "fl12_form", _l("The request for a decision was registered. Four weeks to decide."),
       lambda cid, f, now: casework.register_decision_request(
           current_user, cid, datetime.combine(f.requested_on.data, time(12), tzinfo=sla.calendar().tz), now))
_route("extend", "extend_form", _l("The statutory deadline was extended."),
       lambda cid, f, now: casework.extend_statutory_deadline(current_user, cid, f.weeks.data, f.reason.data, now))
