"""The duplicate check blocks on the spelling-independent name key (and the year of birth), on PostgreSQL: a name
shared by hundreds of people is not cut to a trigram top-N of persons; the list of distinct keys follows inserts."""

import random
from datetime import date

import pytest
from django.db import connection

from cases import services
from cases.names import phonetic_key
from cases.selectors import name_spellings, possible_duplicate_ids, victim_possible_duplicates
from tests.cases.populations import shared_name_population
from tests.factories import CaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def four_hundred_namesakes(owner):
    """450 women called Асанова Айжан and 450 called Асанова Бермет, over 5 of the owner's cases."""
    cases = [CaseFactory(created_by=owner) for _ in range(5)]
    return shared_name_population(cases, people=900, names=2, rng=random.Random(13))


def _spellings():
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM cases_victim_name_spelling ORDER BY key")
        return [row[0] for row in cursor.fetchall()]


def test_the_list_of_distinct_keys_follows_inserts_and_renames(owner):
    case = CaseFactory(created_by=owner)
    victim = services.victim_create(case=case, actor=owner, data={"last_name": "Жумабаева", "first_name": "Айгүл"})
    assert phonetic_key("Жумабаева", "Айгүл") in _spellings()

    services.victim_update(victim=victim, actor=owner, data={"first_name": "Нургүл"}, version=victim.version)

    assert phonetic_key("Жумабаева", "Нургүл") in _spellings()


@pytest.mark.parametrize(
    "names",
    [
        ("Асанова", "Айжан"),
        ("Asanova", "Aizhan"),
        ("Asanova", "Ajzhan"),
        ("Айжан", "Асанова"),
        ("Асанва", "Айжан"),  # a letter dropped
        ("Assanova", "Aidjan"),
    ],
)
def test_every_one_of_450_namesakes_is_a_candidate_without_a_date_of_birth(four_hundred_namesakes, names):
    asanova = {v.pk for v in four_hundred_namesakes if v.first_name == "Айжан"}
    assert len(asanova) == 450

    found = possible_duplicate_ids(names=names)

    assert found == asanova


def test_with_a_date_of_birth_the_namesakes_born_near_it_are_all_candidates(four_hundred_namesakes):
    person = next(v for v in four_hundred_namesakes if v.first_name == "Айжан")
    born = person.date_of_birth
    near = {
        v.pk for v in four_hundred_namesakes if v.first_name == "Айжан" and abs(v.date_of_birth.year - born.year) <= 1
    }

    found = possible_duplicate_ids(names=("Asanova", "Aizhan"), date_of_birth=born)

    assert near <= found
    assert len(found) < 450  # the rest of the namesakes are cut to a few


def test_the_person_born_that_day_is_shown_first_among_450_namesakes(owner, four_hundred_namesakes):
    person = four_hundred_namesakes[100]

    result = victim_possible_duplicates(
        user=owner, names=("Asanova", "Aizhan"), date_of_birth=person.date_of_birth, limit=10
    )

    assert result.visible[0].pk == person.pk
    assert result.visible[0].match_reasons == ["date_of_birth", "name"]


def test_a_misspelling_finds_the_nearest_key_and_not_a_far_one(four_hundred_namesakes):
    keys = [key for key, _ in name_spellings(phonetic_key("Асанва", "Айжан"))]

    assert keys == [phonetic_key("Асанова", "Айжан")]


def test_namesakes_in_another_unit_are_counted_not_listed(owner, outsider):
    foreign = CaseFactory(created_by=outsider)
    shared_name_population([foreign], people=30, names=1, rng=random.Random(1))
    own = CaseFactory(created_by=owner)
    services.victim_create(case=own, actor=owner, data={"last_name": "Асанова", "first_name": "Айжан"})

    result = victim_possible_duplicates(user=owner, names=("Asanova", "Aizhan"), date_of_birth=date(1990, 1, 1))

    assert [v.case_id for v in result.visible] == [own.pk]
    assert result.hidden_count >= 1
