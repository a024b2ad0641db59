"""The referral mechanism's cast: the directory (an NGO, a social-protection body, a child-protection body, the police
units that receive referrals), their people, and a child and an adult to refer."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from cases import services as case_services
from cases.models import Case
from referrals.models import CATEGORIES, Recipient
from tests.factories import UserFactory


def organisation_recipient(name: str, kind: str, *, region=None, categories=CATEGORIES, **extra) -> Recipient:
    organisation = Organisation.objects.create(name=name, kind=kind)
    return Recipient.objects.create(
        kind=kind, organisation=organisation, region=region, agreement_categories=list(categories), **extra
    )


@pytest.fixture
def ngo(oblast):
    return organisation_recipient(
        "«Ишеним» кризистик борбору", Recipient.Kind.CRISIS_CENTRE, region=oblast, services=["shelter", "legal"],
        phone="+996 312 00 00 00",
    )  # fmt: skip


@pytest.fixture
def other_ngo(ministry):
    return organisation_recipient("«Сезим» борбору", Recipient.Kind.NGO, region=None)


@pytest.fixture
def social_protection(oblast):
    return organisation_recipient("Чүй социалдык коргоо башкармалыгы", Recipient.Kind.SOCIAL_PROTECTION, region=oblast)


@pytest.fixture
def child_protection(oblast):
    return organisation_recipient("Балдарды коргоо бөлүмү", Recipient.Kind.CHILD_PROTECTION, region=oblast)


@pytest.fixture
def ngo_user(ngo):
    return UserFactory(unit=None, roles=[Role.NGO_STAFF], organisation=ngo.organisation)


@pytest.fixture
def other_ngo_user(other_ngo):
    return UserFactory(unit=None, roles=[Role.NGO_STAFF], organisation=other_ngo.organisation)


@pytest.fixture
def kib_officer(district):
    return UserFactory(unit=district, roles=[Role.KIB_OFFICER])


@pytest.fixture
def intl_officer(ministry):
    return UserFactory(unit=ministry, roles=[Role.INTL_COOPERATION])


@pytest.fixture
def intl_recipient(ministry):
    return Recipient.objects.create(kind=Recipient.Kind.INTL_COOPERATION, unit=ministry)


@pytest.fixture
def police_case(owner):
    return case_services.case_create(
        actor=owner,
        data={
            "source": Case.Source.CITIZEN,
            "received_at": timezone.now() - timedelta(hours=3),
            "incident_at": timezone.now() - timedelta(days=1),
            "incident_place": "Бишкек, Ош базары",
            "summary": "Кыз Казакстанга жумушка убада менен алынып кеткен.",
        },
    )


@pytest.fixture
def adult(police_case, owner):
    return case_services.victim_create(
        case=police_case, actor=owner,
        data={"last_name": "Асанова", "first_name": "Айжан", "date_of_birth": date(1995, 4, 1), "sex": "female",
              "phone": "+996 700 11 22 33", "residence_address": "Бишкек, Ахунбаев 12", "citizenship": "KG",
              "id_document_type": "паспорт", "id_document_number": "AN1234567"},
    )  # fmt: skip


@pytest.fixture
def child(police_case, owner):
    return case_services.victim_create(
        case=police_case, actor=owner,
        data={"last_name": "Токтогулова", "first_name": "Бермет", "date_of_birth": date(2012, 2, 2), "sex": "female",
              "phone": "+996 555 00 11 22", "residence_address": "Аламүдүн, Ленин 5", "citizenship": "KG"},
    )  # fmt: skip


@pytest.fixture
def mother(child, owner):
    return case_services.legal_representative_add(
        victim=child,
        actor=owner,
        data={"full_name": "Токтогулова Гүлнара", "relation": "mother", "phone": "+996 700 1"},
    )


# -- the NGO API's callers ---------------------------------------------------------------------------------------------
def api_key_of(organisation, **extra) -> str:
    """A new API key of an organisation: the key itself (shown once), as an integrator would keep it."""
    from accounts.models import ApiKey

    _, key = ApiKey.objects.create_key(name=f"{organisation.name} integration", organisation=organisation, **extra)
    return key


@pytest.fixture
def ngo_key(ngo) -> str:
    return api_key_of(ngo.organisation)


@pytest.fixture
def other_ngo_key(other_ngo) -> str:
    return api_key_of(other_ngo.organisation)


@pytest.fixture
def sent_to_ngo(police_case, adult, ngo, owner):
    """A referral of the adult sent to the NGO, the adult having agreed to share identity and contacts with it."""
    from referrals import services
    from referrals.models import Consent

    services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "given", "contacts": "given"},
        given_by=Consent.GivenBy.VICTIM, informed_how=Consent.Informed.ORALLY, actor=owner,
    )  # fmt: skip
    referral = services.referral_create(
        case=police_case, recipient=ngo, actor=owner, victim=adult, services=["shelter", "legal"],
        message="Кыз бир жумада кайтып келген.", health_needs="нуждается в осмотре",
    )  # fmt: skip
    return services.referral_send(referral=referral, actor=owner)


# -- webhooks ----------------------------------------------------------------------------------------------------------
@pytest.fixture
def receiver():
    """A local HTTP server that records the webhooks it receives."""
    from .webhook_receiver import Receiver

    with Receiver() as running:
        yield running


@pytest.fixture
def webhook_rules(settings):
    """The webhook URL rules of a local run (http and private addresses allowed); tests switch them on."""
    settings.WEBHOOK_REQUIRE_HTTPS = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    return settings


@pytest.fixture
def endpoint_of(webhook_rules):
    """Register an endpoint of a recipient's organisation; return (endpoint, secret)."""
    from referrals.models import SUBSCRIBABLE_EVENTS
    from referrals.webhooks import webhook_endpoint_create

    def register(recipient, url, events=SUBSCRIBABLE_EVENTS):
        return webhook_endpoint_create(organisation=recipient.organisation, url=url, event_types=list(events))

    return register
