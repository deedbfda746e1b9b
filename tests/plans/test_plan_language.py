"""A plan states the language it is written in; its text is marked with it (WCAG 2.1 3.1.2,
language of parts), on the pages and in the PDF."""

import datetime

import pytest
from django.urls import reverse

from action_plans import services
from action_plans.pdf import render_document
from tests.members.factories import MemberFactory, MemberRoleFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def test_a_new_plan_proposes_the_language_of_its_member_country(client):
    latvia = MemberFactory(country="LV", country_alpha3="LVA", name="Latvia", slug="latvia")
    officer = MemberRoleFactory(member=latvia, role="point_of_contact").user
    client.force_login(officer)
    form = client.get(reverse("action_plans:create", args=["latvia"])).context["form"]
    assert form["language"].initial == "lv"
    plan = services.action_plan_create(
        actor=officer,
        member=latvia,
        title="Rīcības plāns",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2028, 8, 31),
    )
    assert plan.language == "lv"


def test_the_plan_text_is_marked_with_its_language(client):
    plan = ActionPlanFactory(
        status="cocreation", published=True, language="es", introduction="Introducción."
    )
    commitment = CommitmentFactory(plan=plan, title="Contratación abierta")
    plan_page = client.get(plan.get_absolute_url()).content.decode()
    assert f'<h1 class="page-title" lang="es"><bdi>{plan.title}</bdi></h1>' in plan_page
    assert '<div lang="es"><p>Introducción.</p></div>' in plan_page
    commitment_page = client.get(commitment.get_absolute_url()).content.decode()
    assert (
        '<h1 class="page-title" lang="es"><bdi>Contratación abierta</bdi></h1>' in commitment_page
    )
    assert 'class="commitment-layout__main prose" lang="es"' in commitment_page
    assert (
        'lang="es"><a href="' + commitment.get_absolute_url()
        in client.get("/commitments/").content.decode()
    )
    html = render_document(plan, language="en").html
    assert '<html lang="en">' in html and 'class="commitment__title" lang="es"' in html


def test_a_plan_of_unknown_language_claims_none(client):
    plan = ActionPlanFactory(status="cocreation", published=True, language="")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert '<h1 class="page-title">' in page
