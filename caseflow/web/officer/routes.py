from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...services import casework
from ...services.errors import Conflict, InvalidInput
from .. import form_view
from ..messages import apply_errors
from . import bp
from .forms import CloseForm, NoteForm, ReplyForm


@bp.get("/")
@login_required
def queue():
    filt = casework.QueueFilter(only_mine=request.args.get("f") == "mine",
                                unassigned=request.args.get("f") == "unassigned")
    cases = casework.queue(current_user, filt)
    return render_template("officer/queue.html", cases=cases, f=request.args.get("f", ""),
                           now=datetime.now(UTC))


def _case_page(case_id: int, status: int = 200, **forms):
    case = casework.get_case(current_user, case_id)
    forms.setdefault("reply_form", ReplyForm(prefix="reply"))
    forms.setdefault("note_form", NoteForm(prefix="note"))
    forms.setdefault("close_form", CloseForm(prefix="close"))
    return render_template("officer/case.html", case=case, timeline=casework.timeline(current_user, case),
                           now=datetime.now(UTC), **forms), status


@bp.get("/cases/<int:case_id>")
@login_required
def case(case_id: int):
    return _case_page(case_id)


def _act(case_id: int, form, form_name: str, action, done_message: str):
    """Shared POST handling: validate, call the service, redirect; on error re-render keeping the text."""
    casework.get_case(current_user, case_id)  # 404 before anything else for another office's case
    if form.validate_on_submit():
        try:
            action(form)
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        except Conflict:
            form.form_errors.append(_("That is not possible in the case's current status."))
        else:
            flash(done_message, "success")
            return redirect(url_for("officer.case", case_id=case_id))
    return _case_page(case_id, 422, **{form_name: form})


@bp.post("/cases/<int:case_id>/reply")
@form_view
@login_required
def reply(case_id: int):
    return _act(case_id, ReplyForm(prefix="reply"), "reply_form",
                lambda f: casework.reply(current_user, case_id, f.body.data, datetime.now(UTC)),
                _("Your reply was sent to the company."))


@bp.post("/cases/<int:case_id>/note")
@form_view
@login_required
def note(case_id: int):
    return _act(case_id, NoteForm(prefix="note"), "note_form",
                lambda f: casework.add_note(current_user, case_id, f.body.data, datetime.now(UTC)),
                _("The internal note was saved."))


@bp.post("/cases/<int:case_id>/close")
@form_view
@login_required
def close(case_id: int):
    return _act(case_id, CloseForm(prefix="close"), "close_form",
                lambda f: casework.close(current_user, case_id, f.outcome.data, datetime.now(UTC),
                                         f.comment.data or ""),
                _("The case is closed."))
