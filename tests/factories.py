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


# -- the rapport (reports/models.py): made here directly, without the builder's services ----------------------------
class RapportFactory(factory.django.DjangoModelFactory):
    """A complete draft rapport of a new case: every one of the seven items filled, the qualification Art. 166."""

    class Meta:
        model = "reports.Rapport"

    case = factory.SubFactory(CaseFactory)
    officer = factory.LazyAttribute(lambda o: o.case.created_by)
    unit = factory.LazyAttribute(lambda o: o.case.unit)
    rapport_date = factory.LazyFunction(timezone.localdate)
    circumstances = (
        "2026-жылдын 3-мартында Бишкек шаарындагы Ош базарында жабырлануучуга Казакстанда жумуш убада кылынган."
    )
    offenders = "Орто бойлуу, 35 жаштардагы эркек, «Бакыт» деп таанышкан; Алматы шаарында жашайт, куралы жок."
    traces = "Колунда көгөргөн издер бар."
    sites = "Алматы облусу, Каскелең, тигүү цехи; ошол жерде дагы 4 кыз болушу мүмкүн."
    identity = "Асанова Айжан, 1995-ж.т., Бишкек, Ахунбаев көч. 12; энеси — Асанова Гүлнара."
    indicators = "Документтери тартылып алынган, туугандары менен байланышы жок, эмгек акысы төлөнгөн эмес."
    consequences = "Жабырлануучу 3 ай бою акысыз иштетилген, ден соолугуна зыян келтирилген."
    qualification_verdict = "art_166"
    qualification_articles = factory.LazyFunction(lambda: ["166"])
    qualification_explanation = factory.LazyFunction(
        lambda: {
            "ky": "Аракет (ташуу), каражат (алдоо) жана максат (мажбурлап иштетүү) аныкталды: 166-берене.",
            "ru": "Установлены деяние (перевозка), способ (обман) и цель (принудительный труд): ст. 166.",
        }
    )
