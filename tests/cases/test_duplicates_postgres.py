"""The duplicate search on PostgreSQL: trigram similarity of the name keys (pg_trgm, GIN index of cases/0002).

Skipped on SQLite (CI runs it with DATABASE_URL=postgres://…). Victims are saved through the service, which computes
the search keys; no date of birth, phone or document is given, so only the name similarity can match.
"""

import random

import pytest
from django.db import connection

from cases import services
from cases.names import name_key
from cases.selectors import victim_possible_duplicates
from tests.cases.populations import latin, misspelt, shared_name_population
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


# ---------------------------------------------------------------------------
# Recall among many people sharing a name (issue: the panel was cut by creation date, not by match quality)
# ---------------------------------------------------------------------------
@pytest.fixture
def namesakes(owner):
    """2,000 women in the owner's cases, 50 full names shared by 40 each, with their own dates of birth and numbers."""
    cases = [CaseFactory(created_by=owner) for _ in range(20)]
    return shared_name_population(cases, people=2000, names=50, rng=random.Random(7))


def _shown_out_of_50(owner, namesakes, spell) -> int:
    rng = random.Random(2026)
    shown = 0
    for person in rng.sample(namesakes, 50):
        last_name, first_name = spell(person, rng)
        result = victim_possible_duplicates(
            user=owner, names=(last_name, first_name), date_of_birth=person.date_of_birth
        )
        assert len(result.visible) <= 10
        shown += person.pk in {v.pk for v in result.visible}
    return shown


def test_a_person_spelt_correctly_among_40_namesakes_is_shown(owner, namesakes):
    assert _shown_out_of_50(owner, namesakes, lambda p, rng: (p.last_name, p.first_name)) == 50


def test_a_person_misspelt_by_one_letter_among_40_namesakes_is_shown(owner, namesakes):
    def one_letter_off_in_either_script(person, rng):
        last_name, first_name = person.last_name, person.first_name
        if rng.random() < 0.5:
            last_name, first_name = latin(last_name), latin(first_name)
        if rng.random() < 0.5:
            return misspelt(last_name, rng), first_name
        return last_name, misspelt(first_name, rng)

    assert _shown_out_of_50(owner, namesakes, one_letter_off_in_either_script) >= 48


def test_a_person_misspelt_but_with_the_right_phone_is_shown_first(owner, namesakes):
    person = namesakes[123]
    typed = misspelt(latin(person.last_name), random.Random(1))

    result = victim_possible_duplicates(user=owner, names=(typed, person.first_name), phone=person.phone)

    assert result.visible[0].pk == person.pk
    assert result.visible[0].match_reasons[0] == "phone"


@pytest.mark.parametrize(
    ("table", "index", "definition"),
    [
        ("cases_victim", "cases_victim_name_key_trgm_gist", "using gist (name_key gist_trgm_ops)"),
        ("cases_case", "cases_case_number_trgm", "using gin (upper((number)::text) gin_trgm_ops)"),
        ("cases_case", "cases_case_place_trgm", "using gin (upper((incident_place)::text) gin_trgm_ops)"),
    ],
)
def test_the_trigram_indexes_of_the_search_and_the_duplicate_check_exist(table, index, definition):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s AND indexname = %s",
            [table, index],
        )
        row = cursor.fetchone()
    assert row is not None, f"migration cases/0007 should create {index}"
    assert definition in row[0].lower()
