"""Factories for the test suite."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Unit, User
from cases.models import Case, Victim

TEST_PASSWORD = "correct-horse-battery-staple"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Бөлүм {n}")
    name_ru = factory.Sequence(lambda n: f"Отдел {n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    kind = Unit.Kind.DISTRICT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"officer{n}")
    first_name = "Айбек"
    last_name = factory.Sequence(lambda n: f"Офицеров{n}")
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for role in extracted:
            group, _ = Group.objects.get_or_create(name=str(role))
            self.groups.add(group)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"T-2026-{n:05d}")
    unit = factory.LazyAttribute(lambda o: o.created_by.unit)
    created_by = factory.SubFactory(UserFactory)
    assigned_officer = factory.LazyAttribute(lambda o: o.created_by)
    source = Case.Source.CITIZEN
    received_at = factory.LazyFunction(timezone.now)


class VictimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Victim

    case = factory.SubFactory(CaseFactory)
    last_name = "Асанова"
    first_name = "Айжан"
    sex = "female"
    citizenship = "KG"
