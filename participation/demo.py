"""Demo participation for seed_demo, written through the participation services so that the
register, the histories and the figures are the real thing.

Latvia's plan in co-creation (AP_LVA01) holds an open consultation (opened when the demo is
loaded, closing three weeks later) with its rules and questions in Latvian. A handful of demo
citizens comment on the plan and on two of its commitments, reply to each other, support or
oppose commitments and up-vote comments; one of them speaks for Delna, whose member she is.
The register also holds two inputs received outside the platform (a written submission and a
point raised at a forum meeting); the officer has answered some inputs with a disposition and a
reason and left the others pending, so the register shows work to do and the plan cannot be
submitted yet. One abusive comment waits in the moderators' queue.

Spain's plans are past co-creation (one in implementation, one ended): a consultation cannot be
held on them any more (`accepts_consultation`), and plans that leave co-creation end their
consultations, so no earlier, closed consultation is seeded there.

The events of the demo are in the past as far as its people are concerned: the notifications
they record (replies, new comments on what people follow, responses) are marked handled
without email, so loading the demo mails nobody.

Idempotent: when the plan already has the demo consultation, nothing is written (the citizens'
accounts are only created when missing, and their password restored when it was changed).

This module registers nothing with `ogp_platform.seeding`: participation knows no plan, so the
app that seeds the plans (commitments' demo) calls `seed_participation` with the plan.
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from ogp_platform.members.models import Organisation, OrganisationMembership

from . import selectors
from .interface import space_adapter
from .models import Comment, Input, Notification, Report, Vote
from .services import comments as comment_services
from .services import consultations as consultation_services
from .services import moderation as moderation_services
from .services import register as register_services
from .services import votes as vote_services

# Published in the README, like the other demo accounts' (seed_demo refuses production).
CITIZEN_PASSWORD = "demo-citizen-pass"  # noqa: S105
# key, email, display name
CITIZENS = [
    ("ilze", "citizen1@demo.ogp.example", "Ilze Liepiņa"),
    ("karlis", "citizen2@demo.ogp.example", "Kārlis Vītols"),
    ("dace", "citizen3@demo.ogp.example", "Dace Krūmiņa"),  # member of Delna
    ("edgars", "citizen4@demo.ogp.example", "Edgars Siliņš"),
    ("raimonds", "citizen5@demo.ogp.example", "Raimonds Ozols"),
]
CSO = "delna"  # Sabiedrība par atklātību – Delna (ogp_platform.members.demo)

CONSULTATION = {
    "title": "Sabiedriskā apspriešana par rīcības plāna projektu",
    "rules": (
        "Piedalīties var ikviens reģistrēts lietotājs ar apstiprinātu e-pasta adresi. Komentējiet "
        "plānu kopumā, katru apņemšanos un tās starpposma mērķus, un atbalstiet vai "
        "neatbalstiet apņemšanās. Organizācijas pārstāvis var norādīt, ka runā organizācijas "
        "vārdā.\n\n"
        "Valsts kanceleja katram priekšlikumam sniegs pamatotu atbildi, kas tiks publicēta "
        "pārskatā „Kā ņemti vērā priekšlikumi”.\n\n"
        "Lūdzam ievērot cieņpilnu saziņu: aizskaroši komentāri, surogātpasts un personas dati "
        "tiks slēpti, norādot iemeslu."
    ),
    "questions": [
        "Vai plāna apņemšanās risina jums svarīgākās atklātības un līdzdalības problēmas?",
        "Ko vēl vajadzētu iekļaut lobēšanas reģistra un līdzdalības budžeta apņemšanās?",
        "Kā valsts pārvalde var labāk iesaistīt jauniešus un pašvaldību iedzīvotājus plāna "
        "īstenošanā?",
    ],
    "weeks": 3,
}

# Where people take part: "plan", or a commitment by its place in the plan (1 is LV0001, the
# lobbying register; 3 is LV0003, participatory budgeting; 4 is LV0004, accessible e-services).
LOBBYING, PROCUREMENT, BUDGETING, E_SERVICES = 1, 2, 3, 4

# The comments, in the order they are posted: key, author, where ("plan" or a commitment's
# place), the key of the comment replied to (or None), whether the author speaks for the
# CSO, and the text.
COMMENTS = [
    (
        "plan-minutes",
        "ilze",
        "plan",
        None,
        False,
        "Paldies par iespēju piedalīties! Lūdzu, publicējiet arī darba grupas sanāksmju "
        "protokolus un norādiet, kuri iepriekšējā plāna priekšlikumi netika īstenoti un kāpēc.",
    ),
    (
        "plan-minutes-reply",
        "officer",
        "plan",
        "plan-minutes",
        False,
        "Paldies, Ilze! Foruma sanāksmju protokoli jau ir repozitorijā; iepriekšējā plāna "
        "izvērtējumu pievienosim līdz apspriešanas beigām.",
    ),
    (
        "plan-municipalities",
        "karlis",
        "plan",
        None,
        False,
        "Plānā trūkst apņemšanās par atklātību pašvaldību lēmumu pieņemšanā. Daudzi lēmumi, "
        "kas skar iedzīvotājus, tiek pieņemti domēs, nevis ministrijās.",
    ),
    (
        "plan-municipalities-reply",
        "edgars",
        "plan",
        "plan-municipalities",
        False,
        "Piekrītu — īpaši par domes komiteju sēžu ierakstiem un darba kārtības publicēšanu "
        "laikus, vismaz nedēļu iepriekš.",
    ),
    (
        "plan-abusive",
        "raimonds",
        "plan",
        None,
        False,
        "Visi ierēdņi ir zagļi un meļi, šī apspriešana ir farss un naudas izšķērdēšana.",
    ),
    (
        "lobbying-delna",
        "dace",
        LOBBYING,
        None,
        True,
        "Delna atbalsta reģistru, taču tam jāaptver arī pašvaldību vadītāju tikšanās. "
        "Iesakām noteikt, ka tikšanās ar lobētājiem tiek publicētas **5 darba dienu laikā** kā "
        "atvērtie dati.",
    ),
    (
        "lobbying-delna-reply",
        "ilze",
        LOBBYING,
        "lobbying-delna",
        False,
        "Ļoti svarīgi, lai dati būtu mašīnlasāmi, nevis skenēti PDF dokumenti.",
    ),
    (
        "lobbying-burden",
        "edgars",
        LOBBYING,
        None,
        False,
        "Reģistrācijas pienākums mazām biedrībām radīs lieku administratīvo slogu. Vai nevar "
        "noteikt izņēmumus brīvprātīgo organizācijām?",
    ),
    (
        "budget-share",
        "karlis",
        BUDGETING,
        None,
        False,
        "Līdzdalības budžetam jābūt vismaz 1 % no pašvaldības investīciju izdevumiem, citādi "
        "tas paliek simbolisks.",
    ),
    (
        "budget-voting",
        "ilze",
        BUDGETING,
        None,
        False,
        "Balsošanai par projektiem jābūt pieejamai arī bez e-paraksta, piemēram, bibliotēkās, "
        "lai piedalīties varētu arī seniori.",
    ),
    (
        "budget-voting-reply",
        "edgars",
        BUDGETING,
        "budget-voting",
        False,
        "Un arī skolēniem no 14 gadu vecuma — tā viņi iemācīsies, kā darbojas pašvaldība.",
    ),
]

# Support (+1) and opposition (-1) per commitment.
VOTES = {
    LOBBYING: {"ilze": 1, "karlis": 1, "dace": 1, "cso": 1, "edgars": -1},
    PROCUREMENT: {"dace": 1},
    BUDGETING: {"ilze": 1, "karlis": 1, "edgars": 1, "raimonds": -1},
}
UPVOTES = {
    "lobbying-delna": ["ilze", "karlis", "cso"],
    "plan-minutes": ["karlis", "dace"],
    "budget-share": ["ilze", "edgars"],
    "plan-municipalities": ["edgars"],
}
FOLLOWS = [("ilze", "plan"), ("dace", LOBBYING)]

# Inputs received outside the platform: key, source, days ago, from (person), organisation,
# kind of contributor, text.
OFFLINE = [
    (
        "providus",
        Input.Source.WRITTEN,
        10,
        "",
        "Sabiedriskās politikas centrs PROVIDUS",
        Input.OrganisationKind.CSO,
        "Rakstisks viedoklis par jauniešu līdzdalības apņemšanos: to jāpapildina ar "
        "izmērāmiem rādītājiem — cik jauniešu konsultāciju notiek gadā un cik to priekšlikumu "
        "ņemti vērā. Iesakām izveidot jauniešu padomes visās valstspilsētās.",
    ),
    (
        "forum",
        Input.Source.MEETING,
        40,
        "",
        "Latvijas Pilsoniskā alianse",
        Input.OrganisationKind.CSO,
        "Foruma sanāksmē „Rīcības plāna projekta apspriešana” ierosināts e-pakalpojumu "
        "pieejamības apņemšanā iekļaut regulāru lietotāju testēšanu ar cilvēkiem ar invaliditāti "
        "un senioriem.",
    ),
]

# The officer's responses: the input (a comment's or an offline input's key), disposition,
# commitment it was taken into (or None), reason. The other inputs stay pending.
RESPONSES = [
    (
        "forum",
        Input.Disposition.ACCEPTED,
        E_SERVICES,
        "Lietotāju testēšana ar cilvēkiem ar invaliditāti un senioriem ir iekļauta apņemšanās "
        "starpposma mērķos: katru gadu testēsim desmit biežāk lietotos e-pakalpojumus.",
    ),
    (
        "lobbying-delna",
        Input.Disposition.PARTIAL,
        LOBBYING,
        "Publicēšanas termiņš (5 darba dienas) un atvērto datu formāts ir iekļauti apņemšanā. "
        "Pašvaldību vadītāju tikšanās reģistrā iekļausim no 2029. gada, kad būs gatavs "
        "pašvaldību modulis.",
    ),
    (
        "plan-minutes",
        Input.Disposition.ACCEPTED,
        None,
        "Iepriekšējā plāna izvērtējumu un visus foruma sanāksmju protokolus publicēsim "
        "repozitorijā līdz apspriešanas beigām.",
    ),
    (
        "lobbying-burden",
        Input.Disposition.NOT_ACCEPTED,
        None,
        "Izņēmumi radītu nepilnības, jo lobēšana notiek arī ar mazu organizāciju starpniecību. "
        "Reģistrācija būs bez maksas un aizņems dažas minūtes; slogu mazināsim ar vienkāršu "
        "e-pakalpojumu.",
    ),
]

REPORT = (
    "plan-abusive",
    "ilze",
    Report.Reason.ABUSE,
    "Aizskarošs vispārinājums, nav par plāna saturu.",
)


def seed_citizens() -> dict:
    """The demo citizens (verified accounts), by key. Created when missing; an existing
    account is left as it is, except that the documented password is put back if it was
    changed."""
    User = get_user_model()
    citizens = {}
    for key, email, name in CITIZENS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": name, "preferred_language": "lv", "is_active": True},
        )
        if created or not user.check_password(CITIZEN_PASSWORD):
            user.set_password(CITIZEN_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        citizens[key] = user
    return citizens


def seed_participation(*, space, admin, officer, cso_member) -> dict:
    """Seed the demo participation on `space`, Latvia's plan in co-creation (see the module's
    docstring), and return its figures (`figures`). Participation knows nothing of plans:
    commitments' demo hands the plan over, and its commitments come from the plan's adapter."""
    citizens = seed_citizens()
    already = selectors.consultations_of(space).filter(title=CONSULTATION["title"]).exists()
    if not already and space_adapter(space).accepts_consultation(space):
        _seed(space, admin=admin, officer=officer, cso_member=cso_member, citizens=citizens)
    return figures(space)


def figures(space) -> dict:
    """What the space holds: the state of its current consultation, and how many comments
    (replies included, on the space and what it holds), votes, inputs and pending inputs."""
    consultation = selectors.current_consultation(space)
    children = list(space_adapter(space).children(space))
    votes = Vote.objects.none()
    if children:
        votes = Vote.objects.filter(
            target_type=selectors.content_type_of(children[0]),
            target_id__in=[child.pk for child in children],
        )
    totals = selectors.register_totals(space)
    return {
        "consultation": consultation,
        "comments": Comment.objects.filter(
            space_type=selectors.content_type_of(space), space_id=space.pk
        ).count(),
        "votes": votes.count(),
        "inputs": totals.total,
        "pending": totals.pending,
    }


def _seed(plan, *, admin, officer, cso_member, citizens) -> None:
    """Everything but the citizens' accounts, once (the caller checks it was not done)."""
    last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    people = {**citizens, "officer": officer, "cso": cso_member}
    delna = Organisation.objects.get(slug=CSO)
    # Dace speaks for Delna: a member approved by the OGP admin (as the members demo does it;
    # the membership services would mail the decision).
    OrganisationMembership.objects.get_or_create(
        organisation=delna,
        user=citizens["dace"],
        defaults={
            "status": OrganisationMembership.Status.APPROVED,
            "message": "Strādāju Delnas lobēšanas atklātības projektā.",
            "decided_at": timezone.now(),
            "decided_by": admin,
        },
    )
    commitments = space_adapter(plan).children(plan)
    targets = {"plan": plan, **dict(enumerate(commitments, start=1))}

    now = timezone.now()
    consultation = consultation_services.consultation_create(
        actor=officer,
        space=plan,
        title=CONSULTATION["title"],
        rules=CONSULTATION["rules"],
        questions=CONSULTATION["questions"],
        opens_at=now,
        closes_at=now + datetime.timedelta(weeks=CONSULTATION["weeks"]),
    )
    consultation_services.consultation_open(actor=officer, consultation=consultation)

    for who, where in FOLLOWS:
        vote_services.follow(actor=people[who], target=targets[where])

    comments = {}
    for key, who, where, parent, for_cso, body in COMMENTS:
        comments[key] = comment_services.comment_post(
            actor=people[who],
            target=targets[where],
            body=body,
            parent=comments[parent] if parent else None,
            organisation=delna if for_cso else None,
        )

    for place, votes in VOTES.items():
        for who, value in votes.items():
            vote_services.vote_cast(actor=people[who], target=targets[place], value=value)
    for key, voters in UPVOTES.items():
        for who in voters:
            vote_services.comment_upvote_toggle(
                actor=people[who], comment=comments[key], upvoted=True
            )

    today = timezone.localdate()
    inputs = {key: comment.input for key, comment in comments.items() if comment.parent_id is None}
    for key, source, days, author, organisation, kind, text in OFFLINE:
        inputs[key] = register_services.input_record(
            actor=officer,
            space=plan,
            source=source,
            text=text,
            received_on=today - datetime.timedelta(days=days),
            author_name=author,
            organisation_name=organisation,
            organisation_kind=kind,
        )
    for key, disposition, taken_into, reason in RESPONSES:
        register_services.input_respond(
            actor=officer,
            input=inputs[key],
            disposition=disposition,
            reason=reason,
            taken_into=targets[taken_into] if taken_into else None,
        )

    key, who, reason, note = REPORT
    moderation_services.comment_report(
        actor=people[who], comment=comments[key], reason=reason, note=note
    )

    # Handled without email: the emails queued when this transaction commits find nothing to
    # send (see the module's docstring).
    Notification.objects.filter(pk__gt=last_notification, sent_at__isnull=True).update(
        sent_at=timezone.now(), skipped=True
    )
