"""Every enumeration of the domain, each value with its Swedish and English label: the one source.

Forms (their choices), the admin pages' validation (``services.admin.VALIDATORS``), the API's OpenAPI document,
Open311 and every label a page, mail or export shows are built from these. A value without a label in either
language cannot be written here (``Member`` takes both), and tests/unit/test_enumerations.py checks that no
label is blank, so no raw code reaches a page. Pure: no Flask, no database.

Complaint grounds live in ``domain.complaints`` (with their hints and Insikt factors) and are offered here as
``COMPLAINT_GROUND`` like every other enumeration.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    value: str
    sv: str
    en: str

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.sv


class Enumeration:
    """Named values with their labels, in the order forms offer them."""

    def __init__(self, name: str, members: tuple[Member, ...]):
        self.name = name
        self.members = members
        self.by_value = {m.value: m for m in members}
        if len(self.by_value) != len(members):
            raise ValueError(f"{name}: a value twice")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(m.value for m in self.members)

    def __contains__(self, value) -> bool:
        return value in self.by_value

    def __iter__(self) -> Iterator[Member]:
        return iter(self.members)

    def label(self, value, language: str) -> str:
        """The label of ``value``; an unknown value raises KeyError (a code never passes for a label)."""
        return self.by_value[value].label(language)

    def unknown(self, values) -> list[str]:
        """The ``values`` that are not of this enumeration (what a validator refuses)."""
        return [v for v in values if v not in self.by_value]


def _enum(name: str, *triples: tuple[str, str, str]) -> Enumeration:
    return Enumeration(name, tuple(Member(*t) for t in triples))


KIND = _enum("kind", ("errand", "Ärende", "Errand"), ("question", "Fråga", "Question"),
             ("complaint", "Klagomål", "Complaint"), ("feedback", "Synpunkt", "Feedback"))
# The status as the company reads it, and as staff read it (staff wait on the company, the company on itself)
STATUS = _enum("status", ("new", "Ny", "New"), ("assigned", "Tilldelat", "Assigned"),
               ("in_progress", "Pågår", "In progress"),
               ("awaiting_customer", "Väntar på ditt svar", "Awaiting your answer"),
               ("decided", "Beslutat", "Decided"), ("closed", "Avslutat", "Closed"))
STAFF_STATUS = Enumeration("staff_status", tuple(
    Member("awaiting_customer", "Väntar på företaget", "Awaiting company") if m.value == "awaiting_customer" else m
    for m in STATUS))
PRIORITY = _enum("priority", ("normal", "Normal", "Normal"), ("high", "Brådskande", "Urgent"))
CHANNEL = _enum("channel", ("web", "Webbformulär", "Web form"), ("email", "E-post", "E-mail"),
                ("api", "API", "API"), ("open311", "Open311", "Open311"))
ROLE = _enum("role", ("officer", "Handläggare", "Case officer"), ("lead", "Enhetschef", "Office lead"),
             ("admin", "Administratör", "Administrator"), ("analyst", "Analytiker", "Analyst"))
LEGAL_FORM = _enum(
    "legal_form",
    ("aktiebolag", "Aktiebolag", "Limited company (aktiebolag)"),
    ("sole_trader", "Enskild firma", "Sole trader"),
    ("handelsbolag_kommanditbolag", "Handelsbolag eller kommanditbolag", "Trading or limited partnership"),
    ("ekonomisk_forening", "Ekonomisk förening", "Economic association"),
    ("ideell_forening_stiftelse", "Ideell förening eller stiftelse", "Non-profit association or foundation"),
    ("enkelt_bolag", "Enkelt bolag", "Simple partnership"),
    ("public_sector", "Stat, region eller kommun", "Public sector body"),
    ("foreign_company", "Utländskt företag", "Foreign company"),
    ("estate", "Dödsbo", "Estate of a deceased person"),
    ("other", "Annan företagsform", "Other legal form"),
)
UNIT = _enum("unit", ("working_hours", "arbetstimmar", "working hours"),
             ("working_days", "arbetsdagar", "working days"), ("calendar_weeks", "veckor", "weeks"))
CLOCK = _enum("clock", ("first_response", "Första svar", "First response"),
              ("acknowledgement", "Klagomål bekräftat", "Complaint acknowledged"),
              ("resolution", "Svar / beslut", "Answer / decision"),
              ("pbl", "Lagstadgad tidsfrist (PBL 9:27)", "Statutory deadline (PBL 9:27)"),
              ("fl12", "Avgör efter begäran (FL 12 §)", "Decide after request (FL 12 §)"))
# The clocks a service promise (an sla_policy row) may set; pbl and fl12 are set by law
POLICY_CLOCK = Enumeration("policy_clock", tuple(m for m in CLOCK if m.value not in ("pbl", "fl12")))
OUTCOME = _enum("outcome", ("answered", "Besvarat", "Answered"), ("granted", "Beviljat", "Granted"),
                ("partly_granted", "Delvis beviljat", "Partly granted"), ("rejected", "Avslag", "Rejected"),
                ("withdrawn", "Återkallat", "Withdrawn"), ("referred", "Hänvisat till annan", "Referred elsewhere"),
                ("no_action", "Ingen åtgärd behövs", "No action needed"),
                ("duplicate", "Dubblett av ett annat ärende", "Duplicate of another case"))
EVENT = _enum(
    "event",
    ("received", "Ärendet mottaget och registrerat", "Case received and registered"),
    ("routed", "Skickat till förvaltning", "Routed to office"),
    ("public_reply", "Svar skickat till företaget", "Reply sent to the company"),
    ("first_response", "Första svar lämnat", "First response given"),
    ("internal_note", "Intern anteckning", "Internal note"),
    ("assigned", "Tilldelat", "Assigned"),
    ("closed", "Avslutat", "Closed"),
    ("completion_requested", "Komplettering begärd från företaget", "Completion requested from the company"),
    ("decided", "Beslut", "Decision"),
    ("reopened", "Återöppnat", "Reopened"),
    ("delay_notice", "Förseningsbesked skickat (FL 11 §)", "Delay notice sent (FL 11 §)"),
    ("fl12_request", "Begäran om avgörande registrerad (FL 12 §)", "Request for a decision registered (FL 12 §)"),
    ("company_message", "Företaget skrev", "The company wrote"),
    ("clock_started", "Klocka startad", "Clock started"),
    ("clock_stopped", "Klocka stoppad", "Clock stopped"),
    ("clock_paused", "Klocka pausad", "Clock paused"),
    ("clock_resumed", "Klocka återupptagen", "Clock resumed"),
    ("clock_waiting_for_completion", "Lagstadgad tidsfrist väntar på kompletteringen",
     "Statutory clock waits for the completion"),
    ("sla_warning", "Risk (80 procent av tiden använd)", "At risk (80 percent of the time used)"),
    ("sla_breach", "Tidsgräns överskriden", "Deadline breached"),
    ("pbl_extended", "Lagstadgad tidsfrist förlängd", "Statutory deadline extended"),
    ("rerouted", "Skickat till annan förvaltning", "Sent to another office"),
    ("linked", "Kopplat", "Linked"),
    ("pbl_fee_reduction", "Avgift reducerad (PBL 12:8 a)", "Fee reduced (PBL 12:8a)"),
    ("clock_restarted", "Klockan går igen efter återöppningen", "Clock running again after the reopening"),
    ("facts_corrected", "Sparade uppgifter rättade enligt gällande definitioner",
     "Stored figures corrected to the current definitions"),
    ("mail_received", "E-post mottagen och registrerad", "E-mail received and registered"),
    ("contact_bounced", "E-post till kontakten kom i retur", "Mail to the contact bounced"),
    ("company_set", "Företag angivet", "Company set"),
    ("anonymised", "Kontaktuppgifter gallrade", "Contact details anonymised (retention)"),
)
LINK = _enum("link", ("related", "Relaterat", "Related"), ("duplicate_of", "Dubblett av", "Duplicate of"),
             ("duplicate", "Har dubblett", "Has duplicate"))
ACTOR = _enum("actor", ("company", "Företaget", "The company"), ("system", "caseflow (automatiskt)",
                                                                 "caseflow (automatic)"))
ASSIGN_STRATEGY = _enum("assign_strategy", ("none", "Ingen: förvaltningens kö", "None: the office's queue"),
                        ("round_robin", "Turordning", "Round robin"),
                        ("least_open", "Handläggaren med minst antal öppna ärenden",
                         "Officer with the fewest open cases"))
STATUTORY = _enum("statutory", ("pbl_bygglov", "PBL: bygglov / förhandsbesked (10 veckor)",
                                 "PBL: bygglov / förhandsbesked (10 weeks)"),
                  ("pbl_anmalan", "PBL: anmälan (4 veckor)", "PBL: anmälan (4 weeks)"))
# An API token's scopes (the codes integrations and `caseflow create-token --scopes` name are shown beside them)
SCOPE = _enum("scope", ("submit", "Starta ärenden", "File cases"),
              ("read-own", "Följa egna ärenden", "Follow its own cases"),
              ("officer", "Handlägga ärenden som medarbetare", "Work cases as a member of staff"))
OUTBOX_STATUS = _enum("outbox_status", ("pending", "Väntar på att skickas", "Waiting to be sent"),
                      ("sent", "Skickade", "Sent"), ("failed", "Kunde inte skickas", "Could not be sent"))
MAIL = _enum(
    "mail",
    ("receipt", "Kvitto till företaget", "Receipt to the company"),
    ("new_case", "Nytt ärende till handläggaren", "New case to the officer"),
    ("reply", "Svar till företaget", "Reply to the company"),
    ("completion_request", "Begäran om komplettering", "Request for completion"),
    ("decision", "Beslut", "Decision"),
    ("closed", "Ärendet avslutat", "Case closed"),
    ("delay_notice", "Förseningsbesked (FL 11 §)", "Delay notice (FL 11 §)"),
    ("company_answered", "Företaget har svarat", "The company answered"),
    ("sla_warning", "Varning: tidsgräns nära", "Warning: deadline near"),
    ("sla_breach", "Tidsgräns överskriden", "Deadline breached"),
    ("monthly_report", "Månadsrapport", "Monthly report"),
    ("your_links", "Länkar till företagets ärenden", "Links to the company's cases"),
    ("verify_account", "Bekräfta e-postadressen", "Confirm the e-mail address"),
    ("account_exists", "Kontot finns redan", "The account exists already"),
    ("reset_password", "Nytt lösenord", "New password"),
    ("company_invitation", "Inbjudan till företagets ärenden", "Invitation to the company's cases"),
    ("mail_too_large", "Mejlet var för stort", "The mail was too large"),
    ("mail_files_refused", "Bifogade filer togs inte emot", "Attached files refused"),
)

# What became of an incoming mail (models.inbound.OUTCOMES)
MAIL_OUTCOME = _enum(
    "mail_outcome",
    ("reply", "svar i ärendet", "answer on the case"),
    ("new_case", "nytt ärende", "new case"),
    ("follow_up", "nytt ärende kopplat till detta", "new case linked to this one"),
    ("auto_reply", "automatiskt svar, ingen åtgärd", "automatic reply, no action"),
    ("bounce", "rapport om misslyckad leverans", "delivery failure report"),
    ("refused", "för stort, avsändaren har fått besked", "too large, the sender was told"),
    ("rate_limited", "för många meddelanden från avsändaren, ingen åtgärd",
     "too many mails from the sender, no action"),
    ("unknown", "inget ärende", "no case"),
    ("failed", "misslyckades, väntar på e-postserverns nya försök", "failed, waiting for the mail server's retry"),
)

# The audit log (services/admin.audit_log): the kinds of change an entry records (its entity), as the log's filter
# offers them; the same kinds as the thing a sentence names (definite form: "Anna Berg ändrade servicelöftet
# 'Första svar'"); and what was done, the sentence's verb. Every entity and action a service writes is one of
# these (tests/unit/test_enumerations.py reads the services).
AUDIT_ENTITY = _enum(
    "audit_entity",
    ("offices", "Förvaltningar", "Offices"), ("categories", "Områden", "Areas"),
    ("rules", "Styrningsregler", "Routing rules"), ("policies", "Servicelöften", "Service promises"),
    ("canned", "Standardsvar", "Canned responses"), ("users", "Användare och roller", "Users and roles"),
    ("measures", "Handslagets mått", "Handslaget measures"),
    ("report_settings", "Inställningar för rapport och enkät", "Report and survey settings"),
    ("api_tokens", "API-nycklar", "API tokens"), ("company_access", "Företagsbehörighet", "Company access"),
    ("personal_data_export", "Export av personuppgifter", "Personal data exports"),
    ("sso_group_mapping", "Grupper från identitetsleverantören", "Identity provider groups"),
)
AUDIT_NOUN = _enum(
    "audit_noun",
    ("offices", "förvaltningen", "the office"), ("categories", "området", "the area"),
    ("rules", "styrningsregeln", "the routing rule"), ("policies", "servicelöftet", "the service promise"),
    ("canned", "standardsvaret", "the canned response"), ("users", "användaren", "the user"),
    ("measures", "Handslagsmåttet", "the Handslaget measure"),
    ("report_settings", "rapport- och enkätinställningarna", "the report and survey settings"),
    ("api_tokens", "API-nyckeln", "the API token"),
    ("company_access", "behörigheten till ett företags ärenden", "the access to a company's cases"),
    ("personal_data_export", "personuppgifterna om en kontaktperson", "the personal data of a contact"),
    ("sso_group_mapping", "gruppen från identitetsleverantören", "the identity provider group"),
)
AUDIT_ACTION = _enum(
    "audit_action",
    ("create", "skapade", "created"), ("update", "ändrade", "changed"), ("grant", "gav", "granted"),
    ("revoke", "återkallade", "revoked"), ("export", "exporterade", "exported"),
    ("sso_create", "skapade vid inloggning", "created at sign-in"),
    ("sso_update", "ändrade efter grupperna hos identitetsleverantören", "changed by the identity provider's groups"),
    ("sso_deactivate", "inaktiverade", "deactivated"),
    ("sso_unconfirmed", "vägrade koppla en inloggning med obekräftad e-postadress till",
     "refused to link a sign-in with an unconfirmed e-mail address to"),
    ("sso_email_taken", "vägrade ge en annan inloggning e-postadressen hos",
     "refused another sign-in the e-mail address of"),
    ("totp_enrol", "registrerade en app för engångskoder för", "enrolled an authenticator app for"),
    ("break_glass_login", "loggade in med nödinloggning som", "signed in with break-glass access as"),
)


def _complaint_grounds() -> Enumeration:
    try:
        from . import complaints  # the grounds in the company's words, with hints and factors
    except ImportError:  # the grounds named by their Insikt factor
        return _enum("complaint_ground", ("information", "Information", "Information"),
                     ("tillganglighet", "Tillgänglighet (att nå oss)", "Accessibility (reaching us)"),
                     ("bemotande", "Bemötande", "Treatment"), ("kompetens", "Kompetens", "Competence"),
                     ("rattssakerhet", "Rättssäkerhet", "Legal certainty"),
                     ("effektivitet", "Effektivitet", "Efficiency"), ("other", "Annat", "Other"))
    members = [Member(g.value, g.sv, g.en) for g in complaints.GROUNDS]
    members += [Member(f, *complaints.FACTOR_LABELS[f]) for f in complaints.LEGACY_GROUNDS
                if f not in complaints.BY_VALUE]
    return Enumeration("complaint_ground", tuple(members))


COMPLAINT_GROUND = _complaint_grounds()

# Every enumeration, by name (the label test walks them; the workflow's tuples must agree with them)
ALL: dict[str, Enumeration] = {e.name: e for e in (
    KIND, STATUS, STAFF_STATUS, PRIORITY, CHANNEL, ROLE, LEGAL_FORM, UNIT, CLOCK, POLICY_CLOCK, OUTCOME, EVENT, LINK,
    ACTOR, ASSIGN_STRATEGY, STATUTORY, SCOPE, OUTBOX_STATUS, MAIL, MAIL_OUTCOME, AUDIT_ENTITY, AUDIT_NOUN, AUDIT_ACTION,
    COMPLAINT_GROUND)}

