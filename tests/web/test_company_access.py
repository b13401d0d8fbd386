"""Company access by proof. An account sees the cases it filed while logged in and the cases whose contact
address is its verified address; all of a company's cases only through a grant, which comes from staff (admin or
lead, with a reason, in the audit log) or from an invitation by a holder. Most tests here are an attacker's try."""
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import AuditLog, Company, CompanyAccount, Outbox
from tests.conftest import PASSWORD, VALID_FORM, login

VICTIM_ORG = "556036-0793"  # Kanalkaféet AB: public, anyone can write it on a form


@pytest.fixture
def account(app):
    def make(email, name="Konto"):
        acc = CompanyAccount(email=email.lower(), name=name, verified_at=datetime.now(UTC))  # as registration does
        acc.set_password(PASSWORD)
        db.session.add(acc)
        db.session.commit()
        return acc

    return make


@pytest.fixture
def signed_in(app, account):
    """A test client logged in as a (new, verified) company account with this address."""

    def make(email, name="Konto"):
        account(email, name)
        client = app.test_client()
        assert client.post("/account/login", data={"email": email, "password": PASSWORD}).status_code == 302
        return client

    return make


@pytest.fixture
def victim_case(submit):
    """A case of the victim company, filed by its own staff."""
    return submit(org_number=VICTIM_ORG, contact_email="vd@kanalkafeet.se", subject="Hemlig ombyggnad")


def company_id(org=VICTIM_ORG):
    return db.session.scalar(sa.select(Company.id).where(Company.org_number == org))


def account_home(client) -> str:
    resp = client.get("/account/")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def last_mail(template):
    db.session.expire_all()
    return db.session.scalars(sa.select(Outbox).where(Outbox.payload["template"].as_string() == template)
                              .order_by(Outbox.id.desc())).first()


def invitation_link(to):
    row = last_mail("company_invitation")
    assert row is not None and row.payload["to"] == to
    return re.search(r"/account/invitation/[^\s\"<]+", row.result["text"]).group(0)


@pytest.fixture
def staff_grant(app, offices, make_user):
    """Staff (a lead by default) grants an account access to the victim company through the admin page."""

    def grant(email, reason="Ringde VD:n på bolagets växelnummer och fick det bekräftat.", role="lead"):
        lead = make_user(role, offices["samhallsbyggnad"] if role in ("lead", "officer") else None)
        client = app.test_client()
        assert login(client, lead).status_code == 302
        return client.post(f"/admin/company-access/{company_id()}/grants", data={"email": email, "reason": reason})

    return grant


# -- the two attacks of the issue ----------------------------------------------------------------------------------
def test_filing_a_case_with_a_strangers_org_number_does_not_show_the_strangers_other_cases(
        signed_in, victim_case, category):
    attacker = signed_in("mallory@evil.example")
    data = dict(VALID_FORM, org_number=VICTIM_ORG, contact_email="mallory@evil.example",
                subject="Bara en fråga", category_id=str(category("markupplatelse").id))
    assert attacker.post("/submit", data=data).status_code == 302
    own = re.search(r"CF-\d{4}-\d{5}", attacker.get("/receipt").get_data(as_text=True)).group(0)
    home = account_home(attacker)
    assert own in home  # its own case, filed while logged in
    assert victim_case.reference not in home and "Hemlig ombyggnad" not in home
    assert victim_case.token not in home


def test_anonymous_case_with_own_address_then_adding_the_org_number_gives_no_access(
        client, signed_in, victim_case, submit):
    own = submit(org_number=VICTIM_ORG, contact_email="mallory@evil.example", subject="Bara en fråga")
    attacker = signed_in("mallory@evil.example")
    attacker.post("/account/companies", data={"org_number": VICTIM_ORG})
    home = account_home(attacker)
    assert own.reference in home  # its contact address is the account's verified address
    assert victim_case.reference not in home and victim_case.token not in home
    assert attacker.get(f"/account/companies/{company_id()}").status_code == 404


def test_an_account_sees_its_own_filed_and_contact_cases_and_nothing_else_of_the_company(signed_in, submit):
    mine = submit(org_number=VICTIM_ORG, contact_email="ekonomi@kanalkafeet.se")
    colleague = submit(org_number=VICTIM_ORG, contact_email="vd@kanalkafeet.se")
    other_company = submit(org_number="212000-0142", contact_email="ekonomi@kanalkafeet.se")
    home = account_home(signed_in("Ekonomi@Kanalkafeet.se"))
    assert mine.reference in home and other_company.reference in home
    assert colleague.reference not in home


def test_a_case_filed_while_logged_in_with_another_contact_address_is_still_listed(signed_in, category):
    client = signed_in("ny@foretaget.se")
    data = dict(VALID_FORM, contact_email="kollega@foretaget.se", category_id=str(category("livsmedel").id))
    assert client.post("/submit", data=data).status_code == 302
    ref = re.search(r"CF-\d{4}-\d{5}", client.get("/receipt").get_data(as_text=True)).group(0)
    assert ref in account_home(client)


def test_an_unverified_address_proves_nothing(app, victim_case):
    from caseflow.services import company_access

    acc = CompanyAccount(email="vd@kanalkafeet.se", name="Falsk", verified_at=None)
    acc.set_password(PASSWORD)
    db.session.add(acc)
    db.session.commit()
    assert company_access.cases_of(acc) == []


# -- staff grants ---------------------------------------------------------------------------------------------------
def test_a_lead_grants_access_with_a_reason_and_the_holder_sees_every_case_of_the_company(
        signed_in, victim_case, staff_grant, submit):
    holder = signed_in("ekonomi@kanalkafeet.se", "Eva Ekonomi")
    assert victim_case.reference not in account_home(holder)
    resp = staff_grant("ekonomi@kanalkafeet.se")
    assert resp.status_code == 302
    later = submit(org_number=VICTIM_ORG, contact_email="vd@kanalkafeet.se")
    home = account_home(holder)
    assert victim_case.reference in home and later.reference in home
    page = holder.get(f"/account/companies/{company_id()}").get_data(as_text=True)
    assert "Eva Ekonomi" in page and "ekonomi@kanalkafeet.se" in page


def test_a_staff_grant_is_in_the_audit_log_with_who_when_and_why(app, signed_in, victim_case, staff_grant,
                                                                  make_user):
    signed_in("ekonomi@kanalkafeet.se")
    before = datetime.now(UTC)
    staff_grant("ekonomi@kanalkafeet.se", reason="Kontrollerat mot Bolagsverket: firmatecknare.")
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.entity == "company_access"))
    assert entry.action == "grant" and entry.actor.role == "lead" and entry.at >= before
    assert entry.changes["reason"][1] == "Kontrollerat mot Bolagsverket: firmatecknare."
    assert entry.changes["account"][1] == "ekonomi@kanalkafeet.se"
    admin = make_user("admin")
    client = app.test_client()
    login(client, admin)
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "Kontrollerat mot Bolagsverket: firmatecknare." in audit and "ekonomi@kanalkafeet.se" in audit


def test_an_admin_may_grant_too(signed_in, victim_case, staff_grant):
    holder = signed_in("ekonomi@kanalkafeet.se")
    assert staff_grant("ekonomi@kanalkafeet.se", role="admin").status_code == 302
    assert victim_case.reference in account_home(holder)


@pytest.mark.parametrize("role", ["officer", "analyst"])
def test_staff_below_lead_cannot_grant(signed_in, victim_case, staff_grant, role):
    holder = signed_in("ekonomi@kanalkafeet.se")
    assert staff_grant("ekonomi@kanalkafeet.se", role=role).status_code == 403
    assert victim_case.reference not in account_home(holder)


def test_a_company_account_cannot_use_the_staff_grant_page(signed_in, victim_case):
    attacker = signed_in("mallory@evil.example")
    assert attacker.get(f"/admin/company-access?org_number={VICTIM_ORG}").status_code == 403
    resp = attacker.post(f"/admin/company-access/{company_id()}/grants",
                         data={"email": "mallory@evil.example", "reason": "Jag vill se allt."})
    assert resp.status_code == 403
    assert victim_case.reference not in account_home(attacker)


def test_a_grant_without_a_reason_is_refused(signed_in, victim_case, staff_grant):
    holder = signed_in("ekonomi@kanalkafeet.se")
    assert staff_grant("ekonomi@kanalkafeet.se", reason="  ").status_code == 422
    assert victim_case.reference not in account_home(holder)


def test_a_grant_to_an_address_without_a_verified_account_is_refused(app, victim_case, staff_grant):
    acc = CompanyAccount(email="ny@kanalkafeet.se", name="Ny", verified_at=None)
    acc.set_password(PASSWORD)
    db.session.add(acc)
    db.session.commit()
    assert staff_grant("ny@kanalkafeet.se").status_code == 422
    assert staff_grant("finns.inte@kanalkafeet.se").status_code == 422
    from caseflow.models import CompanyGrant

    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyGrant)) == 0


def test_revoking_a_grant_ends_access_at_once_and_is_audited(app, signed_in, victim_case, staff_grant, make_user):
    from caseflow.models import CompanyGrant

    holder = signed_in("ekonomi@kanalkafeet.se")
    staff_grant("ekonomi@kanalkafeet.se")
    assert victim_case.reference in account_home(holder)
    grant = db.session.scalar(sa.select(CompanyGrant))
    admin = make_user("admin")
    staff = app.test_client()
    login(staff, admin)
    page = staff.get(f"/admin/company-access?org_number={VICTIM_ORG}", follow_redirects=True).get_data(as_text=True)
    assert "ekonomi@kanalkafeet.se" in page
    resp = staff.post(f"/admin/company-access/grants/{grant.id}/revoke", data={"reason": "Slutat på bolaget."})
    assert resp.status_code == 302
    assert victim_case.reference not in account_home(holder)  # the same session, no new login
    assert holder.get(f"/account/companies/{company_id()}").status_code == 404
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.entity == "company_access")
                               .order_by(AuditLog.id.desc())).first()
    assert entry.action == "revoke" and entry.actor_user_id == admin.id
    assert entry.changes["reason"][1] == "Slutat på bolaget."


def test_an_officer_cannot_revoke_a_grant(app, signed_in, victim_case, staff_grant, make_user, offices):
    from caseflow.models import CompanyGrant

    holder = signed_in("ekonomi@kanalkafeet.se")
    staff_grant("ekonomi@kanalkafeet.se")
    grant = db.session.scalar(sa.select(CompanyGrant))
    officer = app.test_client()
    login(officer, make_user("officer", offices["samhallsbyggnad"]))
    assert officer.post(f"/admin/company-access/grants/{grant.id}/revoke", data={"reason": "x"}).status_code == 403
    assert victim_case.reference in account_home(holder)


# -- invitations ----------------------------------------------------------------------------------------------------
@pytest.fixture
def holder(signed_in, victim_case, staff_grant):
    client = signed_in("ekonomi@kanalkafeet.se", "Eva Ekonomi")
    assert staff_grant("ekonomi@kanalkafeet.se").status_code == 302
    return client


def invite(holder_client, email):
    return holder_client.post(f"/account/companies/{company_id()}/invitations", data={"email": email})


def test_a_holder_invites_by_mail_and_the_invitee_accepts_logged_in_with_that_address(
        holder, signed_in, victim_case):
    assert invite(holder, "Kassa@Kanalkafeet.se").status_code == 302
    link = invitation_link("kassa@kanalkafeet.se")
    invitee = signed_in("kassa@kanalkafeet.se", "Kim Kassa")
    assert victim_case.reference not in account_home(invitee)  # not before accepting
    shown = invitee.get(link)
    assert shown.status_code == 200 and "Kanalkaféet AB" in shown.get_data(as_text=True)
    assert invitee.post(link).status_code == 302
    assert victim_case.reference in account_home(invitee)
    page = holder.get(f"/account/companies/{company_id()}").get_data(as_text=True)
    assert "Kim Kassa" in page and "Eva Ekonomi" in page


def test_an_invitation_is_audited_as_a_grant_made_through_the_inviter(holder, signed_in):
    invite(holder, "kassa@kanalkafeet.se")
    link = invitation_link("kassa@kanalkafeet.se")
    signed_in("kassa@kanalkafeet.se").post(link)
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.entity == "company_access")
                               .order_by(AuditLog.id.desc())).first()
    assert entry.action == "grant" and entry.actor_user_id is None
    assert entry.changes["account"][1] == "kassa@kanalkafeet.se"
    assert entry.changes["invited_by"][1] == "ekonomi@kanalkafeet.se"


def test_the_invitation_token_is_not_kept_readable_in_the_database(holder):
    from caseflow.models import CompanyInvitation

    invite(holder, "kassa@kanalkafeet.se")
    token = invitation_link("kassa@kanalkafeet.se").rsplit("/", 1)[1]
    inv = db.session.scalar(sa.select(CompanyInvitation))
    assert token not in str({c.name: getattr(inv, c.name) for c in CompanyInvitation.__table__.columns})


def test_an_invitation_accepted_by_a_different_account_is_refused(holder, signed_in, victim_case):
    invite(holder, "kassa@kanalkafeet.se")
    link = invitation_link("kassa@kanalkafeet.se")
    attacker = signed_in("mallory@evil.example")
    resp = attacker.post(link)
    assert resp.status_code == 403
    assert victim_case.reference not in account_home(attacker)
    invitee = signed_in("kassa@kanalkafeet.se")  # the right one still can
    assert invitee.post(link).status_code == 302
    assert victim_case.reference in account_home(invitee)


def test_accepting_requires_being_logged_in(holder, client):
    from caseflow.models import CompanyGrant

    invite(holder, "kassa@kanalkafeet.se")
    link = invitation_link("kassa@kanalkafeet.se")
    resp = client.post(link)
    assert resp.status_code == 302 and "/account/login" in resp.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyGrant)) == 1  # the holder's only


def test_a_forged_invitation_token_is_refused(holder, signed_in, victim_case):
    invite(holder, "kassa@kanalkafeet.se")
    link = invitation_link("kassa@kanalkafeet.se")
    invitee = signed_in("kassa@kanalkafeet.se")
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    for forged in (tampered, "/account/invitation/1", "/account/invitation/WzEsIngiXQ.aaaa.bbbb"):
        assert invitee.post(forged).status_code == 400, forged
        assert invitee.get(forged).status_code == 400, forged
    assert victim_case.reference not in account_home(invitee)


def test_a_token_signed_for_another_purpose_is_no_invitation(app, holder, signed_in, victim_case):
    from caseflow.models import CompanyInvitation
    from caseflow.services.accounts import _serializer

    invite(holder, "kassa@kanalkafeet.se")
    inv = db.session.scalar(sa.select(CompanyInvitation))
    invitee = signed_in("kassa@kanalkafeet.se")
    with app.test_request_context():
        forged = _serializer("verify").dumps(inv.id)
    assert invitee.post(f"/account/invitation/{forged}").status_code == 400
    assert victim_case.reference not in account_home(invitee)


def test_an_invitation_token_works_once(holder, signed_in, victim_case, app, offices, make_user):
    from caseflow.models import CompanyGrant

    invite(holder, "kassa@kanalkafeet.se")
    link = invitation_link("kassa@kanalkafeet.se")
    invitee = signed_in("kassa@kanalkafeet.se")
    assert invitee.post(link).status_code == 302
    # the grant is revoked; the old token must not bring it back
    grant = db.session.scalars(sa.select(CompanyGrant).order_by(CompanyGrant.id.desc())).first()
    staff = app.test_client()
    login(staff, make_user("admin"))
    staff.post(f"/admin/company-access/grants/{grant.id}/revoke", data={"reason": "Fel person."})
    assert invitee.post(link).status_code == 400
    assert victim_case.reference not in account_home(invitee)


def test_an_expired_invitation_is_refused(holder, account, victim_case):
    from caseflow.models import CompanyInvitation
    from caseflow.services import company_access
    from caseflow.services.errors import InvalidInput

    invite(holder, "kassa@kanalkafeet.se")
    token = invitation_link("kassa@kanalkafeet.se").rsplit("/", 1)[1]
    invitee = account("kassa@kanalkafeet.se")
    inv = db.session.scalar(sa.select(CompanyInvitation))
    with pytest.raises(InvalidInput):
        company_access.accept_invitation(invitee, token, inv.expires_at + timedelta(seconds=1))
    assert company_access.cases_of(invitee) == []


def test_an_account_without_a_grant_cannot_invite(signed_in, victim_case, submit):
    submit(org_number=VICTIM_ORG, contact_email="mallory@evil.example")  # has a case of the company: no grant
    attacker = signed_in("mallory@evil.example")
    resp = invite(attacker, "mallory2@evil.example")
    assert resp.status_code == 404
    assert last_mail("company_invitation") is None


def test_the_first_grant_comes_only_from_staff(signed_in, victim_case):
    """Nobody holds a grant yet: no account can invite itself or anyone else in."""
    from caseflow.models import CompanyGrant, CompanyInvitation

    for email in ("vd@kanalkafeet.se", "mallory@evil.example"):
        client = signed_in(email)
        assert invite(client, email).status_code == 404
        assert client.get(f"/account/companies/{company_id()}").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyInvitation)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyGrant)) == 0


def test_an_invitation_from_a_holder_whose_grant_was_revoked_cannot_be_accepted(
        holder, signed_in, victim_case, app, make_user):
    from caseflow.models import CompanyGrant

    invite(holder, "kassa@kanalkafeet.se")
    link = invitation_link("kassa@kanalkafeet.se")
    grant = db.session.scalar(sa.select(CompanyGrant))
    staff = app.test_client()
    login(staff, make_user("admin"))
    staff.post(f"/admin/company-access/grants/{grant.id}/revoke", data={"reason": "Slutat."})
    invitee = signed_in("kassa@kanalkafeet.se")
    assert invitee.post(link).status_code == 400
    assert victim_case.reference not in account_home(invitee)


def test_a_holder_revokes_an_invitation_they_made(holder, signed_in, victim_case):
    from caseflow.models import CompanyInvitation

    invite(holder, "kassa@kanalkafeet.se")
    link = invitation_link("kassa@kanalkafeet.se")
    inv = db.session.scalar(sa.select(CompanyInvitation))
    assert holder.post(f"/account/invitations/{inv.id}/revoke").status_code == 302
    invitee = signed_in("kassa@kanalkafeet.se")
    assert invitee.post(link).status_code == 400
    assert victim_case.reference not in account_home(invitee)


def test_revoking_an_accepted_invitation_ends_the_access_it_gave(holder, signed_in, victim_case):
    from caseflow.models import CompanyInvitation

    invite(holder, "kassa@kanalkafeet.se")
    invitee = signed_in("kassa@kanalkafeet.se")
    invitee.post(invitation_link("kassa@kanalkafeet.se"))
    assert victim_case.reference in account_home(invitee)
    inv = db.session.scalar(sa.select(CompanyInvitation))
    assert holder.post(f"/account/invitations/{inv.id}/revoke").status_code == 302
    assert victim_case.reference not in account_home(invitee)


def test_a_holder_cannot_revoke_another_holders_invitation(holder, signed_in, staff_grant):
    from caseflow.models import CompanyInvitation

    invite(holder, "kassa@kanalkafeet.se")
    link = invitation_link("kassa@kanalkafeet.se")
    other = signed_in("vd@kanalkafeet.se")
    staff_grant("vd@kanalkafeet.se")
    inv = db.session.scalar(sa.select(CompanyInvitation))
    assert other.post(f"/account/invitations/{inv.id}/revoke").status_code == 404
    assert signed_in("kassa@kanalkafeet.se").post(link).status_code == 302


def test_a_holder_of_one_company_cannot_invite_into_another(holder, signed_in, submit):
    stranger = submit(org_number="212000-0142", contact_email="vd@regionbolaget.se")
    resp = invite_to(holder, company_id("212000-0142"), "mallory@evil.example")
    assert resp.status_code == 404
    assert last_mail("company_invitation") is None
    assert stranger.reference not in account_home(holder)


def invite_to(client, cid, email):
    return client.post(f"/account/companies/{cid}/invitations", data={"email": email})


def test_the_company_page_lists_holders_and_is_hidden_from_others(holder, signed_in):
    page = holder.get(f"/account/companies/{company_id()}")
    assert page.status_code == 200 and "Eva Ekonomi" in page.get_data(as_text=True)
    outsider = signed_in("mallory@evil.example")
    assert outsider.get(f"/account/companies/{company_id()}").status_code == 404


def test_invitation_forms_need_a_csrf_token(app_config, holder):
    from caseflow import create_app
    from caseflow.models import CompanyInvitation

    invite(holder, "kassa@kanalkafeet.se")
    inv = db.session.scalar(sa.select(CompanyInvitation))
    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    with app.app_context():
        client = app.test_client()
        login_page = client.get("/account/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        assert client.post("/account/login", data={"email": "ekonomi@kanalkafeet.se", "password": PASSWORD,
                                                   "csrf_token": token}).status_code == 302
        assert client.post(f"/account/invitations/{inv.id}/revoke").status_code == 400
        assert client.post(f"/account/companies/{company_id()}/invitations",
                           data={"email": "x@kanalkafeet.se"}).status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(CompanyInvitation, inv.id).revoked_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyInvitation)) == 1


# -- what stays --------------------------------------------------------------------------------------------------
def test_the_tracking_link_still_works_for_whoever_holds_it(client, victim_case):
    resp = client.get(f"/track/{victim_case.token}")
    assert resp.status_code == 200 and "Hemlig ombyggnad" in resp.get_data(as_text=True)


def test_the_case_list_keeps_the_tracking_links(signed_in, victim_case):
    home = account_home(signed_in("vd@kanalkafeet.se"))
    assert f"/track/{victim_case.token}" in home


def test_the_company_page_and_the_invitation_mail_speak_swedish_and_english(holder, signed_in):
    assert "Vem som har behörighet" in holder.get(f"/account/companies/{company_id()}").get_data(as_text=True)
    english = holder.get(f"/account/companies/{company_id()}?lang=en").get_data(as_text=True)
    assert "Who has access" in english and "Invite a colleague" in english
    invite(holder, "kassa@kanalkafeet.se")  # mailed in the inviter's language (Swedish: the account's default)
    assert "bjuder in dig" in last_mail("company_invitation").result["text"]


@pytest.mark.parametrize("address", ["@", "kassa@kanalkafeet.se\r\nBcc: x@example.org", "kassa@localhost"])
def test_an_invitation_to_an_address_that_cannot_be_one_is_refused(holder, address):
    from caseflow.services import company_access
    from caseflow.services.errors import InvalidInput

    inviter = db.session.scalar(sa.select(CompanyAccount).where(CompanyAccount.email == "ekonomi@kanalkafeet.se"))
    with pytest.raises(InvalidInput):
        company_access.invite(inviter, company_id(), address, datetime.now(UTC))
    assert last_mail("company_invitation") is None


def test_a_member_of_staff_whose_id_is_an_accounts_id_gets_nothing_of_that_account(account, victim_case, offices):
    """The company pages' use cases refuse anyone but a company account: a staff user's id names another table's
    row, so it must never be read as an account's id (here the two ids are equal on purpose)."""
    from caseflow.models import User
    from caseflow.services import company_access
    from caseflow.services.errors import Forbidden

    holder = account("vd@kanalkafeet.se")  # the victim case's contact address: the account sees that case
    officer = User(id=holder.id, email="o@staff.test", name="O", role="officer",
                   office_id=offices["samhallsbyggnad"].id)  # never added to the session
    assert company_access.cases_of(holder)
    for use_case in (lambda: company_access.cases_of(officer), lambda: company_access.companies_of(officer),
                     lambda: company_access.company_page(officer, company_id()),
                     lambda: company_access.invite(officer, company_id(), "x@kanalkafeet.se", datetime.now(UTC)),
                     lambda: company_access.revoke_invitation(officer, 1, datetime.now(UTC))):
        with pytest.raises(Forbidden):
            use_case()
