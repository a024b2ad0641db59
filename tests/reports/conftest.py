"""The rapport's cast: a case with a victim, a suspect and an exploitation site, screened as Art. 166; its unit's head
and the head of another district."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from cases import services as case_services
from cases.models import Case
from reports import services
from reports.models import RAPPORT_ITEMS
from screening.services import screening_record
from tests.factories import UserFactory

ADULT_FACTS = {"victim_age": 25, "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]}


@pytest.fixture
def police_case(owner, supervisor):
    case = case_services.case_create(
        actor=owner,
        data={
            "source": Case.Source.CITIZEN,
            "received_at": timezone.now() - timedelta(hours=2),
            "incident_at": timezone.now() - timedelta(days=3),
            "incident_place": "Бишкек, Дордой базары",
            "summary": "Жумушка убада менен Москвага алынып кеткен.",
        },
    )
    case_services.victim_create(
        case=case,
        actor=owner,
        data={"last_name": "Асанова", "first_name": "Айжан", "date_of_birth": date(1999, 4, 5), "sex": "female",
              "id_document_type": "Паспорт"},
    )  # fmt: skip
    case_services.suspect_add(
        case=case, actor=owner,
        data={"full_name": "Белгисиз", "appearance": "Узун бойлуу, сакалчан", "possible_locations": "Ош шаары",
              "armed": "no"},
    )  # fmt: skip
    case_services.exploitation_site_add(
        case=case,
        actor=owner,
        data={"location": "Москва, Люблино", "description": "Тигүү цехи", "other_victims": "yes"},
    )
    return case


def screen(case, actor, **extra):
    facts = {**ADULT_FACTS, "act_date": case.act_date.isoformat()}
    return screening_record(case=case, actor=actor, facts=facts, indicators=["held_against_will"], **extra)


@pytest.fixture
def screened_case(police_case, owner):
    screen(police_case, owner)
    return police_case


@pytest.fixture
def violence_case(police_case, owner):
    screen(police_case, owner, violence_against_women=True)
    return police_case


def complete(rapport, actor):
    """Fill the items left empty by the prefill (traces, consequences) and save."""
    data = {code: getattr(rapport, code) or "Белгисиз себептер." for code in RAPPORT_ITEMS}
    data.update({f"{code}_unknown": False for code in RAPPORT_ITEMS})
    return services.rapport_update(rapport=rapport, actor=actor, data=data, version=rapport.version)


@pytest.fixture
def draft(screened_case, owner):
    return services.rapport_start(case=screened_case, actor=owner)


@pytest.fixture
def submitted(draft, owner):
    return services.rapport_submit(rapport=complete(draft, owner), actor=owner)


@pytest.fixture
def approved(submitted, supervisor):
    return services.rapport_approve(rapport=submitted, actor=supervisor)


@pytest.fixture
def other_head(other_district):
    return UserFactory(unit=other_district, roles=[Role.SUPERVISOR])


@pytest.fixture
def investigator(district):
    return UserFactory(unit=district, roles=[Role.INVESTIGATOR])


@pytest.fixture
def ngo_user(db):
    organisation = Organisation.objects.create(name="«Сезим» борбору", kind=Organisation.Kind.NGO)
    return UserFactory(unit=None, roles=[Role.NGO_STAFF], organisation=organisation)


@pytest.fixture
def desk_operator(district):
    return UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])
