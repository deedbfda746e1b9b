"""Demo action plans for seed_demo, written through the services so their timelines, history and
ids are the real thing.

Italy has a plan in draft (one commitment still incomplete, so the checklist has something to
show), Latvia one in co-creation, Spain one in implementation with progress and evidence, and
Spain's previous plan ended and assessed by the IRM. Dates are fixed; the timeline rows, progress
reports and assessments are then dated to match the story (the services stamp them "now").

Idempotent: a plan whose title its member already has is left as it is.

Registered with `ogp_platform.seeding.demo` (seed_demo finds this module), after the members'
demo; it also hands Latvia's plan in co-creation to participation's demo, which knows no plan.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from action_plans import services as plan_services
from action_plans.models import ActionPlan, PlanTransition
from ogp_platform import seeding
from ogp_platform.members import services as member_services
from ogp_platform.members.models import Institution, Member, MemberRole, Organisation
from participation import demo as participation_demo

from . import services
from .models import Assessment, Commitment, OgpValue, PolicyArea, ProgressReport

IRM_GROUP = "IRM assessors"
Status = ActionPlan.Status
d = datetime.date

A = OgpValue.ACCESS_TO_INFORMATION
C = OgpValue.CIVIC_PARTICIPATION
P = OgpValue.PUBLIC_ACCOUNTABILITY
T = OgpValue.TECHNOLOGY_INNOVATION

# Institutions the demo plans need besides those of `ogp_platform.members.demo`.
INSTITUTIONS = {
    "italy": [
        ("Autorità Nazionale Anticorruzione (ANAC)", "agency"),
        ("Dipartimento per le politiche di coesione e per il Sud", "department"),
    ],
    "latvia": [
        ("Korupcijas novēršanas un apkarošanas birojs", "agency"),
        ("Iepirkumu uzraudzības birojs", "agency"),
        ("Finanšu ministrija", "ministry"),
        ("Uzņēmumu reģistrs", "agency"),
        ("Tieslietu ministrija", "ministry"),
    ],
    "spain": [
        ("Ministerio de Hacienda", "ministry"),
        ("Ministerio de la Presidencia, Justicia y Relaciones con las Cortes", "ministry"),
        ("Oficina de Conflictos de Intereses", "agency"),
        (
            "Oficina Independiente de Regulación y Supervisión de la Contratación (OIReScon)",
            "agency",
        ),
        ("Autoridad Independiente de Protección del Informante", "agency"),
        ("Instituto Nacional de Administración Pública (INAP)", "agency"),
    ],
}

# Italian institutions, by short name.
DFP = "Dipartimento della Funzione Pubblica"
MEF = "Ministero dell'Economia e delle Finanze"
AGID = "Agenzia per l'Italia Digitale (AgID)"
ANAC = "Autorità Nazionale Anticorruzione (ANAC)"
COESIONE = "Dipartimento per le politiche di coesione e per il Sud"
# Latvian.
VK = "Valsts kanceleja"
VARAM = "Vides aizsardzības un reģionālās attīstības ministrija"
VRAA = "Valsts reģionālās attīstības aģentūra"
KNAB = "Korupcijas novēršanas un apkarošanas birojs"
IUB = "Iepirkumu uzraudzības birojs"
FM = "Finanšu ministrija"
UR = "Uzņēmumu reģistrs"
TM = "Tieslietu ministrija"
# Spanish.
MTDFP = "Ministerio para la Transformación Digital y de la Función Pública"
CTBG = "Consejo de Transparencia y Buen Gobierno"
MH = "Ministerio de Hacienda"
MPJRC = "Ministerio de la Presidencia, Justicia y Relaciones con las Cortes"
OCI = "Oficina de Conflictos de Intereses"
OIRESCON = "Oficina Independiente de Regulación y Supervisión de la Contratación (OIReScon)"
AIPI = "Autoridad Independiente de Protección del Informante"
INAP = "Instituto Nacional de Administración Pública (INAP)"


def _pdf(title: str) -> bytes:
    """A one-page PDF saying `title` (ASCII), with a correct cross-reference table."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- The plans ---------------------------------------------------------------------------------
#
# Each commitment: its template sections, values, policy areas (slugs), lead and supporting
# institutions, partner organisations (slugs), dates, budget, and milestones as (title, expected
# output, responsible institution, start, end). "progress" lists reports as (milestone index or
# None for the commitment, level, narrative, evidence); "assessment" the IRM's judgements.

ITALY_DRAFT = {
    "member": "italy",
    "title": "Piano d'azione nazionale per il governo aperto 2027–2029",
    "introduction": (
        "Il piano nasce dal lavoro del Forum nazionale per il governo aperto, che riunisce "
        "amministrazioni e società civile. Si concentra su trasparenza dei processi "
        "decisionali, contratti pubblici, partecipazione e uso dei fondi pubblici."
    ),
    "start": d(2027, 9, 1),
    "end": d(2029, 8, 31),
    "stages": [(Status.DRAFT, d(2026, 11, 2))],
    "commitments": [
        {
            "title": "Registro per la trasparenza dei rappresentanti di interessi",
            "short_title": "Registro dei rappresentanti di interessi",
            "problem": (
                "Non è possibile sapere chi incontra i decisori pubblici e su quali "
                "provvedimenti: il processo decisionale resta opaco."
            ),
            "status_quo": (
                "Alcuni ministeri pubblicano le agende dei vertici, ma in formati diversi e "
                "senza un registro comune dei rappresentanti di interessi."
            ),
            "description": (
                "Istituire un registro unico e pubblico dei rappresentanti di interessi presso "
                "le amministrazioni centrali, con le agende degli incontri pubblicate come dati "
                "aperti."
            ),
            "contribution": (
                "Cittadini, giornalisti e organizzazioni della società civile potranno "
                "ricostruire chi ha partecipato alla formazione delle decisioni pubbliche."
            ),
            "values_relevance": (
                "Accesso all'informazione e responsabilità pubblica: il processo decisionale "
                "diventa tracciabile."
            ),
            "values": [A, P],
            "areas": ["lobbying", "conflicts-of-interest"],
            "lead": DFP,
            "supporting": [ANAC],
            "partners": ["open-government-forum-italy"],
            "start": d(2027, 10, 1),
            "end": d(2029, 6, 30),
            "milestones": [
                (
                    "Consultazione pubblica sul regolamento del registro",
                    "Rapporto sugli esiti della consultazione pubblicato su ParteciPA.",
                    DFP,
                    d(2027, 10, 1),
                    d(2028, 3, 31),
                ),
                (
                    "Avvio del registro e pubblicazione delle agende",
                    "Registro online; agende dei ministeri in formato aperto.",
                    DFP,
                    d(2028, 4, 1),
                    d(2029, 6, 30),
                ),
            ],
        },
        {
            "title": "Dati aperti sull'intero ciclo dei contratti pubblici",
            "short_title": "Contratti pubblici aperti",
            "problem": (
                "I dati sui contratti pubblici sono frammentati tra piattaforme diverse e "
                "difficili da riutilizzare per il monitoraggio civico."
            ),
            "status_quo": (
                "La Banca dati nazionale dei contratti pubblici raccoglie i dati delle gare, ma "
                "l'esecuzione dei contratti e le varianti non sono pubblicate in modo uniforme."
            ),
            "description": (
                "Pubblicare i dati sull'intero ciclo di vita dei contratti pubblici secondo "
                "l'Open Contracting Data Standard, comprese varianti e pagamenti."
            ),
            "contribution": (
                "Il monitoraggio civico potrà seguire la spesa pubblica dalla gara al pagamento "
                "e segnalare anomalie."
            ),
            "values_relevance": (
                "Accesso all'informazione e responsabilità pubblica; tecnologia e innovazione al "
                "servizio della trasparenza."
            ),
            "values": [A, P, T],
            "areas": ["public-procurement", "open-contracting", "open-data"],
            "lead": ANAC,
            "supporting": [AGID],
            "partners": ["open-government-forum-italy"],
            "start": d(2027, 10, 1),
            "end": d(2029, 8, 31),
            "budget": ("350000", "EUR"),
            "milestones": [
                (
                    "Mappatura dei dati sull'esecuzione dei contratti",
                    "Catalogo dei dati disponibili e delle lacune.",
                    ANAC,
                    d(2027, 10, 1),
                    d(2028, 2, 29),
                ),
                (
                    "Pubblicazione dei dati in formato OCDS",
                    "Dati di gare, aggiudicazioni e varianti in OCDS su dati.gov.it.",
                    ANAC,
                    d(2028, 3, 1),
                    d(2029, 2, 28),
                ),
                (
                    "Laboratori di monitoraggio civico con la società civile",
                    "Almeno cinque laboratori territoriali e un rapporto finale.",
                    AGID,
                    d(2028, 9, 1),
                    d(2029, 8, 31),
                ),
            ],
        },
        {
            "title": "Monitoraggio civico dei fondi di coesione con OpenCoesione",
            "short_title": "OpenCoesione",
            "problem": (
                "I cittadini conoscono poco i progetti finanziati dalle politiche di coesione "
                "nel proprio territorio e i loro risultati."
            ),
            "status_quo": (
                "Il portale OpenCoesione pubblica i dati sui progetti; il percorso didattico "
                "«A Scuola di OpenCoesione» coinvolge già centinaia di scuole."
            ),
            "description": (
                "Estendere il monitoraggio civico dei progetti finanziati alle comunità locali e "
                "pubblicare le risposte delle amministrazioni ai rapporti di monitoraggio."
            ),
            "contribution": (
                "Le amministrazioni risponderanno pubblicamente alle segnalazioni, migliorando "
                "la qualità della spesa."
            ),
            "values_relevance": (
                "Partecipazione civica e responsabilità pubblica sull'uso dei fondi."
            ),
            "values": [C, P],
            "areas": ["fiscal-openness", "public-participation", "education"],
            "lead": COESIONE,
            "supporting": [DFP],
            "partners": [],
            "start": d(2027, 9, 1),
            "end": d(2029, 8, 31),
            "milestones": [
                (
                    "Nuova edizione di «A Scuola di OpenCoesione»",
                    "Almeno 200 scuole partecipanti.",
                    COESIONE,
                    d(2027, 9, 1),
                    d(2028, 6, 30),
                ),
                (
                    "Monitoraggio civico nelle comunità locali",
                    "Almeno 50 rapporti di monitoraggio pubblicati.",
                    COESIONE,
                    d(2028, 1, 1),
                    d(2029, 3, 31),
                ),
                (
                    "Pubblicazione delle risposte delle amministrazioni",
                    "Una risposta motivata pubblicata per ogni rapporto.",
                    DFP,
                    d(2028, 6, 1),
                    d(2029, 8, 31),
                ),
            ],
        },
        {
            "title": "ParteciPA: consultazioni pubbliche accessibili e con esiti pubblicati",
            "short_title": "ParteciPA",
            "problem": (
                "Le consultazioni pubbliche delle amministrazioni centrali raggiungono "
                "soprattutto chi è già coinvolto, e mancano i riscontri sugli esiti."
            ),
            "status_quo": (
                "La piattaforma ParteciPA ospita le consultazioni, ma non tutte le "
                "amministrazioni pubblicano come hanno usato i contributi ricevuti."
            ),
            "description": (
                "Rendere ParteciPA lo strumento comune per le consultazioni delle "
                "amministrazioni centrali, con linee guida sull'accessibilità e un resoconto "
                "degli esiti per ogni consultazione."
            ),
            "contribution": (
                "Chi partecipa saprà come sono stati usati i propri contributi, e più persone "
                "potranno partecipare."
            ),
            "values_relevance": (
                "Partecipazione civica e accesso all'informazione sugli esiti delle consultazioni."
            ),
            "values": [A, C, T],
            "areas": ["public-participation", "digital-governance"],
            "lead": DFP,
            "supporting": [AGID],
            "partners": ["open-government-forum-italy"],
            "start": d(2027, 10, 1),
            "end": d(2029, 6, 30),
            "milestones": [
                (
                    "Linee guida sulle consultazioni accessibili",
                    "Linee guida adottate e pubblicate.",
                    DFP,
                    d(2027, 10, 1),
                    d(2028, 4, 30),
                ),
                (
                    "Resoconto degli esiti per tutte le consultazioni",
                    "Un resoconto pubblicato per ogni consultazione conclusa.",
                    DFP,
                    d(2028, 5, 1),
                    d(2029, 6, 30),
                ),
            ],
        },
        {
            # Still being written: the checklist lists what it misses.
            "title": "Bilancio di genere delle amministrazioni centrali",
            "short_title": "Bilancio di genere",
            "problem": (
                "L'impatto della spesa pubblica su donne e uomini non è ancora considerato in "
                "modo sistematico nelle decisioni di bilancio."
            ),
            "status_quo": (
                "Il Ministero dell'Economia e delle Finanze redige dal 2016 il bilancio di "
                "genere dello Stato a consuntivo."
            ),
            "description": (
                "Pubblicare i dati del bilancio di genere in formato aperto e coinvolgere la "
                "società civile nella loro lettura. (Bozza: da completare con il Forum.)"
            ),
            "values": [],
            "areas": ["gender", "fiscal-openness"],
            "lead": MEF,
            "supporting": [],
            "partners": [],
            "start": d(2028, 1, 1),
            "end": d(2029, 8, 31),
            "milestones": [
                (
                    "Dati del bilancio di genere in formato aperto",
                    "Dataset pubblicato su dati.gov.it.",
                    MEF,
                    d(2028, 1, 1),
                    d(2028, 9, 30),
                ),
                (
                    "Incontri di presentazione con la società civile",
                    "Due incontri pubblici e i relativi verbali.",
                    MEF,
                    d(2028, 10, 1),
                    d(2029, 6, 30),
                ),
            ],
        },
    ],
}

LATVIA_COCREATION = {
    "member": "latvia",
    "title": "Latvijas atvērtās pārvaldības rīcības plāns 2027.–2031. gadam",
    "introduction": (
        "Plānu kopā ar nevalstiskajām organizācijām izstrādā Atvērtās pārvaldības partnerības "
        "Latvijas nacionālā darba grupa. Tas stiprina lēmumu pieņemšanas atklātību, publisko "
        "līdzekļu izlietojuma pārskatāmību un iedzīvotāju līdzdalību."
    ),
    "start": d(2027, 9, 1),
    "end": d(2031, 8, 31),
    "stages": [(Status.DRAFT, d(2026, 9, 14)), (Status.COCREATION, d(2026, 10, 5))],
    "commitments": [
        {
            "title": "Lobēšanas atklātības reģistra ieviešana un uzraudzība",
            "short_title": "Lobēšanas reģistrs",
            "problem": (
                "Sabiedrībai nav pārskata par to, kas, kad un kādos jautājumos ietekmē valsts "
                "pārvaldes lēmumus; tas mazina uzticēšanos un palielina korupcijas riskus."
            ),
            "status_quo": (
                "Lobēšanas atklātības likums ir spēkā, bet reģistrā iekļautā informācija vēl ir "
                "nepilnīga un grūti meklējama."
            ),
            "description": (
                "Izveidot vienotu, mašīnlasāmu lobēšanas reģistru, kurā amatpersonas un lobētāji "
                "publisko tikšanās, to tēmas un iesniegtos priekšlikumus."
            ),
            "contribution": (
                "Žurnālisti, pētnieki un iedzīvotāji varēs izsekot, kā interešu pārstāvji "
                "ietekmē normatīvo aktu projektus, un savlaicīgi pamanīt interešu konfliktus."
            ),
            "values_relevance": (
                "Piekļuve informācijai un publiskā atbildība: lēmumu ietekmētāji kļūst redzami "
                "ikvienam."
            ),
            "values": [A, P],
            "areas": ["lobbying", "anti-corruption", "conflicts-of-interest"],
            "lead": VK,
            "supporting": [KNAB],
            "partners": ["delna"],
            "start": d(2027, 9, 1),
            "end": d(2029, 12, 31),
            "milestones": [
                (
                    "Reģistra datu struktūras saskaņošana ar pilsonisko sabiedrību",
                    "Publicēts datu modelis un konsultāciju kopsavilkums.",
                    VK,
                    d(2027, 9, 1),
                    d(2028, 2, 29),
                ),
                (
                    "Reģistra atvērto datu publicēšana portālā data.gov.lv",
                    "Reģistrs pieejams kā atvērtie dati ar ikdienas atjauninājumu.",
                    VK,
                    d(2028, 3, 1),
                    d(2028, 12, 31),
                ),
                (
                    "Amatpersonu apmācības par lobēšanas atklātību",
                    "Apmācīti vismaz 300 valsts un pašvaldību darbinieki.",
                    KNAB,
                    d(2028, 9, 1),
                    d(2029, 12, 31),
                ),
            ],
        },
        {
            "title": "Publisko iepirkumu līgumu atvērtie dati no izsludināšanas līdz samaksai",
            "short_title": "Atvērtie iepirkumi",
            "problem": (
                "Noslēgtie publisko iepirkumu līgumi un to grozījumi tiek publicēti atšķirīgos "
                "formātos, tāpēc līdzekļu izlietojumu nav iespējams izsekot."
            ),
            "status_quo": (
                "Elektronisko iepirkumu sistēmā ir pieejami paziņojumi, taču līgumu grozījumi "
                "un maksājumi nav sasaistīti."
            ),
            "description": (
                "Publicēt visu publisko iepirkumu datus atbilstoši Atvērto līgumu datu "
                "standartam (OCDS) un sasaistīt tos ar Valsts kases maksājumu datiem."
            ),
            "contribution": (
                "Uzraudzības iestādes un pilsoniskā sabiedrība varēs savlaicīgi pamanīt "
                "neparastus līgumu grozījumus un sadārdzinājumu."
            ),
            "values_relevance": (
                "Piekļuve informācijai un publiskā atbildība; tehnoloģijas padara datus "
                "salīdzināmus un mašīnlasāmus."
            ),
            "values": [A, P, T],
            "areas": ["public-procurement", "open-contracting", "open-data"],
            "lead": IUB,
            "supporting": [FM],
            "partners": ["delna", "providus"],
            "start": d(2027, 10, 1),
            "end": d(2030, 6, 30),
            "budget": ("180000", "EUR"),
            "milestones": [
                (
                    "OCDS datu modeļa ieviešana elektronisko iepirkumu sistēmā",
                    "Visi jaunie paziņojumi pieejami OCDS formātā.",
                    IUB,
                    d(2027, 10, 1),
                    d(2028, 6, 30),
                ),
                (
                    "Līgumu grozījumu un maksājumu datu sasaiste",
                    "Katram līgumam redzami grozījumi un veiktie maksājumi.",
                    FM,
                    d(2028, 7, 1),
                    d(2029, 6, 30),
                ),
                (
                    "Publisks iepirkumu datu pārskats un žurnālistu darbnīcas",
                    "Tiešsaistes pārskats un vismaz četras darbnīcas.",
                    IUB,
                    d(2029, 7, 1),
                    d(2030, 6, 30),
                ),
            ],
        },
        {
            "title": "Līdzdalības budžets visās pašvaldībās",
            "short_title": "Līdzdalības budžets",
            "problem": (
                "Iedzīvotājiem ir maz iespēju tieši ietekmēt, kā tiek izlietoti pašvaldību "
                "līdzekļi viņu apkaimē."
            ),
            "status_quo": (
                "Pašvaldībām ir jāievieš līdzdalības budžets, taču pieejas ir ļoti atšķirīgas "
                "un rezultāti netiek apkopoti."
            ),
            "description": (
                "Izstrādāt vienotas vadlīnijas un tiešsaistes rīku līdzdalības budžetam un ik "
                "gadu publicēt visu pašvaldību līdzdalības budžetu rezultātus."
            ),
            "contribution": (
                "Iedzīvotāji varēs salīdzināt pašvaldību pieredzi, bet pašvaldības — mācīties "
                "cita no citas."
            ),
            "values_relevance": "Pilsoniskā līdzdalība un publiskā atbildība par budžetu.",
            "values": [C, P],
            "areas": ["public-participation", "local-government", "fiscal-openness"],
            "lead": VARAM,
            "supporting": [VRAA],
            "partners": ["providus"],
            "start": d(2027, 9, 1),
            "end": d(2031, 6, 30),
            "milestones": [
                (
                    "Līdzdalības budžeta vadlīniju izstrāde kopā ar pašvaldībām",
                    "Vadlīnijas apstiprinātas un publicētas.",
                    VARAM,
                    d(2027, 9, 1),
                    d(2028, 5, 31),
                ),
                (
                    "Vienota tiešsaistes balsošanas rīka ieviešana",
                    "Rīks pieejams visām pašvaldībām.",
                    VRAA,
                    d(2028, 6, 1),
                    d(2029, 8, 31),
                ),
                (
                    "Ikgadējs līdzdalības budžetu pārskats",
                    "Trīs ikgadēji pārskati atvērto datu formātā.",
                    VARAM,
                    d(2029, 1, 1),
                    d(2031, 6, 30),
                ),
            ],
        },
        {
            "title": "Valsts pārvaldes e-pakalpojumu pieejamība ikvienam",
            "short_title": "Pieejami e-pakalpojumi",
            "problem": (
                "Daļai iedzīvotāju — senioriem, cilvēkiem ar invaliditāti, lauku reģionu "
                "iedzīvotājiem — e-pakalpojumi joprojām ir grūti lietojami."
            ),
            "status_quo": (
                "Portālā latvija.gov.lv ir simtiem e-pakalpojumu, bet lietotāju atsauksmes "
                "netiek sistemātiski apkopotas un publicētas."
            ),
            "description": (
                "Ieviest e-pakalpojumu lietojamības un piekļūstamības novērtēšanu ar lietotāju "
                "līdzdalību, publicēt rezultātus un uzlabot biežāk lietotos pakalpojumus, "
                "tostarp pieslēgšanos ar eID kartes čipu."
            ),
            "contribution": (
                "Pakalpojumi tiks uzlaboti pēc reālu lietotāju vajadzībām, un rezultāti būs "
                "publiski pārbaudāmi."
            ),
            "values_relevance": (
                "Pilsoniskā līdzdalība pakalpojumu uzlabošanā un piekļuve informācijai par to "
                "kvalitāti; tehnoloģijas kalpo iedzīvotājiem."
            ),
            "values": [A, C, T],
            "areas": ["public-service-delivery", "digital-governance"],
            "lead": VRAA,
            "supporting": [VARAM],
            "partners": [],
            "start": d(2027, 11, 1),
            "end": d(2030, 12, 31),
            "milestones": [
                (
                    "Lietotāju paneļa izveide ar senioru un invaliditātes organizācijām",
                    "Panelis ar vismaz 200 dalībniekiem no visiem reģioniem.",
                    VRAA,
                    d(2027, 11, 1),
                    d(2028, 4, 30),
                ),
                (
                    "20 biežāk lietoto e-pakalpojumu piekļūstamības novērtējums",
                    "Publicēts novērtējums un uzlabojumu plāns.",
                    VRAA,
                    d(2028, 5, 1),
                    d(2029, 3, 31),
                ),
                (
                    "Uzlaboto pakalpojumu ieviešana un atkārtota pārbaude",
                    "Uzlaboti vismaz 15 pakalpojumi; atkārtotās pārbaudes rezultāti publicēti.",
                    VARAM,
                    d(2029, 4, 1),
                    d(2030, 12, 31),
                ),
            ],
        },
        {
            "title": "Patiesā labuma guvēju datu kvalitāte un pārbaudāmība",
            "short_title": "Patiesā labuma guvēji",
            "problem": (
                "Ziņas par uzņēmumu patiesā labuma guvējiem ne vienmēr ir precīzas, un "
                "neprecizitātes tiek atklātas novēloti."
            ),
            "status_quo": (
                "Uzņēmumu reģistrs datus publicē bez maksas, taču trūkst veida, kā sabiedrība "
                "var ziņot par acīmredzamām kļūdām."
            ),
            "description": (
                "Ieviest automātiskas datu pārbaudes, ziņošanas rīku par aizdomīgiem ierakstiem "
                "un publiskot statistiku par labotajām ziņām."
            ),
            "contribution": (
                "Precīzāki dati apgrūtinās naudas atmazgāšanu un interešu konfliktu slēpšanu "
                "publiskajos iepirkumos."
            ),
            "values_relevance": "Piekļuve informācijai un publiskā atbildība.",
            "values": [A, P],
            "areas": ["beneficial-ownership", "anti-corruption", "open-data"],
            "lead": UR,
            "supporting": [TM],
            "partners": ["delna"],
            "start": d(2027, 9, 1),
            "end": d(2029, 8, 31),
            "milestones": [
                (
                    "Automātisko datu pārbaužu ieviešana",
                    "Pārbaudes aptver visus jaunos un grozītos ierakstus.",
                    UR,
                    d(2027, 9, 1),
                    d(2028, 6, 30),
                ),
                (
                    "Publisks ziņošanas rīks par neprecīzām ziņām",
                    "Rīks darbojas; ziņojumu statistika tiek publicēta reizi ceturksnī.",
                    UR,
                    d(2028, 7, 1),
                    d(2029, 8, 31),
                ),
            ],
        },
        {
            "title": "Jauniešu līdzdalība politikas veidošanā",
            "short_title": "Jauniešu līdzdalība",
            "problem": (
                "Jaunieši reti piedalās sabiedriskajās apspriešanās, un viņu viedoklis "
                "politikas dokumentos ir maz redzams."
            ),
            "status_quo": (
                "Portālā TAP apspriešanas notiek, bet tās ir sarežģītas un jauniešiem maz zināmas."
            ),
            "description": (
                "Kopā ar jaunatnes organizācijām ieviest jauniešiem saprotamus apspriešanas "
                "formātus un ziņot, kā viņu priekšlikumi ņemti vērā."
            ),
            "contribution": (
                "Atgriezeniskā saite par to, kas ņemts vērā, vairos uzticēšanos un mudinās "
                "jauniešus iesaistīties atkārtoti."
            ),
            "values_relevance": (
                "Pilsoniskā līdzdalība: jauna auditorija iesaistās lēmumu pieņemšanā, un "
                "valdība atskaitās, kā ņēmusi vērā tās viedokli."
            ),
            "values": [C, P],
            "areas": ["public-participation", "civic-space", "education"],
            "lead": VK,
            "supporting": [VARAM],
            "partners": ["providus"],
            "start": d(2028, 1, 1),
            "end": d(2031, 6, 30),
            "milestones": [
                (
                    "Jauniešu konsultāciju formātu izstrāde ar jaunatnes organizācijām",
                    "Trīs izmēģināti formāti un to novērtējums.",
                    VK,
                    d(2028, 1, 1),
                    d(2028, 12, 31),
                ),
                (
                    "Atgriezeniskās saites ziņojumi par jauniešu priekšlikumiem",
                    "Katrai apspriešanai publicēts ziņojums par ņemtajiem vērā priekšlikumiem.",
                    VK,
                    d(2029, 1, 1),
                    d(2031, 6, 30),
                ),
            ],
        },
    ],
}

SPAIN_ASSESSED = {
    "member": "spain",
    "title": "IV Plan de Gobierno Abierto de España 2020–2024",
    "introduction": (
        "El IV Plan se elaboró en el Foro de Gobierno Abierto, con las administraciones "
        "estatal, autonómica y local y la sociedad civil. Sus compromisos abarcan "
        "participación, transparencia, integridad y sensibilización."
    ),
    "start": d(2020, 10, 1),
    "end": d(2024, 9, 30),
    "stages": [
        (Status.DRAFT, d(2019, 11, 15)),
        (Status.COCREATION, d(2020, 2, 3)),
        # After the 31 August deadline, but before 1 January: late, not contrary to process.
        (Status.SUBMITTED, d(2020, 10, 29)),
        (Status.IMPLEMENTATION, d(2020, 11, 2)),
        (Status.ENDED, d(2024, 10, 1)),
    ],
    "assessed_on": d(2025, 3, 14),
    "commitments": [
        {
            "title": "Reforma del marco regulatorio de la transparencia",
            "short_title": "Marco de transparencia",
            "problem": (
                "La Ley 19/2013 presenta lagunas en la publicidad activa y en el régimen del "
                "derecho de acceso a la información pública."
            ),
            "status_quo": (
                "El Consejo de Transparencia y Buen Gobierno ha señalado en sus memorias "
                "anuales la necesidad de reforzar la ley."
            ),
            "description": (
                "Aprobar el reglamento de la Ley de Transparencia y ratificar el Convenio del "
                "Consejo de Europa sobre el Acceso a los Documentos Públicos."
            ),
            "contribution": (
                "Un marco más claro reduce las denegaciones injustificadas y da seguridad a "
                "quien solicita información."
            ),
            "values_relevance": "Acceso a la información y rendición de cuentas.",
            "values": [A, P],
            "areas": ["right-to-information"],
            "lead": MTDFP,
            "supporting": [CTBG],
            "partners": ["fundacion-ciudadana-civio"],
            "start": d(2020, 11, 1),
            "end": d(2024, 6, 30),
            "milestones": [
                (
                    "Aprobación del reglamento de la Ley de Transparencia",
                    "Real decreto publicado en el BOE.",
                    MTDFP,
                    d(2020, 11, 1),
                    d(2022, 6, 30),
                ),
                (
                    "Ratificación del Convenio del Consejo de Europa (Convenio de Tromsø)",
                    "Instrumento de ratificación publicado en el BOE.",
                    MTDFP,
                    d(2021, 1, 1),
                    d(2023, 12, 31),
                ),
            ],
            "progress": [
                (
                    None,
                    "complete",
                    d(2024, 9, 20),
                    "El reglamento está en vigor y el Convenio de Tromsø, ratificado.",
                    [{"title": "Boletín Oficial del Estado", "url": "https://www.boe.es/"}],
                ),
            ],
            "assessment": {
                "verifiable": True,
                "specificity": Assessment.Specificity.HIGH,
                "relevant": True,
                "potential_for_results": Assessment.PotentialForResults.SUBSTANTIAL,
                "completion_midterm": "limited",
                "completion_end": "complete",
                "opened_government": Assessment.OpenedGovernment.MAJOR,
                "early_results": (
                    "La ratificación del Convenio de Tromsø obliga a revisar los límites al "
                    "derecho de acceso; el Consejo de Transparencia cita ya el convenio en sus "
                    "resoluciones."
                ),
            },
        },
        {
            "title": "Mejora de la participación ciudadana en los asuntos públicos",
            "short_title": "Participación",
            "problem": (
                "La participación en la elaboración de políticas públicas es escasa y poco diversa."
            ),
            "status_quo": (
                "Existen trámites de consulta pública previa, pero con plazos breves y sin "
                "retorno a quienes participan."
            ),
            "description": (
                "Crear un laboratorio de innovación en participación y un catálogo de buenas "
                "prácticas para las tres administraciones."
            ),
            "contribution": "Más personas y colectivos diversos participan en las decisiones.",
            "values_relevance": "Participación ciudadana y rendición de cuentas.",
            "values": [C, P],
            "areas": ["public-participation"],
            "lead": MTDFP,
            "supporting": [],
            "partners": [],
            "start": d(2020, 11, 1),
            "end": d(2024, 6, 30),
            "milestones": [
                (
                    "Laboratorio de innovación en participación",
                    "Laboratorio en funcionamiento con al menos diez pilotos.",
                    MTDFP,
                    d(2020, 11, 1),
                    d(2022, 12, 31),
                ),
                (
                    "Catálogo de buenas prácticas de participación",
                    "Catálogo publicado en el Portal de la Transparencia.",
                    MTDFP,
                    d(2023, 1, 1),
                    d(2024, 6, 30),
                ),
            ],
            "progress": [
                (
                    None,
                    "substantial",
                    d(2024, 9, 20),
                    "El laboratorio ha acompañado doce pilotos; el catálogo de buenas prácticas se "
                    "publicará tras el cierre del plan.",
                    [],
                ),
            ],
            "assessment": {
                "verifiable": True,
                "specificity": Assessment.Specificity.MEDIUM,
                "relevant": True,
                "potential_for_results": Assessment.PotentialForResults.MODEST,
                "completion_midterm": "limited",
                "completion_end": "substantial",
                "opened_government": Assessment.OpenedGovernment.MARGINAL,
                "early_results": "",
            },
        },
        {
            "title": "Sistemas preventivos de integridad pública",
            "short_title": "Integridad pública",
            "problem": (
                "Los riesgos de conflicto de intereses y de corrupción no se evalúan de forma "
                "sistemática en la Administración General del Estado."
            ),
            "status_quo": (
                "Hay códigos de conducta dispersos y ningún sistema común de integridad."
            ),
            "description": (
                "Diseñar e implantar un sistema de integridad con mapas de riesgos y "
                "formación para los altos cargos."
            ),
            "contribution": ("Los riesgos se detectan antes de que se produzcan irregularidades."),
            "values_relevance": "Rendición de cuentas.",
            "values": [P],
            "areas": ["anti-corruption", "conflicts-of-interest"],
            "lead": OCI,
            "supporting": [MTDFP],
            "partners": [],
            "start": d(2021, 1, 1),
            "end": d(2024, 6, 30),
            "milestones": [
                (
                    "Mapas de riesgos de integridad en cinco ministerios",
                    "Mapas de riesgos aprobados.",
                    OCI,
                    d(2021, 1, 1),
                    d(2022, 12, 31),
                ),
                (
                    "Formación en integridad para altos cargos",
                    "Formación impartida a todos los altos cargos nombrados.",
                    OCI,
                    d(2022, 1, 1),
                    d(2024, 6, 30),
                ),
            ],
            # The end-of-term report is not in yet: these judgements are unknown.
            "assessment": {
                "verifiable": True,
                "specificity": Assessment.Specificity.MEDIUM,
                "relevant": True,
                "potential_for_results": "",
                "completion_midterm": "substantial",
                "completion_end": "",
                "opened_government": "",
                "early_results": "",
            },
        },
        {
            "title": "Observatorio de Gobierno Abierto",
            "short_title": "Observatorio",
            "problem": (
                "No hay un espacio estable en el que administraciones y sociedad civil evalúen "
                "juntas las políticas de gobierno abierto."
            ),
            "status_quo": "El Foro de Gobierno Abierto se reúne, pero sin función de seguimiento.",
            "description": (
                "Crear un observatorio que evalúe las políticas de gobierno abierto y publique "
                "sus informes."
            ),
            "contribution": "Las evaluaciones públicas orientan las mejoras.",
            "values_relevance": "Participación ciudadana y rendición de cuentas.",
            "values": [C, P],
            "areas": ["public-participation", "capacity-building"],
            "lead": MTDFP,
            "supporting": [],
            "partners": [],
            "start": d(2021, 3, 1),
            "end": d(2024, 6, 30),
            "milestones": [
                (
                    "Constitución del observatorio",
                    "Orden de creación publicada y primera reunión celebrada.",
                    MTDFP,
                    d(2021, 3, 1),
                    d(2022, 6, 30),
                ),
                (
                    "Primer informe de evaluación",
                    "Informe publicado.",
                    MTDFP,
                    d(2022, 7, 1),
                    d(2024, 6, 30),
                ),
            ],
            "progress": [
                (
                    None,
                    "limited",
                    d(2024, 9, 20),
                    "El observatorio se constituyó, pero no llegó a publicar su primer informe de "
                    "evaluación.",
                    [],
                ),
            ],
            "assessment": {
                "verifiable": None,
                "specificity": Assessment.Specificity.LOW,
                "relevant": True,
                "potential_for_results": Assessment.PotentialForResults.UNCLEAR,
                "completion_midterm": "not_started",
                "completion_end": "limited",
                "opened_government": Assessment.OpenedGovernment.DID_NOT_CHANGE,
                "early_results": "",
            },
        },
        {
            "title": "Sensibilización y formación en gobierno abierto",
            "short_title": "Formación",
            "problem": (
                "La ciudadanía y el personal público conocen poco los derechos y herramientas "
                "del gobierno abierto."
            ),
            "status_quo": "Hay materiales dispersos y ninguna estrategia común de formación.",
            "description": (
                "Formar al personal público en gobierno abierto y llevar la educación en "
                "gobierno abierto a los centros educativos."
            ),
            "contribution": "Más personas conocen y ejercen sus derechos.",
            "values_relevance": "Acceso a la información y participación ciudadana.",
            "values": [A, C],
            "areas": ["education", "capacity-building"],
            "lead": INAP,
            "supporting": [MTDFP],
            "partners": [],
            "start": d(2020, 11, 1),
            "end": d(2024, 9, 30),
            "milestones": [
                (
                    "Curso en línea de gobierno abierto para personal público",
                    "Curso disponible y al menos 3.000 personas formadas.",
                    INAP,
                    d(2020, 11, 1),
                    d(2022, 12, 31),
                ),
                (
                    "Unidad didáctica para educación secundaria",
                    "Unidad didáctica publicada con licencia abierta.",
                    INAP,
                    d(2021, 9, 1),
                    d(2024, 6, 30),
                ),
            ],
            "progress": [
                (
                    None,
                    "substantial",
                    d(2024, 9, 20),
                    "El curso en línea ha superado las 40.000 personas formadas; la unidad "
                    "didáctica está publicada y se sigue extendiendo a más centros.",
                    [],
                ),
            ],
            "assessment": {
                "verifiable": True,
                "specificity": Assessment.Specificity.HIGH,
                "relevant": True,
                "potential_for_results": Assessment.PotentialForResults.SUBSTANTIAL,
                "completion_midterm": "substantial",
                "completion_end": "substantial",
                "opened_government": "",
                "early_results": (
                    "Más de 40.000 personas han seguido el curso; la unidad didáctica se usa en "
                    "centros de ocho comunidades autónomas."
                ),
            },
        },
    ],
}

SPAIN_IMPLEMENTATION = {
    "member": "spain",
    "title": "V Plan de Gobierno Abierto de España 2025–2029",
    "introduction": (
        "El V Plan, fruto de la cocreación en el Foro de Gobierno Abierto, refuerza el derecho "
        "de acceso a la información, la integridad y la participación en la elaboración de "
        "normas, y abre los datos de la contratación pública."
    ),
    "start": d(2025, 9, 1),
    "end": d(2029, 8, 31),
    "stages": [
        (Status.DRAFT, d(2025, 1, 20)),
        (Status.COCREATION, d(2025, 2, 10)),
        (Status.SUBMITTED, d(2025, 8, 28)),
        (Status.IMPLEMENTATION, d(2025, 9, 1)),
    ],
    "commitments": [
        {
            "title": (
                "Reforma de la Ley de Transparencia, Acceso a la Información Pública y Buen "
                "Gobierno"
            ),
            "short_title": "Reforma de la Ley de Transparencia",
            "problem": (
                "La Ley 19/2013 limita el derecho de acceso: las causas de inadmisión se "
                "aplican de forma amplia y el Consejo de Transparencia no puede hacer cumplir "
                "sus resoluciones."
            ),
            "status_quo": (
                "España ratificó el Convenio del Consejo de Europa sobre el Acceso a los "
                "Documentos Públicos, pero la ley aún no se ha adaptado a él."
            ),
            "description": (
                "Aprobar una reforma de la ley que amplíe la publicidad activa, reduzca los "
                "plazos de respuesta y dote al Consejo de Transparencia y Buen Gobierno de "
                "capacidad sancionadora."
            ),
            "contribution": (
                "La ciudadanía obtendrá respuestas más rápidas y completas, y el incumplimiento "
                "tendrá consecuencias."
            ),
            "values_relevance": "Acceso a la información y rendición de cuentas.",
            "values": [A, P],
            "areas": ["right-to-information"],
            "lead": MTDFP,
            "supporting": [CTBG],
            "partners": ["fundacion-ciudadana-civio"],
            "start": d(2025, 10, 1),
            "end": d(2027, 12, 31),
            "milestones": [
                (
                    "Consulta pública del anteproyecto de ley",
                    "Informe de la consulta publicado, con la valoración de cada aportación.",
                    MTDFP,
                    d(2025, 10, 1),
                    d(2026, 3, 31),
                ),
                (
                    "Aprobación del proyecto de ley por el Consejo de Ministros",
                    "Proyecto de ley remitido a las Cortes Generales.",
                    MTDFP,
                    d(2026, 4, 1),
                    d(2026, 12, 31),
                ),
                (
                    "Desarrollo reglamentario y guías de aplicación",
                    "Reglamento aprobado y guías publicadas.",
                    CTBG,
                    d(2027, 1, 1),
                    d(2027, 12, 31),
                ),
            ],
            "progress": [
                (
                    0,
                    "complete",
                    d(2026, 4, 8),
                    "La consulta pública recibió 1.150 aportaciones; el informe con la "
                    "valoración de cada una está publicado.",
                    [
                        {
                            "title": "Informe de la consulta pública",
                            "url": "https://transparencia.gob.es/",
                        }
                    ],
                ),
                (
                    1,
                    "substantial",
                    d(2026, 10, 20),
                    "El Consejo de Ministros aprobó el anteproyecto en primera vuelta; faltan "
                    "los informes preceptivos antes de remitirlo a las Cortes.",
                    [
                        {
                            "title": "Referencia del Consejo de Ministros",
                            "url": "https://www.lamoncloa.gob.es/consejodeministros/",
                        }
                    ],
                ),
            ],
        },
        {
            "title": "Registro de grupos de interés de la Administración General del Estado",
            "short_title": "Registro de grupos de interés",
            "problem": (
                "No existe un registro obligatorio de grupos de interés en la Administración "
                "General del Estado y las agendas de los altos cargos están incompletas."
            ),
            "status_quo": (
                "Algunas comunidades autónomas y la CNMC tienen registros propios; el Estado "
                "carece de uno común."
            ),
            "description": (
                "Crear por ley un registro obligatorio de grupos de interés, con un código de "
                "conducta y la publicación de la huella normativa."
            ),
            "contribution": (
                "Se podrá saber quién influye en cada norma y cómo, y detectar conflictos de "
                "intereses."
            ),
            "values_relevance": (
                "Acceso a la información y rendición de cuentas sobre la influencia en las "
                "decisiones públicas."
            ),
            "values": [A, P],
            "areas": ["lobbying", "conflicts-of-interest", "anti-corruption"],
            "lead": OCI,
            "supporting": [MTDFP],
            "partners": ["fundacion-ciudadana-civio"],
            "start": d(2025, 10, 1),
            "end": d(2028, 6, 30),
            "milestones": [
                (
                    "Aprobación de la ley de grupos de interés",
                    "Ley publicada en el BOE.",
                    MTDFP,
                    d(2025, 10, 1),
                    d(2026, 12, 31),
                ),
                (
                    "Puesta en marcha del registro electrónico",
                    "Registro operativo, con sus datos en abierto.",
                    OCI,
                    d(2027, 1, 1),
                    d(2027, 9, 30),
                ),
                (
                    "Agendas de los altos cargos en formato abierto",
                    "Agendas de todos los altos cargos publicadas como datos abiertos.",
                    OCI,
                    d(2027, 6, 1),
                    d(2028, 6, 30),
                ),
            ],
            "progress": [
                (
                    None,
                    "limited",
                    d(2026, 9, 30),
                    "El proyecto de ley está en tramitación parlamentaria; el diseño del "
                    "registro electrónico ha comenzado.",
                    [],
                ),
            ],
        },
        {
            "title": "Participación ciudadana en la elaboración de normas",
            "short_title": "Participación en las normas",
            "problem": (
                "Los trámites de consulta pública previa se publican con plazos cortos y sin "
                "explicar cómo se valoran las aportaciones."
            ),
            "status_quo": (
                "Cada ministerio publica sus consultas en su sede; el seguimiento de las "
                "aportaciones es desigual."
            ),
            "description": (
                "Unificar los trámites de participación en un portal único, con plazos mínimos "
                "y un informe de valoración de las aportaciones para cada norma."
            ),
            "contribution": (
                "Quien participa sabrá qué se hizo con su aportación; las normas mejorarán con "
                "la experiencia de quienes las aplican."
            ),
            "values_relevance": (
                "Participación ciudadana y rendición de cuentas; tecnología al servicio de la "
                "participación."
            ),
            "values": [C, P, T],
            "areas": ["regulatory-governance", "public-participation"],
            "lead": MPJRC,
            "supporting": [MTDFP],
            "partners": [],
            "start": d(2025, 10, 1),
            "end": d(2028, 12, 31),
            "milestones": [
                (
                    "Portal único de participación normativa",
                    "Portal operativo con las consultas de todos los ministerios.",
                    MPJRC,
                    d(2025, 10, 1),
                    d(2026, 12, 31),
                ),
                (
                    "Informes de valoración de las aportaciones",
                    "Un informe publicado para cada norma sometida a consulta.",
                    MPJRC,
                    d(2026, 6, 1),
                    d(2028, 12, 31),
                ),
            ],
            "progress": [
                (
                    0,
                    "substantial",
                    d(2026, 7, 15),
                    "El portal está en pruebas con cinco ministerios; la apertura general está "
                    "prevista para el último trimestre.",
                    [],
                ),
            ],
        },
        {
            "title": "Datos abiertos de la contratación pública",
            "short_title": "Contratación abierta",
            "problem": (
                "Los datos de contratación están repartidos entre la Plataforma de Contratación "
                "del Sector Público y las plataformas autonómicas y no siguen un estándar común."
            ),
            "status_quo": (
                "La Plataforma publica los datos de licitaciones en formato reutilizable, pero "
                "no la ejecución de los contratos."
            ),
            "description": (
                "Publicar los datos de todo el ciclo de la contratación según el estándar OCDS, "
                "incluidas la ejecución y las modificaciones de los contratos."
            ),
            "contribution": (
                "Periodistas, auditores y ciudadanía podrán seguir el dinero público desde la "
                "licitación hasta el pago."
            ),
            "values_relevance": (
                "Acceso a la información y rendición de cuentas; tecnología e innovación."
            ),
            "values": [A, P, T],
            "areas": ["public-procurement", "open-contracting", "open-data"],
            "lead": OIRESCON,
            "supporting": [MH],
            "partners": ["fundacion-ciudadana-civio"],
            "start": d(2025, 11, 1),
            "end": d(2028, 10, 31),
            "budget": ("420000", "EUR"),
            "milestones": [
                (
                    "Adopción del estándar OCDS en la Plataforma de Contratación",
                    "Datos de licitaciones y adjudicaciones publicados en OCDS.",
                    MH,
                    d(2025, 11, 1),
                    d(2026, 9, 30),
                ),
                (
                    "Publicación de la ejecución y las modificaciones",
                    "Modificaciones y pagos publicados para cada contrato.",
                    MH,
                    d(2026, 10, 1),
                    d(2027, 12, 31),
                ),
                (
                    "Informe anual de supervisión con datos abiertos",
                    "Informe y conjunto de datos publicados cada año.",
                    OIRESCON,
                    d(2027, 1, 1),
                    d(2028, 10, 31),
                ),
            ],
            "progress": [
                (
                    0,
                    "substantial",
                    d(2026, 10, 5),
                    "Los datos de licitaciones y adjudicaciones ya se publican en OCDS; faltan "
                    "los contratos menores, previstos para diciembre.",
                    [
                        {
                            "title": "Plataforma de Contratación del Sector Público",
                            "url": "https://contrataciondelestado.es/",
                        },
                        {
                            "title": "Informe de avance (PDF)",
                            "pdf": "informe-avance-contratacion-abierta.pdf",
                            "text": "Informe de avance - Contratacion abierta (OCDS)",
                        },
                    ],
                ),
            ],
        },
        {
            "title": "Protección de las personas informantes",
            "short_title": "Protección del informante",
            "problem": (
                "Quien informa de irregularidades en la Administración teme represalias, y los "
                "canales internos son desiguales."
            ),
            "status_quo": (
                "La Ley 2/2023 creó la Autoridad Independiente de Protección del Informante, "
                "que está en fase de puesta en marcha."
            ),
            "description": (
                "Poner en marcha el canal externo de la Autoridad, publicar estadísticas anuales "
                "y formar a los responsables de los sistemas internos de información."
            ),
            "contribution": (
                "Más personas informarán de irregularidades con garantías, y la ciudadanía "
                "conocerá los resultados."
            ),
            "values_relevance": (
                "Rendición de cuentas y acceso a la información sobre la integridad pública."
            ),
            "values": [A, P],
            "areas": ["whistleblower-protection", "anti-corruption"],
            "lead": AIPI,
            "supporting": [MTDFP],
            "partners": [],
            "start": d(2025, 10, 1),
            "end": d(2029, 6, 30),
            "milestones": [
                (
                    "Canal externo de información operativo",
                    "Canal disponible, con garantías de confidencialidad y anonimato.",
                    AIPI,
                    d(2025, 10, 1),
                    d(2026, 6, 30),
                ),
                (
                    "Formación de los responsables de sistemas internos",
                    "Al menos 1.000 responsables formados.",
                    AIPI,
                    d(2026, 7, 1),
                    d(2028, 6, 30),
                ),
                (
                    "Estadísticas anuales de las comunicaciones recibidas",
                    "Tres informes anuales, con sus datos en abierto.",
                    AIPI,
                    d(2026, 12, 1),
                    d(2029, 6, 30),
                ),
            ],
            "progress": [
                (
                    0,
                    "complete",
                    d(2026, 6, 26),
                    "El canal externo está operativo desde junio y ha recibido sus primeras "
                    "comunicaciones.",
                    [
                        {
                            "title": "Anuncio en el Portal de la Transparencia",
                            "url": "https://transparencia.gob.es/",
                        }
                    ],
                ),
            ],
        },
        {
            "title": "Educación y formación en gobierno abierto",
            "short_title": "Educación en gobierno abierto",
            "problem": (
                "Buena parte de la ciudadanía y del personal público desconoce los derechos y "
                "las herramientas del gobierno abierto."
            ),
            "status_quo": (
                "Existen materiales y cursos del INAP, pero no llegan a los centros educativos "
                "ni a las entidades locales pequeñas."
            ),
            "description": (
                "Impulsar un programa de formación en gobierno abierto para personal público y "
                "centros educativos, con materiales abiertos."
            ),
            "contribution": (
                "Más personas ejercerán su derecho de acceso y participarán en los asuntos "
                "públicos."
            ),
            "values_relevance": "Participación ciudadana y acceso a la información.",
            "values": [A, C],
            "areas": ["education", "capacity-building", "public-participation"],
            "lead": INAP,
            "supporting": [MTDFP],
            "partners": [],
            "start": d(2026, 1, 1),
            "end": d(2029, 6, 30),
            "milestones": [
                (
                    "Curso en línea para personal público",
                    "Curso abierto con al menos 5.000 participantes.",
                    INAP,
                    d(2026, 1, 1),
                    d(2027, 12, 31),
                ),
                (
                    "Materiales didácticos para centros educativos",
                    "Unidad didáctica publicada con licencia abierta.",
                    INAP,
                    d(2026, 9, 1),
                    d(2029, 6, 30),
                ),
            ],
        },
    ],
}

# In the order they are created: Spain's older plan first, so it takes the lower number.
PLANS = [ITALY_DRAFT, LATVIA_COCREATION, SPAIN_ASSESSED, SPAIN_IMPLEMENTATION]

# The demo officers' roles (the Latvian one is given by `ogp_platform.members.demo`).
ROLES = {"italy": DFP, "spain": MTDFP}


# --- Seeding ----------------------------------------------------------------------------------


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def seed_plans(*, admin, officers: dict) -> list[ActionPlan]:
    """Create the demo plans (those not there yet). `officers` maps the slugs of Italy, Latvia
    and Spain to the user who drafts and reports for it; `admin` is the OGP admin who also
    enters the IRM assessments."""
    Group.objects.get(name=IRM_GROUP).user_set.add(admin)
    members = {slug: Member.objects.get(slug=slug) for slug in officers}
    institutions = {}
    for slug, member in members.items():
        for name, kind in INSTITUTIONS.get(slug, []):
            if not Institution.objects.filter(member=member, name=name).exists():
                member_services.institution_save(actor=admin, member=member, name=name, kind=kind)
        institutions[slug] = {i.name: i for i in Institution.objects.filter(member=member)}
    for slug, institution in ROLES.items():
        MemberRole.objects.update_or_create(
            member=members[slug],
            user=officers[slug],
            role=MemberRole.Role.POINT_OF_CONTACT,
            defaults={"institution": institutions[slug][institution], "granted_by": admin},
        )
    areas = {area.slug: area for area in PolicyArea.objects.all()}
    organisations = {o.slug: o for o in Organisation.objects.all()}

    plans = []
    for spec in PLANS:
        member = members[spec["member"]]
        plan = ActionPlan.objects.filter(member=member, title=spec["title"]).first()
        if plan is None:
            plan = _seed_plan(
                spec,
                member=member,
                officer=officers[spec["member"]],
                admin=admin,
                institutions=institutions[spec["member"]],
                areas=areas,
                organisations=organisations,
            )
        plans.append(plan)
    return plans


def _seed_plan(spec, *, member, officer, admin, institutions, areas, organisations):
    plan = plan_services.action_plan_create(
        actor=officer,
        member=member,
        title=spec["title"],
        introduction=spec["introduction"],
        start_date=spec["start"],
        end_date=spec["end"],
    )
    commitments = []
    for item in spec["commitments"]:
        budget = item.get("budget")
        commitment = services.commitment_create(
            actor=officer,
            plan=plan,
            title=item["title"],
            short_title=item["short_title"],
            problem=item["problem"],
            status_quo=item["status_quo"],
            description=item["description"],
            contribution=item.get("contribution", ""),
            values_relevance=item.get("values_relevance", ""),
            values=item["values"],
            policy_areas=[areas[slug] for slug in item["areas"]],
            lead_institution=institutions[item["lead"]],
            supporting_institutions=[institutions[name] for name in item["supporting"]],
            partner_organisations=[organisations[slug] for slug in item["partners"]],
            start_date=item["start"],
            end_date=item["end"],
            budget=Decimal(budget[0]) if budget else None,
            budget_currency=budget[1] if budget else "",
        )
        milestones = [
            services.milestone_create(
                actor=officer,
                commitment=commitment,
                title=title,
                expected_output=output,
                responsible_institution=institutions[responsible],
                start_date=start,
                end_date=end,
            )
            for title, output, responsible, start, end in item["milestones"]
        ]
        commitments.append((commitment, milestones, item))

    steps = {
        Status.COCREATION: lambda day: plan_services.action_plan_open_cocreation(
            actor=officer, plan=plan
        ),
        Status.SUBMITTED: lambda day: plan_services.action_plan_submit(
            actor=officer, plan=plan, today=day
        ),
        Status.IMPLEMENTATION: lambda day: plan_services.action_plan_start_implementation(
            actor=officer, plan=plan
        ),
        Status.ENDED: lambda day: plan_services.action_plan_end(actor=officer, plan=plan),
    }
    for status, day in spec["stages"][1:]:
        steps[status](day)
    plan.refresh_from_db()

    for commitment, milestones, item in commitments:
        commitment.plan = plan  # the plan moved on since the commitment was created
        for index, level, day, narrative, evidence in item.get("progress", []):
            report = services.progress_report_create(
                actor=officer,
                commitment=commitment,
                milestone=None if index is None else milestones[index],
                level=level,
                narrative=narrative,
                evidence=[_evidence(piece) for piece in evidence],
            )
            ProgressReport.objects.filter(pk=report.pk).update(reported_at=_at(day))
        if "assessment" in item:
            services.assessment_save(actor=admin, commitment=commitment, **item["assessment"])
    if spec.get("assessed_on"):
        Assessment.objects.filter(commitment__plan=plan).update(
            assessed_at=_at(spec["assessed_on"])
        )
    _date_the_timeline(plan, spec["stages"])
    return plan


def _evidence(piece: dict) -> dict:
    if "pdf" in piece:
        return {"title": piece["title"], "file": ContentFile(_pdf(piece["text"]), piece["pdf"])}
    return {"title": piece["title"], "url": piece["url"]}


def _date_the_timeline(plan: ActionPlan, stages) -> None:
    """Date each step of the timeline (and the plan's creation and publication) as the story
    has it, rather than the moment seed_demo ran."""
    for status, day in stages:
        PlanTransition.objects.filter(plan=plan, to_status=status).update(created_at=_at(day))
    dates = dict(stages)
    ActionPlan.objects.filter(pk=plan.pk).update(
        created_at=_at(dates[Status.DRAFT]),
        published_at=_at(dates[Status.COCREATION]) if Status.COCREATION in dates else None,
    )
    Commitment.objects.filter(plan=plan).update(created_at=_at(dates[Status.DRAFT]))


# The plan participation's demo holds its consultation on.
CONSULTED_PLAN = "AP_LVA01"


def seed(run: seeding.DemoRun) -> None:
    accounts = run.accounts
    plans = seed_plans(
        admin=accounts["OGP admin"],
        officers={
            "italy": accounts["officer of Italy"],
            "latvia": accounts["government officer"],
            "spain": accounts["officer of Spain"],
        },
    )
    run.say(f"{len(plans)} action plans, with commitments and milestones.")
    consulted = next(plan for plan in plans if plan.identifier == CONSULTED_PLAN)
    figures = participation_demo.seed_participation(
        space=consulted,
        admin=accounts["OGP admin"],
        officer=accounts["government officer"],
        cso_member=accounts["CSO member"],
    )
    citizens = participation_demo.CITIZENS
    run.say(
        f"Consultation on {consulted.identifier}: {figures['comments']} comments, "
        f"{figures['votes']} votes, {figures['inputs']} inputs "
        f"({figures['pending']} pending), by {len(citizens)} citizens "
        f"({citizens[0][1]} …; password: {participation_demo.CITIZEN_PASSWORD})."
    )


seeding.demo.register("commitments", seed, needs=["members"])
