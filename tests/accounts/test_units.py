"""The unit tree: each unit keeps the materialised path of its ancestors, and the path follows a move."""

import pytest

from accounts.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _fresh(*units: Unit) -> list[Unit]:
    return [Unit.objects.get(pk=unit.pk) for unit in units]


def test_a_new_unit_gets_the_path_of_its_parent_followed_by_its_own_id(ministry, oblast, district):
    ministry, oblast, district = _fresh(ministry, oblast, district)
    assert ministry.path == f"{ministry.pk}/"
    assert oblast.path == f"{ministry.pk}/{oblast.pk}/"
    assert district.path == f"{ministry.pk}/{oblast.pk}/{district.pk}/"
    assert (ministry.depth, oblast.depth, district.depth) == (0, 1, 2)


def test_the_path_in_memory_matches_the_stored_path_after_save(oblast):
    unit = UnitFactory(parent=oblast)
    assert unit.path == Unit.objects.get(pk=unit.pk).path == f"{oblast.path}{unit.pk}/"


def test_moving_a_unit_moves_all_its_descendants(ministry, oblast, district, other_district):
    # given a district department with a sub-unit, and a second oblast
    post = UnitFactory(parent=district, kind=Unit.Kind.DISTRICT)
    osh = UnitFactory(parent=ministry, kind=Unit.Kind.OBLAST)

    # when the district is moved to the other oblast
    district.parent = osh
    district.save()

    # then its path and the path of everything below it follow; the old oblast keeps its other children
    district, post, other_district, oblast = _fresh(district, post, other_district, oblast)
    assert district.path == f"{ministry.pk}/{osh.pk}/{district.pk}/"
    assert post.path == f"{ministry.pk}/{osh.pk}/{district.pk}/{post.pk}/"
    assert other_district.path == f"{ministry.pk}/{oblast.pk}/{other_district.pk}/"
    assert set(osh.descendants_and_self()) == {osh, district, post}
    assert set(oblast.descendants_and_self()) == {oblast, other_district}


def test_moving_an_oblast_moves_grandchildren_too(ministry, oblast, district):
    other_ministry = UnitFactory(parent=None, kind=Unit.Kind.MINISTRY)
    oblast.parent = other_ministry
    oblast.save()
    (district,) = _fresh(district)
    assert district.path == f"{other_ministry.pk}/{oblast.pk}/{district.pk}/"


def test_saving_a_unit_without_moving_it_leaves_the_tree_alone(ministry, oblast, district):
    oblast.name_ru = "УВД Чуйской области"
    oblast.save()
    assert [u.path for u in _fresh(ministry, oblast, district)] == [
        f"{ministry.pk}/",
        f"{ministry.pk}/{oblast.pk}/",
        f"{ministry.pk}/{oblast.pk}/{district.pk}/",
    ]


def test_descendants_and_self_is_the_subtree(ministry, oblast, district, other_district, far_district):
    assert set(oblast.descendants_and_self()) == {oblast, district, other_district}
    assert set(district.descendants_and_self()) == {district}
    assert set(ministry.descendants_and_self()) == set(Unit.objects.all())
    assert far_district not in oblast.descendants_and_self()


def test_descendants_do_not_include_a_unit_whose_id_merely_starts_with_the_same_digits(db):
    # a prefix query on "424242/" must not match "4242421/"
    first = UnitFactory(id=424242, parent=None, kind=Unit.Kind.MINISTRY)
    second = UnitFactory(id=4242421, parent=None, kind=Unit.Kind.MINISTRY)
    child = UnitFactory(parent=first)
    assert set(first.descendants_and_self()) == {first, child}
    assert set(second.descendants_and_self()) == {second}


def test_a_unit_cannot_be_moved_below_itself(oblast, district):
    from django.core.exceptions import ValidationError

    oblast.parent = district
    with pytest.raises(ValidationError):
        oblast.full_clean()
    oblast.parent = oblast
    with pytest.raises(ValidationError):
        oblast.full_clean()
