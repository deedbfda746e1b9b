"""Demo members, institutions and organisations for seed_demo. Idempotent: keyed on slugs.
Registered with `ogp_platform.seeding.demo`; the other apps' demo data builds on it."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from ogp_platform import roles, seeding

from . import countries
from .models import (
    Institution,
    Member,
    MemberRole,
    Onboarding,
    OnboardingEvent,
    Organisation,
    OrganisationMembership,
)
from .policies import ADMINISTER_ORGANISATION, OGP_ADMINS_GROUP

NATIONAL = [
    # slug, name, alpha-2, joined, cohort, lead agency, website
    (
        "italy",
        "Italy",
        "IT",
        datetime.date(2011, 9, 20),
        "even",
        "Dipartimento della Funzione Pubblica",
        "https://open.gov.it",
    ),
    (
        "latvia",
        "Latvia",
        "LV",
        datetime.date(2011, 9, 20),
        "odd",
        "Valsts kanceleja (State Chancellery)",
        "https://www.mk.gov.lv",
    ),
    (
        "spain",
        "Spain",
        "ES",
        datetime.date(2011, 9, 20),
        "even",
        "Ministerio para la Transformación Digital y de la Función Pública",
        "https://transparencia.gob.es",
    ),
    (
        "finland",
        "Finland",
        "FI",
        datetime.date(2013, 4, 17),
        "odd",
        "Valtiovarainministeriö (Ministry of Finance)",
        "https://avoinhallinto.fi",
    ),
    (
        "netherlands",
        "Netherlands",
        "NL",
        datetime.date(2011, 9, 20),
        "even",
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "https://www.open-overheid.nl",
    ),
]
LOCAL = [
    (
        "reggio-emilia",
        "Reggio Emilia",
        "IT",
        "REG",
        "italy",
        datetime.date(2022, 4, 7),
        "Comune di Reggio Emilia — Servizio Agenda digitale",
        "https://www.comune.re.it",
    ),
    (
        "zaragoza",
        "Zaragoza",
        "ES",
        "ZAR",
        "spain",
        datetime.date(2022, 4, 7),
        "Ayuntamiento de Zaragoza — Oficina de Gobierno Abierto",
        "https://www.zaragoza.es",
    ),
]
INSTITUTIONS = {
    "italy": [
        ("Ministero dell'Economia e delle Finanze", "ministry"),
        ("Agenzia per l'Italia Digitale (AgID)", "agency"),
        ("Dipartimento della Funzione Pubblica", "department"),
    ],
    "latvia": [
        ("Vides aizsardzības un reģionālās attīstības ministrija", "ministry"),
        ("Valsts kanceleja", "agency"),
        ("Valsts reģionālās attīstības aģentūra", "agency"),
    ],
    "spain": [
        ("Ministerio para la Transformación Digital y de la Función Pública", "ministry"),
        ("Consejo de Transparencia y Buen Gobierno", "agency"),
    ],
    "finland": [("Valtiovarainministeriö", "ministry")],
    "netherlands": [("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "ministry")],
    "reggio-emilia": [("Servizio Agenda digitale e Innovazione", "department")],
    "zaragoza": [
        ("Oficina de Gobierno Abierto", "department"),
        ("Área de Participación y Relación con los Ciudadanos", "department"),
    ],
}
ORGANISATIONS = [
    # slug, name, kind, country, verified, members it works with, description
    (
        "delna",
        "Sabiedrība par atklātību – Delna",
        "cso",
        "LV",
        True,
        ["latvia"],
        "Latvijas nodaļa organizācijai Transparency International: pārskatāmība, "
        "atbildība un godīgums valsts pārvaldē.",
    ),
    (
        "providus",
        "Sabiedriskās politikas centrs PROVIDUS",
        "cso",
        "LV",
        True,
        ["latvia"],
        "Domnīca, kas strādā pie labas pārvaldības un pilsoniskās līdzdalības.",
    ),
    (
        "open-government-forum-italy",
        "Forum Open Government — Società civile",
        "cso",
        "IT",
        True,
        ["italy", "reggio-emilia"],
        "Rete di organizzazioni della società civile per il governo aperto.",
    ),
    (
        "fundacion-ciudadana-civio",
        "Fundación Ciudadana Civio",
        "cso",
        "ES",
        True,
        ["spain", "zaragoza"],
        "Periodismo de datos y vigilancia de lo público; acceso a la información.",
    ),
    (
        "universidad-de-zaragoza",
        "Universidad de Zaragoza — Cátedra de Participación e Innovación",
        "academic",
        "ES",
        False,
        ["zaragoza"],
        "Investigación aplicada en participación ciudadana.",
    ),
]


def seed_members(*, admin, officer, cso_member) -> list[Member]:
    Group.objects.get(name=OGP_ADMINS_GROUP).user_set.add(admin)
    members = {}
    for slug, name, alpha2, joined, cohort, agency, website in NATIONAL:
        members[slug] = _member(
            slug,
            name=name,
            kind=Member.Kind.NATIONAL,
            country=alpha2,
            date_joined=joined,
            cohort=cohort,
            lead_agency=agency,
            website=website,
            status=Member.Status.ACTIVE,
            actor=admin,
        )
    for slug, name, alpha2, code, parent, joined, agency, website in LOCAL:
        members[slug] = _member(
            slug,
            name=name,
            kind=Member.Kind.LOCAL,
            country=alpha2,
            local_code=code,
            parent=members[parent],
            date_joined=joined,
            lead_agency=agency,
            website=website,
            status=Member.Status.ACTIVE,
            actor=admin,
        )
    for slug, institutions in INSTITUTIONS.items():
        for name, kind in institutions:
            Institution.objects.update_or_create(
                member=members[slug], name=name, defaults={"kind": kind}
            )
    for slug, name, kind, alpha2, verified, works_with, description in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "country": alpha2,
                "verified": verified,
                "description": description,
            },
        )
        for member_slug in works_with:
            members[member_slug].organisations.add(organisation)

    latvia = members["latvia"]
    state_chancellery = Institution.objects.get(member=latvia, name="Valsts kanceleja")
    MemberRole.objects.update_or_create(
        member=latvia,
        user=officer,
        role=MemberRole.Role.POINT_OF_CONTACT,
        defaults={"institution": state_chancellery, "granted_by": admin},
    )
    civio = Organisation.objects.get(slug="fundacion-ciudadana-civio")
    OrganisationMembership.objects.update_or_create(
        organisation=civio,
        user=cso_member,
        defaults={"status": OrganisationMembership.Status.APPROVED, "decided_by": admin},
    )
    roles.object_permission_grant(
        actor=admin, user=cso_member, permission=ADMINISTER_ORGANISATION, obj=civio
    )
    _member_mid_onboarding(admin, members["latvia"])
    _forums(admin, members)
    return list(members.values())


FORUMS = {
    # member: (rules, seats as (name, sector, affiliation, position), meetings as (days ago,
    # title, agenda, decisions, government, civil society attendees), documents as (days ago,
    # title, kind, link))
    "latvia": (
        "Forumā ir vienāds valsts pārvaldes un nevalstisko organizāciju pārstāvju skaits. "
        "Lēmumus pieņem vienprātīgi; sanāksmes notiek reizi ceturksnī un ir atklātas.",
        [
            ("Inese Kalniņa", "government", "Valsts kanceleja", "līdzpriekšsēdētāja"),
            ("Jānis Ozoliņš", "government", "Finanšu ministrija", ""),
            (
                "Līga Bērziņa",
                "civil_society",
                "Sabiedriskās politikas centrs PROVIDUS",
                "līdzpriekšsēdētāja",
            ),
            ("Māris Zariņš", "civil_society", "Latvijas Pilsoniskā alianse", ""),
        ],
        [
            (
                40,
                "Rīcības plāna projekta apspriešana",
                "Apņemšanās projekti; konsultācijas grafiks",
                "Apstiprināt sešas apņemšanās sabiedriskajai apspriešanai.",
                5,
                6,
            ),
            (
                130,
                "Prioritāšu noteikšana",
                "Iesniegto ideju izvērtējums",
                "Atlasītas 9 idejas.",
                4,
                7,
            ),
        ],
        [
            (
                35,
                "Rīcības plāna projekts koprades posmam",
                "draft",
                "https://www.mk.gov.lv/lv/atverta-parvaldiba",
            ),
            (
                40,
                "Foruma sanāksmes protokols",
                "minutes",
                "https://www.mk.gov.lv/lv/atverta-parvaldiba",
            ),
        ],
    ),
    "spain": (
        "El Foro de Gobierno Abierto reúne a la Administración y a la sociedad civil a partes "
        "iguales; se reúne al menos dos veces al año y publica sus actas.",
        [
            (
                "Ana López Pérez",
                "government",
                "Ministerio para la Transformación Digital y de la Función Pública",
                "copresidenta",
            ),
            ("Carlos Ruiz", "government", "Consejo de Transparencia y Buen Gobierno", ""),
            ("Marta Gil", "civil_society", "Fundación Ciudadana Civio", "copresidenta"),
            ("Pablo Serrano", "civil_society", "Access Info Europe", ""),
            ("Elena Martín", "other", "Universidad Complutense de Madrid", ""),
        ],
        [
            (
                70,
                "Seguimiento del V Plan",
                "Informe de seguimiento de compromisos",
                "Publicar el informe de medio término.",
                6,
                6,
            ),
        ],
        [
            (
                300,
                "Informe de autoevaluación de medio término",
                "report",
                "https://transparencia.gob.es/",
            ),
        ],
    ),
}


def _forums(admin, members) -> None:
    """Forums, meetings and repositories for Latvia and Spain (Spain's repository has been
    silent for more than six months, so its member page shows the warning); idempotent."""
    import datetime

    from django.utils import timezone

    from .models import ForumMeeting, ForumSeat, RepositoryDocument

    today = timezone.localdate()
    for slug, (rules, seats, meetings, documents) in FORUMS.items():
        member = members[slug]
        if member.forum_rules:
            continue
        member.forum_rules = rules
        member.save(update_fields=["forum_rules"])
        for name, sector, affiliation, position in seats:
            ForumSeat.objects.create(
                member=member,
                name=name,
                sector=sector,
                affiliation=affiliation,
                position=position,
                joined_on=datetime.date(2024, 1, 15),
            )
        for days, title, agenda, decisions, government, civil in meetings:
            ForumMeeting.objects.create(
                member=member,
                held_on=today - datetime.timedelta(days=days),
                title=title,
                agenda=agenda,
                decisions=decisions,
                attendance_government=government,
                attendance_civil_society=civil,
                recorded_by=admin,
            )
        for days, title, kind, url in documents:
            RepositoryDocument.objects.create(
                member=member,
                title=title,
                kind=kind,
                url=url,
                dated=today - datetime.timedelta(days=days),
                added_at=timezone.now() - datetime.timedelta(days=days),
                added_by=admin,
            )


def _member(slug, *, actor, **fields) -> Member:
    fields["country_alpha3"] = countries.alpha3(fields["country"])
    fields.setdefault("region", "europe")
    member, created = Member.objects.get_or_create(slug=slug, defaults=fields)
    if created:
        member.status_reason = "Founding or long-standing member, in good standing."
        member.status_changed_at = timezone.now()
        member.save(update_fields=["status_reason", "status_changed_at"])
    return member


def _member_mid_onboarding(admin, latvia) -> None:
    """Jūrmala: a local government whose eligibility is recorded; its letter is awaited."""
    member = _member(
        "jurmala",
        name="Jūrmala",
        kind=Member.Kind.LOCAL,
        country="LV",
        local_code="JUR",
        parent=latvia,
        status=Member.Status.ONBOARDING,
        actor=admin,
        lead_agency="",
        website="https://www.jurmala.lv",
    )
    member.status_reason = ""
    member.save(update_fields=["status_reason"])
    onboarding, created = Onboarding.objects.get_or_create(
        member=member,
        defaults={
            "started_by": admin,
            "fiscal_transparency": 4,
            "access_to_information": 3,
            "asset_disclosure": 3,
            "citizen_engagement": None,
        },
    )
    if created:
        OnboardingEvent.objects.create(
            onboarding=onboarding, step="", summary="Onboarding started", actor=admin
        )
        OnboardingEvent.objects.create(
            onboarding=onboarding,
            step=Onboarding.Step.ELIGIBILITY,
            summary="10 of 12 points: Eligible",
            actor=admin,
        )


def seed(run: seeding.DemoRun) -> None:
    members = seed_members(
        admin=run.accounts["OGP admin"],
        officer=run.accounts["government officer"],
        cso_member=run.accounts["CSO member"],
    )
    run.say(f"{len(members)} members, with institutions and organisations.")


seeding.demo.register("members", seed)
