"""The case page as the officer's next job: who gets the screening and step buttons, what the page offers next."""

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
