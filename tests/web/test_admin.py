"""Administration: configuration rows are edited, validated with messages, and every change is audited."""
import sqlalchemy as sa

from caseflow.cli import cli
from caseflow.extensions import db
from caseflow.models import AuditLog, Office, SlaPolicy, User
from tests.conftest import login


def test_admin_creates_an_office_and_the_change_is_audited(client, offices, make_user):
    admin = make_user("admin")
    login(client, admin)
    resp = client.post("/admin/offices/new", data={"code": "hamn", "name": "Hamnkontoret", "name_en": "Port office",
                                                   "email": "hamn@norrkoping.invalid", "active": "y"})
    assert resp.status_code == 302
    office = db.session.scalar(sa.select(Office).where(Office.code == "hamn"))
    assert office.name == "Hamnkontoret" and office.active
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.entity == "offices"))
    assert entry.action == "create" and entry.actor_user_id == admin.id and entry.changes["name"][1] == "Hamnkontoret"
    assert "Hamnkontoret" in client.get("/admin/audit").get_data(as_text=True)


def test_editing_a_policy_records_before_and_after(client, offices, make_user):
    login(client, make_user("admin"))
    policy = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.kind == "question"))
    resp = client.post(f"/admin/policies/{policy.id}", data={
        "clock": "resolution", "kind": "question", "category_id": "0", "priority": "", "unit": "working_days",
        "target": "4", "warn_percent": "75", "pauses": "y", "label": "Fråga besvarad inom 4 arbetsdagar",
        "active": "y"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(SlaPolicy, policy.id).target == 4
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.entity == "policies"))
    assert entry.changes["target"] == [5, 4] and entry.changes["warn_percent"] == [80, 75]


def test_duplicate_code_is_refused_with_a_message_and_input_kept(client, offices, make_user):
    login(client, make_user("admin"))
    resp = client.post("/admin/offices/new", data={"code": "miljo", "name": "Ett nytt namn", "active": "y"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "används redan" in html and 'value="Ett nytt namn"' in html


def test_user_password_is_hashed_and_never_in_the_audit_log(client, offices, make_user):
    login(client, make_user("admin"))
    resp = client.post("/admin/users/new", data={"email": "Ny@Kommun.se", "name": "Ny Handläggare", "role": "officer",
                                                 "office_id": str(offices["miljo"].id),
                                                 "password": "ett långt lösenord", "active": "y"})
    assert resp.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "ny@kommun.se"))
    assert user.check_password("ett långt lösenord") and "ett långt" not in user.password_hash
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.entity == "users"))
    assert entry.changes["password"] == ["***", "***"]


def test_officer_without_office_is_refused(client, offices, make_user):
    login(client, make_user("admin"))
    resp = client.post("/admin/users/new", data={"email": "x@kommun.se", "name": "X", "role": "officer",
                                                 "office_id": "0", "password": "ett långt lösenord"})
    assert resp.status_code == 422


def test_rule_tester_shows_where_a_case_would_go_and_why(client, offices, make_user, category):
    login(client, make_user("admin"))
    html = client.get(f"/admin/rules/test?kind=errand&category_id={category('servering').id}&subject=x"
                      "&description=&org_number=").get_data(as_text=True)
    assert "Tillståndsenheten" in html and "Enligt regeln" in html
    html = client.get("/admin/rules/test?kind=question&category_id=0&subject=x&description=&org_number=")\
        .get_data(as_text=True)
    assert "Näringslivsavdelningen" in html and "reserv" in html
    html = client.get("/admin/rules/test?kind=question&category_id=0&subject=x&description=&org_number=123")\
        .get_data(as_text=True)
    assert "tio siffror" in html


def test_cli_create_user_uses_the_same_rules(app, offices):
    runner = app.test_cli_runner()
    bad = runner.invoke(cli, args=["create-user", "--email", "a@b.se", "--name", "A", "--role", "officer",
                              "--office", "miljo", "--password", "kort"])
    assert bad.exit_code != 0 and "password" in bad.output
    ok = runner.invoke(cli, args=["create-user", "--email", "a@b.se", "--name", "A", "--role", "officer",
                             "--office", "miljo", "--password", "tillräckligt långt"])
    assert ok.exit_code == 0, ok.output


def test_report_settings_and_measures_are_editable_with_checked_weights(client, offices, make_user):
    from caseflow.models import HandslagetMeasure, ReportSettings

    login(client, make_user("admin"))
    bad = client.post("/admin/report_settings/1", data={"survey_scale": "6", "nki_weights": "1,1",
                                                         "min_answers": "7", "min_answers_compare": "10"})
    assert bad.status_code == 422 and "tre icke-negativa tal" in bad.get_data(as_text=True)
    ok = client.post("/admin/report_settings/1", data={"survey_scale": "5", "nki_weights": "2,1,1",
                                                        "min_answers": "7", "min_answers_compare": "10",
                                                        "recipients": "analys@kommun.se"})
    assert ok.status_code == 302
    db.session.expire_all()
    s = db.session.get(ReportSettings, 1)
    assert (s.survey_scale, s.nki_weights, s.recipients) == (5, [2.0, 1.0, 1.0], "analys@kommun.se")
    m = db.session.scalar(sa.select(HandslagetMeasure).where(HandslagetMeasure.code == "1.1"))
    resp = client.post(f"/admin/measures/{m.id}", data={"handslag": "1", "code": "1.1", "title": m.title,
                                                        "kpi": "within_target", "target": "0.85",
                                                        "higher_is_better": "y", "at_risk_margin": "0.05",
                                                        "active": "y"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(HandslagetMeasure, m.id).target == 0.85


def test_nki_weights_that_are_not_finite_numbers_are_refused(client, offices, make_user):
    from caseflow.models import ReportSettings

    login(client, make_user("admin"))
    for weights in ("nan,1,1", "inf,1,1", "1,-1,1", "0,0,0", "1,1,1,1"):
        resp = client.post("/admin/report_settings/1", data={"survey_scale": "6", "nki_weights": weights,
                                                              "min_answers": "7", "min_answers_compare": "10"})
        assert resp.status_code == 422 and "tre icke-negativa tal" in resp.get_data(as_text=True), weights
    db.session.expire_all()
    assert db.session.get(ReportSettings, 1).nki_weights == [1, 1, 1]


def test_operations_page_shows_undelivered_mail_and_retries_it(client, app, app_config, offices, make_user, submit):
    from caseflow import create_app
    from caseflow.models import Outbox

    down = create_app(dict(app_config, MAIL_SERVER="127.0.0.1", MAIL_PORT=1, OUTBOX_RETRY_AFTER_SECONDS=0))
    with down.app_context():
        submit()  # the receipt cannot be sent: SMTP is down
        db.session.remove()
    row = db.session.scalars(sa.select(Outbox).where(Outbox.payload["template"].as_string() == "receipt")).one()
    assert row.status == "pending" and row.last_error
    app.config["OUTBOX_RETRY_AFTER_SECONDS"] = 0  # every pending row counts as undelivered
    login(client, make_user("admin"))
    html = client.get("/admin/operations").get_data(as_text=True)
    assert "Kvitto till företaget" in html and "Väntar på att skickas" in html  # labels, not codes
    client.post(f"/admin/operations/outbox/{row.id}/retry")  # this app has no SMTP server: logged and kept
    db.session.expire_all()
    assert db.session.get(Outbox, row.id).status == "sent"
