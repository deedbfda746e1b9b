"""Benchmark: seconds and peak memory to make the PDF of a plan of 60 commitments with 4
milestones each (long multilingual texts), the size the export issue sets as its target
(under 5 s and under 400 MB on a 2-core machine).

    .venv/bin/python benchmarks/pdf_render.py [--runs 3] [--commitments 60]

It builds the plan in a throw-away SQLite database (nothing else is touched), then times the
two steps separately: the HTML of the document (done in the web request) and the PDF (done by
the Celery worker). Peak memory is the process's maximum resident set size (ru_maxrss), which
includes Django and the data; the PDF step's own growth is printed beside it.
"""

import argparse
import datetime
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAGRAPH = (
    "Latvijas pašvaldības publicēs līgumus un budžeta izpildi atvērto datu portālā; "
    "ģimenes, ķēdes, ļaudis, ņemot vērā šķēršļus, žēl, ūdens. "
    "La contratación pública será abierta: niñez, año, información, participación. "
    "Il Comune pubblicherà perché è più città, attività, qualità: 5 000 € per l'anno. "
)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_plan(commitments: int):
    from django.contrib.auth import get_user_model

    from action_plans.models import ActionPlan
    from commitments.models import Commitment, Milestone, PolicyArea
    from ogp_platform.members.models import Institution, Member

    user = get_user_model().objects.create_user(email="bench@example.org", password=None)
    member = Member.objects.create(
        kind="national", name="Latvia", slug="latvia-bench", country="LV", region="europe"
    )
    lead = Institution.objects.create(member=member, name="Valsts kanceleja")
    helper = Institution.objects.create(
        member=member, name="Vides aizsardzības un reģionālās ministrija"
    )
    plan = ActionPlan.objects.create(
        member=member,
        sequence=5,
        identifier="AP_LVABENCH",
        title="Piektais atvērtās pārvaldības rīcības plāns",
        introduction="\n\n".join([PARAGRAPH * 3] * 4),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        submission_deadline=datetime.date(2025, 8, 31),
        status="cocreation",
        published_at=datetime.datetime.now(datetime.UTC),
        created_by=user,
    )
    areas = list(PolicyArea.objects.all()[:3])
    for number in range(1, commitments + 1):
        commitment = Commitment.objects.create(
            plan=plan,
            number=number,
            identifier=f"LVB{number:04d}",
            position=number,
            title=f"Atklāti dati par pašvaldību līgumiem un budžetu nr. {number}",
            short_title="Atklāti līgumi",
            problem="\n\n".join([PARAGRAPH * 2] * 2),
            status_quo=PARAGRAPH * 2,
            description="\n\n".join([PARAGRAPH * 2] * 3),
            contribution=PARAGRAPH,
            values_relevance=PARAGRAPH,
            value_access_to_information=True,
            value_civic_participation=True,
            lead_institution=lead,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
            budget=125000,
            budget_currency="EUR",
        )
        commitment.policy_areas.set(areas)
        commitment.supporting_institutions.set([helper])
        Milestone.objects.bulk_create(
            Milestone(
                commitment=commitment,
                position=m,
                title=f"Posms {m}: publicēt datu kopu un ziņojumu",
                expected_output="Datu kopa atvērto datu portālā, ar aprakstu un licenci.",
                responsible_institution=lead,
                start_date=datetime.date(2026, 1 + m * 2, 1),
                end_date=datetime.date(2026, 2 + m * 2, 28),
            )
            for m in range(1, 5)
        )
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--commitments", type=int, default=60)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="ogp-bench-pdf-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_MEDIA_ROOT"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_platform.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from action_plans.pdf import render_document, write_pdf

    call_command("migrate", verbosity=0)
    plan = build_plan(args.commitments)
    baseline = peak_mb()

    html_times, pdf_times, cpu_times, pages = [], [], [], 0
    for _ in range(args.runs):
        started = time.perf_counter()
        document = render_document(plan, language="lv")
        html_done = time.perf_counter()
        cpu = time.process_time()
        result = write_pdf(document.dated("lv"))
        cpu_times.append(time.process_time() - cpu)
        pdf_done = time.perf_counter()
        html_times.append(html_done - started)
        pdf_times.append(pdf_done - html_done)
        pages = result.pages
        size_kb = len(result.content) / 1024

    total = [h + p for h, p in zip(html_times, pdf_times, strict=True)]
    print(f"PDF of a plan with {args.commitments} commitments × 4 milestones (Latvian interface)")
    print(f"  pages: {pages}, size: {size_kb:.0f} KB, runs: {args.runs}")
    print(f"  HTML (web request): median {statistics.median(html_times):.2f} s")
    print(
        f"  PDF (worker):       median {statistics.median(pdf_times):.2f} s"
        f" (CPU {statistics.median(cpu_times):.2f} s)"
    )
    print(
        f"  total:              median {statistics.median(total):.2f} s, worst {max(total):.2f} s"
    )
    print(f"  peak memory:        {peak_mb():.0f} MB (before rendering: {baseline:.0f} MB)")


if __name__ == "__main__":
    main()
