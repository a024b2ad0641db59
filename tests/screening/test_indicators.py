"""Vulnerability (DOMAIN §5): groups that do not overlap, a help text for each item, old codes still readable."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from screening import indicators
from screening.help_texts import VULNERABILITY_FACTORS_HELP, VULNERABILITY_HELP, VULNERABILITY_KIND_HELP
from screening.services import screening_record

# Items the old list held twice under two names: one item each now.
OVERLAPPING_BEFORE = [
    ("young_age", "young_or_old_age"),
    ("substance_dependency", "drug_dependency_created"),
    ("financial_hardship", "poverty"),
    ("illegal_stay", "irregular_status"),
]


def test_each_vulnerability_item_belongs_to_one_group():
    codes = [code for group in indicators.VULNERABILITY_GROUPS.values() for code in group["items"]]

    assert len(codes) == len(set(codes))
    assert set(codes) == set(indicators.ALL_VULNERABILITY)


@pytest.mark.parametrize(("one", "other"), OVERLAPPING_BEFORE)
def test_items_that_overlapped_are_one_item_or_told_apart_by_when_they_arose(one, other):
    current = {indicators.current_vulnerability_codes([code])[0] for code in (one, other)}
    if len(current) == 2:  # kept apart: one existed before the trafficking, the other arose later
        groups = {
            name
            for name, group in indicators.VULNERABILITY_GROUPS.items()
            for code in current
            if code in group["items"]
        }
        assert groups == {"existing", "created"}


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize(
    "help_texts",
    [VULNERABILITY_HELP, VULNERABILITY_KIND_HELP],
    ids=["items", "kinds"],
)
def test_every_vulnerability_item_and_kind_has_a_translated_help_text(help_texts, language):
    codes = indicators.ALL_VULNERABILITY if help_texts is VULNERABILITY_HELP else indicators.VULNERABILITY_KINDS
    assert set(help_texts) == set(codes)
    for code, text in help_texts.items():
        with override(language):
            translated = str(text)
        with override("en"):
            english = str(text)
        assert translated and translated != english, code


def test_the_factors_are_explained_as_the_handbooks_causes():
    with override("ky"):
        assert "Кыргызстан" in str(VULNERABILITY_FACTORS_HELP)


def test_the_kinds_are_explained_with_the_handbooks_examples():
    with override("ky"):
        assert "чет мамлекетте" in str(VULNERABILITY_KIND_HELP["situational"])
        assert "жумушсуздугуна" in str(VULNERABILITY_KIND_HELP["circumstantial"])


def test_old_codes_are_read_as_todays_items_without_repeats():
    stored = ["poverty", "financial_hardship", "young_age", "young_or_old_age", "illegal_stay", "isolation"]
    assert indicators.current_vulnerability_codes(stored) == [
        "financial_hardship",
        "age",
        "irregular_status",
        "isolation",
    ]


@pytest.mark.django_db
def test_the_screening_page_names_old_codes_by_todays_labels(client, owner, case):
    screening = screening_record(
        case=case, actor=owner, facts={"act_date": "2025-03-01"}, vulnerability=["poverty", "young_or_old_age"]
    )
    client.force_login(owner)
    client.cookies["cms_language"] = "ru"

    html = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()

    with override("ru"):
        for code in ("financial_hardship", "age"):
            assert str(indicators.ALL_VULNERABILITY[code]) in html
    assert "poverty" not in html and "young_or_old_age" not in html
