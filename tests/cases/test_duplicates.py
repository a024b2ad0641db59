"""The duplicate check ranks what it shows: people matching the date of birth, phone or document first, then by how
similar the name is. Runs on SQLite (the Python fallback) and on PostgreSQL (trigram search) alike."""

import random
from datetime import date

import pytest

from cases import services
from cases.names import trigram_similarity
from cases.selectors import victim_possible_duplicates
from tests.cases.populations import latin, misspelt, shared_name_population
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def namesakes(owner):
    """300 women in the owner's cases, 12 full names shared by 25 each."""
    cases = [CaseFactory(created_by=owner) for _ in range(5)]
    return shared_name_population(cases, people=300, names=12, rng=random.Random(11))


def test_among_namesakes_the_one_born_that_day_is_shown_first(owner, namesakes):
    for person in random.Random(3).sample(namesakes, 12):
        result = victim_possible_duplicates(
            user=owner, names=(person.last_name, person.first_name), date_of_birth=person.date_of_birth
        )

        assert result.visible[0].pk == person.pk
        assert result.visible[0].match_reasons == ["date_of_birth", "name"]
        assert len(result.visible) == 10


def test_among_namesakes_a_misspelt_name_with_the_date_of_birth_finds_the_person(owner, namesakes):
    rng = random.Random(5)
    for person in rng.sample(namesakes, 12):
        typed = (misspelt(latin(person.last_name), rng), latin(person.first_name))

        result = victim_possible_duplicates(user=owner, names=typed, date_of_birth=person.date_of_birth)

        assert result.visible[0].pk == person.pk


def test_a_document_match_is_shown_before_a_closer_name(owner):
    case = CaseFactory(created_by=owner)
    namesake = services.victim_create(
        case=case, actor=owner, data={"last_name": "Асанова", "first_name": "Айжан", "sex": "female"}
    )
    same_document = services.victim_create(
        case=case,
        actor=owner,
        data={"last_name": "Асанбекова", "first_name": "Айжамал", "sex": "female", "id_document_number": "ID1234567"},
    )

    result = victim_possible_duplicates(user=owner, names=("Асанова", "Айжан"), document_number="id 123 4567")

    assert [v.pk for v in result.visible] == [same_document.pk, namesake.pk]
    assert result.visible[0].match_reasons[0] == "document"


def test_a_same_day_birth_with_a_quite_different_spelling_is_still_a_possible_match(owner):
    case = CaseFactory(created_by=owner)
    born = date(1999, 3, 8)
    person = services.victim_create(
        case=case,
        actor=owner,
        data={"last_name": "Жумабаева", "first_name": "Нургүл", "sex": "female", "date_of_birth": born},
    )

    far_spelling = ("Dzoumabaeva", "Nourgoul")  # French-style transliteration: similarity 0.36
    assert not victim_possible_duplicates(user=owner, names=far_spelling).visible  # the name alone is too far
    result = victim_possible_duplicates(user=owner, names=far_spelling, date_of_birth=born)

    assert [v.pk for v in result.visible] == [person.pk]


def test_the_same_date_of_birth_alone_is_not_a_match(owner):
    case = CaseFactory(created_by=owner)
    born = date(1999, 3, 8)
    services.victim_create(
        case=case, actor=owner, data={"last_name": "Жумабаева", "first_name": "Нургүл", "date_of_birth": born}
    )

    result = victim_possible_duplicates(user=owner, names=("Токтогулова", "Бермет"), date_of_birth=born)

    assert (result.visible, result.hidden_count) == ([], 0)


def test_the_python_trigram_similarity_is_the_one_of_pg_trgm():
    assert trigram_similarity("aijan asanova", "aijan asanova") == 1
    assert trigram_similarity("abc", "xyz") == 0
    # pg_trgm: similarity('word', 'two words') = 0.36363637 (4 shared of 11 distinct trigrams)
    assert trigram_similarity("word", "two words") == pytest.approx(4 / 11)
