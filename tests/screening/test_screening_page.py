"""The screening page lists what was ticked by its labels in the reader's language, not counts; screenings show in
the case history."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override

from screening.indicators import ADULT_INDICATORS, VULNERABILITY_FACTORS, VULNERABILITY_KINDS
from screening.labels import FACT_LABELS
from screening.qualification import LABELS
from screening.services import screening_record
from tests.factories import VictimFactory

pytestmark = pytest.mark.django_db

FACTS = {
    "act_date": "2025-02-20",
    "victim_age": 30,
    "acts": ["recruitment", "transportation"],
    "means": ["abuse_of_vulnerability"],
    "vulnerability_evidenced": True,
    "vulnerability_abuse_evidenced": False,
    "purposes": ["forced_labour"],
    "exploitation_occurred": ["forced_labour"],
    "moved_across_kr_border": True,
    "suspect_age": 41,
    "suspect_sane": True,
}


@pytest.fixture
def screening(owner, case):
    return screening_record(
        case=case,
        actor=owner,
        facts=FACTS,
        victim=VictimFactory(case=case),
        indicators=["held_against_will", "no_access_to_earnings"],
        vulnerability=["financial_hardship"],
        vulnerability_kinds=["circumstantial"],
        vulnerability_factors=["demand_cheap_labour"],
        high_risk=True,
    )


def page(client, user, screening, language: str) -> str:
    client.force_login(user)
    client.cookies["cms_language"] = language
    html = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    return re.sub(r"\s+", " ", html)


def fact(html: str, label: str) -> str:
    """The text of the screening page's entry for `label`."""
    found = re.search(rf"<dt>{re.escape(escape(label))}</dt> ?<dd>(.*?)</dd>", html)
    assert found, f"no entry {label!r}"
    return found.group(1)


@pytest.mark.parametrize("language", ["en", "ky", "ru"])
def test_the_screening_page_lists_what_was_ticked_by_its_labels(client, owner, screening, language):
    html = page(client, owner, screening, language)

    with override(language):
        expected = {
            "Indicators": [ADULT_INDICATORS["held_against_will"], ADULT_INDICATORS["no_access_to_earnings"]],
            "Kind of vulnerability": [VULNERABILITY_KINDS["circumstantial"]],
            "Factors": [VULNERABILITY_FACTORS["demand_cheap_labour"]],
            "Acts": [LABELS["recruitment"][language], LABELS["transportation"][language]],
            "Means": [LABELS["abuse_of_vulnerability"][language]],
            "Purposes of exploitation": [LABELS["forced_labour"][language]],
            "Exploitation actually carried out": [LABELS["forced_labour"][language]],
            "Abuse of vulnerability: the evidence": [FACT_LABELS["vulnerability_evidenced"]],
            "Border": [FACT_LABELS["moved_across_kr_border"]],
            "Safety": [FACT_LABELS["high_risk"]],
        }
        for heading, labels in expected.items():
            entry = fact(html, gettext(heading))
            for label in labels:
                assert escape(str(label)) in entry, (heading, label)
        assert "41" in fact(html, gettext("Suspect's age at the act"))
        assert gettext("Yes") in fact(html, gettext("Suspect is sane"))
        assert escape(str(FACT_LABELS["vulnerability_abuse_evidenced"])) not in html  # not evidenced: not listed


def test_the_screening_page_lists_the_vulnerability_by_label(client, owner, screening):
    html = page(client, owner, screening, "en")

    assert "Hard financial situation" in fact(html, "Vulnerability")


def test_an_empty_list_reads_as_a_dash_and_a_childs_means_as_not_required(client, owner, case):
    child = screening_record(case=case, actor=owner, facts={"act_date": "2025-02-20", "victim_age": 15})

    html = page(client, owner, child, "en")

    assert fact(html, "Acts") == "—"
    assert fact(html, "Means") == "not required for a child"


def test_the_case_history_shows_each_screening_with_its_author(client, owner, screening):
    client.force_login(owner)
    client.cookies["cms_language"] = "en"

    response = client.get(screening.case.get_absolute_url())

    records = [r for r in response.context["history"] if r.instance_type._meta.model_name == "screening"]
    assert [(r.history_type, r.history_user, r.id) for r in records] == [("+", owner, screening.pk)]
    timeline = re.sub(r"\s+", " ", response.content.decode().split('<ol class="timeline">')[1])
    assert re.search(rf"<strong>{re.escape(escape(str(owner)))}</strong>: Screening created", timeline)
