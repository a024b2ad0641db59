"""The case page as the officer's next job: who gets the screening and step buttons, what the page offers next."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from cases import services
from cases.models import OfficerStep
from screening.models import Obligation, Screening
from screening.services import screening_record
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

ADULT_FACTS = {
    "act_date": "2025-03-01",
    "victim_age": 30,
    "acts": ["recruitment"],
    "means": ["deception"],
    "purposes": ["forced_labour"],
}


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def hotline_operator(district):
    return UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])


@pytest.fixture
def intl_officer(district):
    """An International Cooperation officer of the district: sees (and may change) the unit's cases."""
    return UserFactory(unit=district, roles=[Role.INTL_COOPERATION])


@pytest.fixture
def worked_case(owner, hotline_operator):
    """A case the 1899 desk opened and assigned to the inspector, screened, with a due item and a step."""
    case = CaseFactory(created_by=hotline_operator, assigned_officer=owner)
    victim = services.victim_create(case=case, actor=owner, data={"last_name": "Асанова", "first_name": "Айжан"})
    screening_record(case=case, actor=owner, victim=victim, facts=ADULT_FACTS)
    services.officer_step_record(case=case, actor=owner, code=OfficerStep.Code.CHECK_REPORT)
    return case


def _work_urls(case) -> dict[str, str]:
    obligation = case.obligations.get(code="rapport_registration")
    step = case.steps.get()
    return {
        "wizard": reverse("screening:wizard", args=[case.pk]),
        "preview": reverse("screening:preview", args=[case.pk]),
        "step": reverse("cases:step_record", args=[case.pk]),
        "undo": reverse("cases:step_undo", args=[case.pk, step.pk]),
        "obligation": reverse("screening:obligation_complete", args=[obligation.pk]),
    }


# ---------------------------------------------------------------------------
# Item 8: no screening or step buttons for roles that do not do that work, and no way around it
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("visitor", ["hotline_operator", "intl_officer"])
def test_roles_that_do_not_work_cases_see_no_screening_step_or_due_item_buttons(
    request, client_for, worked_case, visitor
):
    client = client_for(request.getfixturevalue(visitor))

    response = client.get(worked_case.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    for name, url in _work_urls(worked_case).items():
        assert url not in body, name
    assert reverse("cases:edit", args=[worked_case.pk]) in body  # they still may correct the case itself


def test_the_assigned_inspector_sees_the_screening_step_and_due_item_buttons(client_for, owner, worked_case):
    body = client_for(owner).get(worked_case.get_absolute_url()).content.decode()

    urls = _work_urls(worked_case)
    for name in ("wizard", "step", "undo", "obligation"):
        assert urls[name] in body, name


@pytest.mark.parametrize("visitor", ["hotline_operator", "intl_officer"])
def test_roles_that_do_not_work_cases_are_refused_the_wizard_the_steps_and_the_due_items(
    request, client_for, worked_case, visitor
):
    client = client_for(request.getfixturevalue(visitor))
    urls = _work_urls(worked_case)

    answers = {
        "wizard": client.get(urls["wizard"]).status_code,
        "wizard-post": client.post(urls["wizard"], {"act_date": "2025-03-01", "acts": ["recruitment"]}).status_code,
        "preview": client.post(urls["preview"], {"act_date": "2025-03-01"}).status_code,
        "step": client.post(urls["step"], {"code": OfficerStep.Code.INTERVIEW}).status_code,
        "undo": client.post(urls["undo"]).status_code,
        "obligation": client.post(urls["obligation"], {"note": "Тапшырылды"}).status_code,
    }

    assert answers == dict.fromkeys(answers, 404)
    assert Screening.objects.count() == 1
    assert list(worked_case.steps.values_list("code", flat=True)) == [OfficerStep.Code.CHECK_REPORT]
    assert not Obligation.objects.filter(status=Obligation.Status.DONE).exists()


# ---------------------------------------------------------------------------
# Item 1: each screen leads to the next job
# ---------------------------------------------------------------------------
MAIN_ACTION = re.compile(r'<a [^>]*id="main-action"[^>]*>')


def _main_action_href(html: str) -> str | None:
    """The address of the page's main button (id="main-action"), or None when the page has none."""
    found = MAIN_ACTION.findall(html)
    assert len(found) <= 1, found
    if not found:
        return None
    assert 'class="button primary"' in found[0]
    return re.search(r'href="([^"]+)"', found[0]).group(1)


def test_a_new_case_without_a_person_offers_adding_the_person_as_its_main_action(client_for, owner, case):
    html = client_for(owner).get(case.get_absolute_url()).content.decode()

    assert _main_action_href(html) == reverse("cases:victim_create", args=[case.pk])
    assert html.count('class="button primary"') == 1  # screening without a person is possible, but not the next job


def test_once_a_person_exists_the_main_action_is_to_screen(client_for, owner, case):
    services.victim_create(case=case, actor=owner, data={"last_name": "Асанова", "first_name": "Айжан"})

    html = client_for(owner).get(case.get_absolute_url()).content.decode()

    assert _main_action_href(html) == reverse("screening:wizard", args=[case.pk])
    assert html.count('class="button primary"') == 1


def test_a_screened_case_has_no_main_button_left_its_due_items_are_the_next_job(client_for, owner, worked_case):
    html = client_for(owner).get(worked_case.get_absolute_url()).content.decode()

    assert _main_action_href(html) is None
    assert reverse("screening:wizard", args=[worked_case.pk]) in html  # screening again stays possible


def test_a_role_that_does_not_screen_is_not_offered_screening_as_the_main_action(client_for, hotline_operator):
    case = CaseFactory(created_by=hotline_operator)
    client = client_for(hotline_operator)
    assert _main_action_href(client.get(case.get_absolute_url()).content.decode()) == reverse(
        "cases:victim_create", args=[case.pk]
    )
    services.victim_create(case=case, actor=hotline_operator, data={"last_name": "Асанова"})

    assert _main_action_href(client.get(case.get_absolute_url()).content.decode()) is None


def test_after_saving_a_person_the_person_page_offers_to_screen_now(client_for, english, owner, case):
    client = client_for(owner)
    data = {"last_name": "Бекова", "first_name": "Нурай", "sex": "female", "citizenship": "KG"}
    data["identity_established_by"] = "not_yet"

    response = client.post(reverse("cases:victim_create", args=[case.pk]), data, follow=True)

    victim = case.victims.get()
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("cases:victim_detail", args=[victim.pk])
    wizard = reverse("screening:wizard", args=[case.pk])
    assert _main_action_href(html) == f"{wizard}?victim={victim.pk}"
    assert "Screen now" in html


def test_a_person_already_screened_is_not_offered_screen_now(client_for, english, owner, worked_case):
    victim = worked_case.victims.get()
    Screening.objects.update(victim=victim)

    html = client_for(owner).get(reverse("cases:victim_detail", args=[victim.pk])).content.decode()

    assert _main_action_href(html) is None
    assert "Screen now" not in html


def test_a_role_that_does_not_screen_is_not_offered_screen_now(client_for, english, hotline_operator):
    case = CaseFactory(created_by=hotline_operator)
    victim = services.victim_create(case=case, actor=hotline_operator, data={"last_name": "Асанова"})

    html = client_for(hotline_operator).get(reverse("cases:victim_detail", args=[victim.pk])).content.decode()

    assert "Screen now" not in html
    assert reverse("screening:wizard", args=[case.pk]) not in html
