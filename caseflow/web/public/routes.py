from datetime import UTC, datetime

from flask import flash, g, redirect, render_template, request, session, url_for

from ...domain.identifiers import format_reference, parse_reference
from ...domain.promises import RECEIVED
from ...services import accounts, catalog, decisions, intake, ops, promises, public, surveys
from ...services.errors import Conflict, InvalidInput
from .. import form_view, limited
from ..helpers import current_account_id, send_attachment, uploads_from
from ..i18n import gettext as _
from ..i18n import lang
from ..messages import apply_errors, choices
from ..urls import external_url
from . import bp
from .forms import AnswerForm, EmailForm, SubmitForm, survey_form


@bp.get("/")
def index():
    return render_template("public/index.html", general=promises.general(datetime.now(UTC)))


@bp.route("/submit", methods=["GET", "POST"])
@form_view
@limited("SUBMIT_RATE_LIMIT")
def submit():
    form = SubmitForm()
    categories = catalog.categories()
    form.category_id.choices = choices([(0, _("Choose…"))] + [(c.id, c.display_name(lang())) for c in categories])
    if request.method == "GET":
        _prefill_complaint(form)
    if form.validate_on_submit():
        sub = intake.Submission(
            kind=form.kind.data, category_id=form.category_id.data or None, org_number=form.org_number.data,
            company_name=form.company_name.data, contact_name=form.contact_name.data,
            contact_email=form.contact_email.data, contact_phone=form.contact_phone.data or "",
            subject=form.subject.data, description=form.description.data,
            complaint_ground=form.complaint_ground.data or None, language=lang(),
            related_reference=form.related_reference.data or "",
            account_id=current_account_id(),
        )
        try:
            receipt = intake.submit_case(sub, datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        else:
            session["receipt"] = {"reference": receipt.reference, "token": receipt.token}
            return redirect(url_for("public.receipt"))
    status = 422 if form.is_submitted() else 200
    return render_template("public/submit.html", form=form), status


def _prefill_complaint(form) -> None:
    """The complaint link of a case (``?kind=complaint&related_reference=CF-…``) fills in the kind and the case's
    reference, nothing else: the reference is not looked up, so the page shows nothing of that case to whoever
    opens the link, and intake links the complaint to the case only for the same organisation number."""
    if request.args.get("kind") != "complaint":
        return
    form.kind.data = "complaint"
    parsed = parse_reference(request.args.get("related_reference", ""))
    if parsed:
        form.related_reference.data = format_reference(*parsed)


@bp.get("/receipt")
def receipt():
    data = session.get("receipt")
    if not data:
        return redirect(url_for("public.index"))
    g.no_store = True
    case, outlook = promises.for_token(data["token"], datetime.now(UTC), RECEIVED)
    return render_template("public/receipt.html", reference=data["reference"], case=case, outlook=outlook,
                           track_url=external_url("public.track", token=data["token"]))


@bp.get("/track/<token>")
def track(token: str):
    return _track_page(token, AnswerForm())


def _track_page(token: str, form, status: int = 200):
    case, outlook = promises.for_token(token, datetime.now(UTC))  # NotFound -> the same 404 for any wrong token
    g.no_store = True
    return render_template("public/track.html", case=case, messages=public.public_messages(case), form=form,
                           token=token, files=public.message_attachments(case), outlook=outlook,
                           decision=decisions.latest(case)), status


@bp.post("/track/<token>")
@form_view
@limited("SUBMIT_RATE_LIMIT")
def answer(token: str):
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            public.answer(token, form.body.data, datetime.now(UTC), uploads_from(form.attachments))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        except Conflict:
            form.form_errors.append(_("The case is closed. Start a new case if you need more help."))
        else:
            flash(_("Thank you! Your answer has been sent."), "success")
            return redirect(url_for("public.track", token=token))
    return _track_page(token, form, 422)


@bp.get("/track/<token>/attachments/<int:attachment_id>")
def attachment(token: str, attachment_id: int):
    return send_attachment(*public.attachment_file(token, attachment_id))


@bp.route("/links", methods=["GET", "POST"])
@form_view
@limited("MAIL_RATE_LIMIT")
def resend_links():
    form = EmailForm()
    if form.validate_on_submit():
        accounts.resend_links(form.email.data, lang(), datetime.now(UTC))
        flash(_("If we have cases for that address, the links are on their way. Check your inbox in a few "
                "minutes."), "success")
        return redirect(url_for("public.resend_links"))
    return render_template("public/links.html", form=form), (422 if form.is_submitted() else 200)


@bp.route("/survey/<token>", methods=["GET", "POST"])
@form_view
@limited("SUBMIT_RATE_LIMIT")
def survey(token: str):
    s = surveys.by_token(token)  # NotFound for any wrong token
    g.no_store = True
    if s.answered_at is not None:
        return render_template("public/survey_done.html", already=True)
    form = survey_form(s.scale)()
    if form.validate_on_submit():
        try:
            surveys.answer(token, form.answers(), form.comment.data or "", datetime.now(UTC))
        except InvalidInput as exc:
            apply_errors(form, exc.fields)
        except Conflict:
            return render_template("public/survey_done.html", already=True)
        else:
            return render_template("public/survey_done.html", already=False)
    status = 422 if form.is_submitted() else 200
    return render_template("public/survey.html", form=form, scale=s.scale, case_reference=s.case.reference), status


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/healthz")
def healthz():
    """The process is up."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """The database (and Redis, when configured) answer: 200, else 503 with what is down."""
    checks = ops.readiness()
    return {"status": "ok" if all(checks.values()) else "unavailable", "checks": checks}, \
        200 if all(checks.values()) else 503


