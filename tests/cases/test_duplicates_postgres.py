"""The duplicate search on PostgreSQL: trigram similarity of the name keys (pg_trgm, GIN index of cases/0002).

Skipped on SQLite (CI runs it with DATABASE_URL=postgres://…). Victims are saved through the service, which computes
the search keys; no date of birth, phone or document is given, so only the name similarity can match.
"""

import pytest
from django.db import connection

from cases import services
from cases.names import name_key
from cases.selectors import victim_possible_duplicates
from tests.factories import CaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _victim(case, actor, last_name, first_name, **extra):
    return services.victim_create(
        case=case, actor=actor, data={"last_name": last_name, "first_name": first_name, "sex": "female", **extra}
    )


@pytest.fixture
def saved_in_cyrillic(owner):
    """Айжан Асанова, recorded in Cyrillic in the owner's case, next to two people who are not her."""
    case = CaseFactory(created_by=owner)
    victim = _victim(case, owner, "Асанова", "Айжан")
    _victim(case, owner, "Асанов", "Айбек", sex="male")  # same family name, another person
    _victim(case, owner, "Токтогулова", "Бермет")
    return victim


def test_search_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.parametrize(
    ("last_name", "first_name"),
    [
        ("Asanova", "Aizhan"),  # passport spelling
        ("ASANOVA", "AIDZHAN"),  # Russian-style transliteration, upper case
        ("Asanova", "Ajzhan"),  # another Latin spelling: a different key, found by similarity
    ],
)
def test_latin_spelling_finds_the_victim_saved_in_cyrillic(owner, saved_in_cyrillic, last_name, first_name):
    result = victim_possible_duplicates(user=owner, names=(last_name, first_name))

    assert [v.pk for v in result.visible] == [saved_in_cyrillic.pk]
    assert result.hidden_count == 0


@pytest.mark.parametrize(
    ("last_name", "first_name"),
    [
        ("Assanova", "Aizan"),  # doubled letter, z for zh
        ("Асанава", "Айжан"),  # a vowel wrong, in Cyrillic
        ("Asanava", "Aijan"),  # a vowel wrong, in Latin
        ("Айжан", "Асанова"),  # names swapped
    ],
)
def test_slightly_misspelled_name_finds_the_victim(owner, saved_in_cyrillic, last_name, first_name):
    result = victim_possible_duplicates(user=owner, names=(last_name, first_name))

    assert [v.pk for v in result.visible] == [saved_in_cyrillic.pk]
    assert result.hidden_count == 0


def test_a_misspelling_is_found_by_similarity_not_by_an_equal_key(owner, saved_in_cyrillic):
    assert name_key("Asanova", "Ajzhan") != saved_in_cyrillic.name_key

    result = victim_possible_duplicates(user=owner, names=("Asanova", "Ajzhan"))

    assert saved_in_cyrillic in result.visible


def test_an_unrelated_name_finds_nothing(owner, saved_in_cyrillic):
    result = victim_possible_duplicates(user=owner, names=("Sydykova", "Nurgul"))

    assert result.visible == []
    assert result.hidden_count == 0


def test_a_match_in_another_unit_is_counted_not_listed(owner, outsider, saved_in_cyrillic):
    elsewhere = _victim(CaseFactory(created_by=outsider), outsider, "Асанова", "Айжан")

    result = victim_possible_duplicates(user=owner, names=("Asanova", "Aizhan"))

    assert [v.pk for v in result.visible] == [saved_in_cyrillic.pk]
    assert elsewhere.pk not in {v.pk for v in result.visible}
    assert result.hidden_count == 1

    # The other unit's officer sees it the other way round.
    theirs = victim_possible_duplicates(user=outsider, names=("Asanova", "Aizhan"))
    assert [v.pk for v in theirs.visible] == [elsewhere.pk]
    assert theirs.hidden_count == 1


def test_a_match_only_in_another_unit_is_hidden(owner, outsider):
    _victim(CaseFactory(created_by=outsider), outsider, "Асанова", "Айжан")

    result = victim_possible_duplicates(user=owner, names=("Assanova", "Aizan"))

    assert result.visible == []
    assert result.hidden_count == 1


def test_editing_victim_itself_is_excluded(owner, saved_in_cyrillic):
    result = victim_possible_duplicates(user=owner, names=("Asanova", "Aizhan"), exclude_id=saved_in_cyrillic.pk)

    assert result.visible == []
    assert result.hidden_count == 0


def test_trigram_extension_and_gin_index_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None, "migration cases/0002 should create the pg_trgm extension"
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s AND indexname = %s",
            ["cases_victim", "cases_victim_name_key_trgm"],
        )
        row = cursor.fetchone()
    assert row is not None, "migration cases/0002 should create the GIN trigram index on cases_victim.name_key"
    indexdef = row[0].lower()
    assert "using gin" in indexdef
    assert "name_key" in indexdef
    assert "gin_trgm_ops" in indexdef
