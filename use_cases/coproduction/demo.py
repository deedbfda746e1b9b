"""Demo data of the co-production core (see `ogp_platform.seeding`), written through the
services so that histories, rights and the register are the real thing.

- INTERLINK's catalogue, imported from the copy shipped in `data/` (62 enablers, 45 problem
  profiles, 3 schemas, in four languages): a fresh install has the real catalogue.
- One public process, in Italian, created from INTERLINK's default schema (engage → design →
  build → sustain): Reggio Emilia (its primary member) and Italy redesign together how families
  enrol their children in the city's nursery schools. The OGP admin started it for both owners
  and handed it to Italy's officer (Giulia Romano, the demo's point of contact of Italy), who
  runs its owner team; a second team gathers two residents and a civil-society network. A few
  tasks of the first phase are finished, two are in progress (one for each team) and the rest
  await; two tasks hold resources (a link, and an enabler of the catalogue suggested for the
  task); the residents commented, the officer replied, and the rules, set before anyone took
  part, were then amended once, with a reason.

The two residents are demo people who cannot sign in (no password): they give the team and
the comments real names. Everything written here is in our own words.

Idempotent: the catalogue's import changes nothing the second time; the process is created only
when Reggio Emilia has no process of its name yet.
"""

from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from ogp_platform import seeding
from ogp_platform.members.models import Member, Organisation
from participation.models import Notification
from participation.services import comments as comment_services

from .importer import import_catalogue, read_catalogue
from .models import Enabler, Governance, ProblemProfile, Process, Schema, Team, TreeItem
from .selectors.catalogue import suggested_enablers
from .services import governance as governance_services
from .services import processes as process_services
from .services import resources as resource_services
from .services import teams as team_services
from .services import tree as tree_services

CATALOGUE = Path(__file__).resolve().parent / "data" / "catalogue.json"
SCHEMA = "default"

PROCESS = {
    "name": "Iscrizioni ai nidi di Reggio Emilia, progettate con le famiglie",
    "description": (
        "Il Comune di Reggio Emilia e il Governo italiano ridisegnano insieme alle famiglie il "
        "servizio di iscrizione ai nidi d'infanzia: un'unica domanda online, chiara anche per "
        "chi non parla italiano, con i documenti che l'amministrazione possiede già compilati "
        "in automatico e una risposta entro trenta giorni.\n\n"
        "Il processo segue lo schema di co-produzione di INTERLINK: coinvolgere, progettare, "
        "costruire, mantenere. Chiunque può leggere il lavoro e commentarlo."
    ),
    "owners": ["reggio-emilia", "italy"],
}
RESIDENTS_TEAM = "Famiglie e associazioni"
NETWORK = "open-government-forum-italy"
# key, email, display name: demo people who cannot sign in.
RESIDENTS = [
    ("chiara", "chiara.bianchi@demo.ogp.example", "Chiara Bianchi"),
    ("luca", "luca.moretti@demo.ogp.example", "Luca Moretti"),
]

RULES = {
    "model": Governance.Model.PUBLIC_CIVIL_PARTNERSHIP,
    "participants": [
        Governance.Participant.PUBLIC_SECTOR,
        Governance.Participant.CIVIL_SOCIETY,
        Governance.Participant.CITIZENS,
        Governance.Participant.ACADEMIA,
    ],
    "decision": Governance.Decision.WEIGHTED,
    "owners_weight": 60,
    "jury_weight": 0,
    "public_weight": 40,
    "intellectual_property": (
        "I testi, i moduli e i prototipi prodotti nel processo sono pubblicati con licenza "
        "CC BY 4.0; il codice del nuovo modulo di iscrizione con licenza EUPL 1.2, nel "
        "repository pubblico del Comune."
    ),
    "agreement": (
        "Alla fine del processo il Comune e il Dipartimento per la trasformazione digitale "
        "firmano un accordo di collaborazione: il Comune gestisce il servizio, il Dipartimento "
        "ne riusa il modulo per gli altri comuni, e le famiglie del gruppo di lavoro ne "
        "verificano il funzionamento dopo sei mesi."
    ),
}
AMENDMENT = {
    "changes": {
        "participants": [*RULES["participants"], Governance.Participant.PRIVATE_SECTOR],
    },
    "reason": (
        "Le associazioni hanno chiesto di coinvolgere anche i nidi convenzionati, che sono "
        "imprese private: senza di loro il nuovo modulo non coprirebbe tutte le iscrizioni."
    ),
}

# How many tasks of the first phase, in the tree's order, are finished and in progress.
FINISHED, IN_PROGRESS = 3, 2

LINK = {
    "title": "Appunti dell'incontro con le famiglie al nido Diana",
    "url": "https://www.comune.re.it/",
    "description": (
        "Le difficoltà raccontate dai genitori nella domanda di iscrizione di quest'anno."
    ),
}

# key, author, where ("process", or "task" for the first task in progress), the comment
# replied to, and the text.
COMMENTS = [
    (
        "documents",
        "chiara",
        "process",
        None,
        "Quest'anno ho dovuto caricare tre volte lo stesso ISEE. Se il Comune lo ha già, "
        "perché chiederlo di nuovo alle famiglie?",
    ),
    (
        "documents-reply",
        "officer",
        "process",
        "documents",
        "Grazie, Chiara: è proprio uno degli obiettivi. Nella fase di progettazione verifichiamo "
        "con l'INPS come recuperare l'ISEE direttamente.",
    ),
    (
        "languages",
        "luca",
        "task",
        None,
        "Nel nostro quartiere molte famiglie parlano arabo o urdu: la domanda dovrebbe essere "
        "tradotta, almeno nelle istruzioni.",
    ),
]


def _residents() -> dict:
    """The demo residents, with verified addresses (comments need one) and no password."""
    User = get_user_model()
    residents = {}
    for key, email, name in RESIDENTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": name, "preferred_language": "it", "is_active": True},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        residents[key] = user
    return residents


def _move_tasks(officer, process: Process, teams: dict) -> dict:
    """Finish the first tasks of the first phase and start the next two, in the tree's order,
    skipping any a prerequisite holds back. Returns the tasks by status."""
    first_phase = TreeItem.objects.filter(process=process, parent=None).order_by("position").first()
    tasks = TreeItem.objects.filter(
        process=process, kind=TreeItem.Kind.TASK, parent__parent=first_phase
    ).order_by("parent__position", "position", "pk")
    moved = {TreeItem.Status.FINISHED: [], TreeItem.Status.IN_PROGRESS: []}
    plan = [TreeItem.Status.FINISHED] * FINISHED + [TreeItem.Status.IN_PROGRESS] * IN_PROGRESS
    responsible = [teams["owners"], teams["residents"]]
    for task in tasks:
        if not plan:
            break
        status = plan[0]
        try:
            tree_services.task_set_status(actor=officer, task=task, status=status)
        except ValidationError:
            continue  # waits for a prerequisite: the next task is tried
        if status == TreeItem.Status.IN_PROGRESS:
            team = responsible[len(moved[status]) % len(responsible)]
            tree_services.item_update(actor=officer, item=task, responsible_team=team)
        moved[status].append(task)
        plan.pop(0)
    return moved


def _enabler_for(task: TreeItem) -> Enabler | None:
    suggested = list(suggested_enablers(task, limit=1))
    return suggested[0] if suggested else Enabler.objects.filter(status="published").first()


def _seed_process(*, admin, officer, residents) -> dict:
    last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    members = {member.slug: member for member in Member.objects.filter(slug__in=PROCESS["owners"])}
    process = process_services.process_create(
        actor=admin,
        name=PROCESS["name"],
        description=PROCESS["description"],
        languages=["it"],
        owner_members=[members[slug] for slug in PROCESS["owners"]],
        visibility=Process.Visibility.PUBLIC,
        schema=Schema.objects.get(key=SCHEMA),
    )
    # Started by the OGP admin for both owners, run by Italy's officer.
    owners = Team.objects.get(process=process, role=Team.Role.OWNER)
    team_services.team_add_person(actor=admin, team=owners, user=officer)
    team_services.team_remove_person(actor=officer, team=owners, user=admin)
    process_services.process_set_status(
        actor=officer, process=process, status=Process.Status.RUNNING
    )
    governance_services.governance_update(actor=officer, process=process, **RULES)

    residents_team = team_services.team_create(
        actor=officer,
        process=process,
        name=RESIDENTS_TEAM,
        kind=Team.Kind.CITIZENS,
        role=Team.Role.MEMBER,
    )
    for resident in residents.values():
        team_services.team_add_person(actor=officer, team=residents_team, user=resident)
    network = Organisation.objects.filter(slug=NETWORK).first()
    if network is not None:
        team_services.team_add_organisation(
            actor=officer, team=residents_team, organisation=network
        )

    moved = _move_tasks(officer, process, {"owners": owners, "residents": residents_team})
    started = moved[TreeItem.Status.IN_PROGRESS]
    resources = 0
    if started:
        resource_services.resource_add_link(actor=officer, task=started[0], **LINK)
        enabler = _enabler_for(started[-1])
        if enabler is not None:
            resource_services.resource_add_enabler(actor=officer, task=started[-1], enabler=enabler)
            resources += 1
        resources += 1

    people = {**residents, "officer": officer}
    targets = {"process": process, "task": started[0] if started else process}
    comments = {}
    for key, who, where, parent, body in COMMENTS:
        comments[key] = comment_services.comment_post(
            actor=people[who],
            target=targets[where],
            body=body,
            parent=comments[parent] if parent else None,
        )
    # People have taken part: the rules now change by an amendment, with its reason.
    rules = {name: getattr(process.governance, name) for name in governance_services.RULE_FIELDS}
    governance_services.governance_update(
        actor=officer,
        process=process,
        reason=AMENDMENT["reason"],
        **{**rules, **AMENDMENT["changes"]},
    )
    # Handled without email, as participation's demo does: loading the demo mails nobody.
    Notification.objects.filter(pk__gt=last_notification, sent_at__isnull=True).update(
        sent_at=timezone.now(), skipped=True
    )
    return {
        "finished": len(moved[TreeItem.Status.FINISHED]),
        "in_progress": len(started),
        "resources": resources,
        "comments": len(comments),
    }


def seed(run: seeding.DemoRun) -> None:
    report = import_catalogue(read_catalogue(CATALOGUE))
    run.say(
        f"INTERLINK's catalogue: {Enabler.objects.count()} enablers, "
        f"{ProblemProfile.objects.count()} problem profiles, {Schema.objects.count()} schemas"
        + (" (imported)." if report.changed else " (already there).")
    )
    if Process.objects.filter(
        name=PROCESS["name"], primary_member__slug=PROCESS["owners"][0]
    ).exists():
        run.say(f"Co-production process “{PROCESS['name']}” (already there).")
        return
    figures = _seed_process(
        admin=run.accounts["OGP admin"],
        officer=run.accounts["officer of Italy"],
        residents=_residents(),
    )
    run.say(
        f"Co-production process “{PROCESS['name']}” of Reggio Emilia and Italy: "
        f"{figures['finished']} tasks finished, {figures['in_progress']} in progress, "
        f"{figures['resources']} resources, {figures['comments']} comments, one amendment of "
        "its rules."
    )


seeding.demo.register("coproduction", seed, needs=["members", "commitments"])
