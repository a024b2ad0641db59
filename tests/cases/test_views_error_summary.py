"""A refused save shows an error summary at the top of the form, and the duplicate box offers to open the match."""

import pytest
from django.conf import settings
from django.urls import reverse

from cases import services
from cases.models import Case, Victim
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def summary_of(html: str) -> str:
    assert html.count('class="error-summary"') == 1
    return html.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]


def form_start(html: str) -> int:
    return html.index('<form method="post" class="card form"')


# ---------------------------------------------------------------------------
# The error summary: first thing under the title, role=alert, each error a link to its field
# ---------------------------------------------------------------------------
def test_a_refused_new_case_lists_its_errors_at_the_top_linked_to_the_fields(client_for, english, owner):
    response = client_for(owner).post(reverse("cases:create"), {"source": "", "received_at": "2999-01-01T10:00"})

    html = response.content.decode()
    summary = summary_of(html)
    assert 'role="alert"' in summary
    assert 'href="#id_source"' in summary and 'href="#id_received_at"' in summary
    assert "The report cannot be received in the future." in summary
    assert html.index('class="error-summary"') < form_start(html)
    assert not Case.objects.exists()


def test_a_refused_person_lists_the_missing_name_and_the_field_errors_at_the_top(client_for, english, owner, case):
    response = client_for(owner).post(
        reverse("cases:victim_create", args=[case.pk]), {"sex": "female", "date_of_birth": "2999-01-01"}
    )

    html = response.content.decode()
    summary = summary_of(html)
    assert "Give at least one name, in Cyrillic or Latin letters." in summary  # an error of the whole form
    assert 'href="#id_date_of_birth"' in summary
    assert html.index('class="error-summary"') < form_start(html)
    assert not Victim.objects.exists()


def test_a_refused_suspect_lists_its_errors_at_the_top(client_for, english, owner, case):
    response = client_for(owner).post(reverse("cases:suspect_add", args=[case.pk]), {"age": "-3", "sex": "male"})

    html = response.content.decode()
    assert 'href="#id_age"' in summary_of(html)
    assert html.index('class="error-summary"') < form_start(html)


def test_a_form_saved_without_errors_shows_no_summary(client_for, owner, case):
    html = client_for(owner).get(reverse("cases:victim_create", args=[case.pk])).content.decode()

    assert 'class="error-summary"' not in html


# ---------------------------------------------------------------------------
# The duplicate box: "this is the same person: open that record"
# ---------------------------------------------------------------------------
def test_each_possible_match_offers_to_open_that_record_as_the_same_person(client_for, english, owner, case):
    other = CaseFactory(created_by=owner)
    existing = services.victim_create(case=other, actor=owner, data={"last_name": "Асанова", "first_name": "Айжан"})

    response = client_for(owner).post(
        reverse("cases:victim_duplicates", args=[case.pk]), {"last_name": "Асанова", "first_name": "Айжан"}
    )

    body = response.content.decode()
    link = f'<a class="button same-person" href="{reverse("cases:victim_detail", args=[existing.pk])}">'
    assert link in body
    assert "This is the same person: open that record" in body.split(link, 1)[1].split("</a>", 1)[0]
