"""Demo data: the offices and categories of docs/domain.md, staff with printed passwords, and sample cases."""
from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from ..domain import workflow
from ..domain.identifiers import luhn_check_digit
from ..extensions import db
from ..models import Case, Category, Office, ReportSettings, RoutingRule, User
from . import casework, intake, public, reports, sla, surveys
from .unit import commit

OFFICES = [
    # code, name, English name, entry point?
    ("naringsliv", "Näringslivsavdelningen", "Business Development Office", True),
    ("samhallsbyggnad", "Samhällsbyggnadskontoret", "Urban Planning and Building Office", False),
    ("miljo", "Miljö- och hälsoskydd", "Environment and Health Protection", False),
    ("tillstand", "Tillståndsenheten", "Licensing Unit", False),
    ("raddning", "Räddningstjänsten", "Fire and Rescue Service", False),
    ("kompetens", "Kompetensförsörjningskontoret", "Skills Supply Office", False),
    ("upphandling", "Upphandlingsenheten", "Procurement Unit", False),
]

CATEGORIES = [
    # code, name, English name, office code, statutory clock
    ("bygglov", "Bygglov och förhandsbesked", "Building permit and advance notice", "samhallsbyggnad",
     "pbl_bygglov"),
    ("anmalan", "Anmälan (startbesked)", "Notification (start notice)", "samhallsbyggnad", "pbl_anmalan"),
    ("markupplatelse", "Markupplåtelse", "Use of public land", "samhallsbyggnad", None),
    ("livsmedel", "Livsmedelskontroll och registrering", "Food control and registration", "miljo", None),
    ("miljotillsyn", "Miljö- och hälsoskydd, tillsyn", "Environmental and health supervision", "miljo", None),
    ("servering", "Serveringstillstånd", "Alcohol licence", "tillstand", None),
    ("folkol_tobak", "Folköl och tobak", "Low-alcohol beer and tobacco", "tillstand", None),
    ("brandskydd", "Brandskydd och brandtillsyn", "Fire safety and inspection", "raddning", None),
    ("kompetens", "Rekrytering och kompetens", "Recruitment and skills", "kompetens", None),
    ("upphandling", "Offentlig upphandling", "Public procurement", "upphandling", None),
    ("foretagslots", "Övrigt / vet inte", "Other / not sure", "naringsliv", None),
]

# Whether a category's decisions can be appealed, to which body, within how many weeks of receiving the decision
# (förvaltningslagen 44 §: three weeks, also under PBL 13 kap., miljöbalken 19 kap., livsmedelslagen 31 §,
# alkohollagen 10 kap. 1 §, LSO 10 kap. 1 §). Upplåtelse of public land is the municipality acting as landowner,
# recruitment help, procurement questions and the business office's guidance decide nothing for a party: no appeal.
APPEALS = {
    "bygglov": ("Länsstyrelsen Östergötland", 3),
    "anmalan": ("Länsstyrelsen Östergötland", 3),
    "markupplatelse": None,
    "livsmedel": ("Förvaltningsrätten i Linköping", 3),
    "miljotillsyn": ("Länsstyrelsen Östergötland", 3),
    "servering": ("Förvaltningsrätten i Linköping", 3),
    "folkol_tobak": ("Förvaltningsrätten i Linköping", 3),
    "brandskydd": ("Länsstyrelsen Östergötland", 3),
    "kompetens": None,
    "upphandling": None,
    "foretagslots": None,
}

SAMPLE_SUBJECTS = {
    "bygglov": ["Bygglov för tillbyggnad av lager", "Förhandsbesked för verkstad", "Bygglov skylt på fasad"],
    "anmalan": ["Anmälan om ändrad planlösning", "Startbesked för eldstad"],
    "markupplatelse": ["Uteservering på torget i sommar", "Byggställning på trottoaren"],
    "livsmedel": ["Registrering av ny food truck", "Fråga om märkning av bakverk"],
    "miljotillsyn": ["Buller från ventilation", "Anmälan om hygienisk verksamhet"],
    "servering": ["Ansökan om serveringstillstånd för restaurang", "Tillfälligt tillstånd för festival"],
    "folkol_tobak": ["Anmälan om försäljning av folköl"],
    "brandskydd": ["Brandskyddskontroll av hotell", "Fråga om utrymningsvägar"],
    "kompetens": ["Söker hjälp att rekrytera svetsare", "Praktikplatser för vuxenstuderande"],
    "upphandling": ["Hur lämnar vi anbud?", "Fråga om kommande upphandling av städ"],
    "foretagslots": ["Vi vill etablera oss i Norrköping", "Vem ska jag kontakta om parkering?"],
}
COMPANIES = ["Bergs Bygg AB", "Kanalkaféet AB", "Norrköpings Plåt HB", "Visby Verkstad AB", "Lindö Marin AB",
             "Hemmabageriet", "Strömparkens Restaurang AB", "Ljura Städ AB", "Östgöta El & Tele AB",
             "Hagebyhöga Foodtruck"]
FIRST_NAMES = ["Anna", "Erik", "Maria", "Johan", "Sara", "Ali", "Lena", "Mikael", "Fatima", "Karin"]
LAST_NAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Hassan", "Berg"]


def is_seeded() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Office)) > 0


def seed_configuration() -> dict[str, Office]:
    """Offices, categories and one routing rule per category (category -> its office)."""
    offices = {}
    for code, name, name_en, entry in OFFICES:
        offices[code] = Office(code=code, name=name, name_en=name_en, is_entry=entry,
                               email=f"{code}@norrkoping.invalid")
        db.session.add(offices[code])
    db.session.flush()
    for pos, (code, name, name_en, office, statutory) in enumerate(CATEGORIES):
        appeal = APPEALS.get(code)
        cat = Category(code=code, name=name, name_en=name_en, default_office=offices[office],
                       statutory=statutory, position=pos, appealable=appeal is not None,
                       appeal_body=appeal[0] if appeal else "", appeal_weeks=appeal[1] if appeal else None)
        db.session.add(cat)
        db.session.flush()
        db.session.add(RoutingRule(position=(pos + 1) * 10, name=f"{name} → {offices[office].name}",
                                   office=offices[office], category_id=cat.id))
    db.session.flush()
    sla.seed_policies()
    reports.seed_measures()
    db.session.add(ReportSettings(id=1))
    commit()
    return offices


def seed_demo(cases: int = 50, rng: random.Random | None = None, now: datetime | None = None) -> list[tuple]:
    """Seed configuration, staff and ``cases`` sample cases, and a few more so that every office has a case to
    take and every officer and the lead one of their own. Returns the staff logins (email, password, role,
    office)."""
    rng = rng or random.Random(2035)
    now = now or datetime.now(UTC)
    offices = seed_configuration()
    logins = []

    def add_user(email, name, role, office):
        password = secrets.token_urlsafe(9)
        u = User(email=email, name=name, role=role, office=office)
        u.set_password(password)
        db.session.add(u)
        logins.append((email, password, role, office.name if office else "-"))
        return u

    officers = {}
    for code, office in offices.items():
        officers[code] = add_user(f"{code}@demo.caseflow", f"Handläggare {office.name}", "officer", office)
    lead = add_user("lead@demo.caseflow", "Enhetschef Näringsliv", "lead", offices["naringsliv"])
    add_user("admin@demo.caseflow", "Administratör", "admin", None)
    add_user("analyst@demo.caseflow", "Analytiker Näringsliv", "analyst", None)
    commit()

    cats = db.session.scalars(sa.select(Category).order_by(Category.position)).all()
    start = now - timedelta(days=120)
    for i in range(cases):
        cat = rng.choice(cats)
        kind = rng.choices(["errand", "question", "complaint", "feedback"], [5, 3, 1, 1])[0]
        when = start + timedelta(seconds=rng.randrange(int((now - start).total_seconds())))
        receipt = intake.submit_case(_sample_submission(rng, cat, kind, i), when)
        officer = officers[cat.default_office.code]
        # A realistic mix: most older cases were answered (a few late) and many closed; some wait on the
        # company; the newest are untouched, so the queue shows in-time, at-risk and breached cases.
        age = (now - when).days
        if age > 3 and rng.random() < 0.92:
            answered = when + timedelta(hours=rng.choice([2, 5, 20, 26, 30, 44, 70]))
            if rng.random() < 0.15 and age > 10:
                casework.request_completion(officer, receipt.case_id, "Vi behöver en ritning och ett foto av platsen.",
                                            answered)
                if rng.random() < 0.7:
                    public.answer(receipt.token, "Här kommer ritningen.",
                                  answered + timedelta(days=rng.randrange(1, 6)))
            else:
                casework.reply(officer, receipt.case_id, "Tack för ditt ärende! Vi har tittat på det och återkommer.",
                               answered)
            if age > 20 and rng.random() < 0.8:
                closed = min(answered + timedelta(days=rng.randrange(2, 20)), now - timedelta(hours=1))
                undecided = db.session.get(Case, receipt.case_id).status != "decided"
                if undecided and rng.random() < 0.5:
                    casework.decide(officer, receipt.case_id, rng.choice(["granted", "rejected"]),
                                    "Beslut: se bifogat beslut.", closed - timedelta(minutes=30))
                casework.close(officer, receipt.case_id, rng.choice(["answered", "granted", "rejected"]), closed,
                               "Ärendet är nu avslutat.")
                _answer_survey(receipt.case_id, rng, closed + timedelta(hours=rng.randrange(1, 48)))
    _work_for_every_login(offices, officers, lead, cats, rng, now, first_number=cases)
    _decisions_to_read(officers, {c.code: c for c in cats}, rng, now, first_number=cases + 100)
    return logins


# Decided cases as a company reads them: a building permit refused (appealable to Länsstyrelsen within three
# weeks), a food business registered in part (appealable to Förvaltningsrätten), a procurement question answered
# (no decision to appeal). (category, kind, subject, outcome, the decision with its reasons)
DECIDED_EXAMPLES = [
    ("bygglov", "errand", "Bygglov för tillbyggnad av lager, Spinnrocken 3", "rejected",
     "Ansökan om bygglov avslås.\n\nSkäl: Tillbyggnaden blir 6,2 meter hög. Detaljplanen för kvarteret Spinnrocken "
     "tillåter högst 4,5 meters byggnadshöjd, och avvikelsen är inte liten (plan- och bygglagen 9 kap. 30 och 31 b "
     "§§). Grannarna har inte haft invändningar, men det ändrar inte bedömningen."),
    ("livsmedel", "errand", "Registrering av food truck", "partly_granted",
     "Livsmedelsanläggningen registreras för försäljning av förpackade livsmedel och kaffe.\n\nSkäl: "
     "Registreringen gäller inte tillagning av kyckling och fisk, eftersom fordonet saknar separat handtvättställ "
     "och kyllagring under 4 °C (förordning (EG) nr 852/2004 bilaga II). Komplettera gärna med det, så prövar vi "
     "saken på nytt."),
    ("upphandling", "question", "Hur lämnar vi anbud?", "answered",
     "Anbud lämnas i upphandlingsverktyget som anges i annonsen. Registrera företaget där i god tid före sista "
     "anbudsdag; frågor om upphandlingen ställs i verktyget, så att alla anbudsgivare får samma svar."),
]


def _decisions_to_read(officers: dict[str, User], cats: dict[str, Category], rng: random.Random, now: datetime,
                       first_number: int) -> None:
    for i, (code, kind, subject, outcome, text) in enumerate(DECIDED_EXAMPLES):
        cat = cats[code]
        when = now - timedelta(days=20 + 3 * i)
        sub = _sample_submission(rng, cat, kind, first_number + i)
        sub.subject = subject
        receipt = intake.submit_case(sub, when)
        officer = officers[cat.default_office.code]
        casework.reply(officer, receipt.case_id, "Tack, vi har tagit emot ert ärende och börjat handlägga det.",
                       when + timedelta(hours=20))
        casework.decide(officer, receipt.case_id, outcome, text, now - timedelta(days=2 + i))


def _sample_submission(rng: random.Random, cat: Category, kind: str, i: int) -> intake.Submission:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return intake.Submission(
        kind=kind, category_id=cat.id, org_number=_org_number(rng),
        company_name=rng.choice(COMPANIES), contact_name=f"{first} {last}",
        contact_email=f"{first.lower()}.{last.lower()}{i}@example.se",
        contact_phone=f"070-{rng.randrange(1000000, 9999999)}",
        subject=rng.choice(SAMPLE_SUBJECTS[cat.code]),
        description="Hej! Vi behöver hjälp med detta ärende. Se beskrivningen i ämnet.",
        complaint_ground=rng.choice(["too_slow", "treated_badly", "wrong_info", "hard_to_reach", "unclear_needs"])
        if kind == "complaint" else None,
        priority="high" if rng.random() < 0.1 else "normal",
    )


def _work_for_every_login(offices: dict[str, Office], officers: dict[str, User], lead: User, cats: list[Category],
                          rng: random.Random, now: datetime, first_number: int) -> None:
    """Every printed staff login opens a queue with something to do: each office gets an open case nobody has
    taken yet, and its officer (and the lead, in the lead's office) one of their own, received in the last
    day or two, wherever the random sample left none."""
    i = first_number
    for code, office in offices.items():
        cat = next(c for c in cats if c.default_office_id == office.id)
        people = [officers[code]] + ([lead] if lead.office_id == office.id else [])
        taken = set(db.session.scalars(sa.select(Case.assignee_id).where(
            Case.office_id == office.id, Case.status.in_(workflow.OPEN_STATUSES))))
        for who in [None, *people]:
            if (who.id if who else None) in taken:
                continue
            when = now - timedelta(hours=rng.randrange(2, 40))
            receipt = intake.submit_case(_sample_submission(rng, cat, "errand", i), when)
            i += 1
            if who is not None:
                casework.assign(who, receipt.case_id, who.id, when + timedelta(minutes=30))


def _answer_survey(case_id: int, rng: random.Random, when: datetime) -> None:
    """Most companies answer the survey, mostly satisfied: the demo report then has NKI figures."""
    from ..models import Survey

    survey = db.session.scalar(sa.select(Survey).where(Survey.case_id == case_id))
    if survey is None or rng.random() > 0.7:
        return
    answers = {q: rng.choices([2, 3, 4, 5, 6], [1, 2, 4, 6, 5])[0] for q in surveys.QUESTIONS}
    surveys.answer(surveys.token_for(survey.salt), answers, "", min(when, datetime.now(UTC)))


def _org_number(rng: random.Random) -> str:
    nine = f"5{rng.randrange(5, 10)}{rng.randrange(2, 10)}{rng.randrange(0, 1000000):06d}"
    return f"{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"
