"""What the API fuzzers run against: the WSGI application in this process, the callers (an NGO's API key, a signed-in
1899 hotline operator, nobody) and a few referrals and webhook endpoints for the generated requests to reach.

The fuzzers send every request through Django's real WSGI handler (as gunicorn would), not the test client: the CSRF
check, the middleware and the error pages are the production ones. Each request runs in a savepoint rolled back after
it, so every generated case meets the same data (a `sent` referral stays `sent` for the next `accept`) and a run of
thousands of cases costs no cleaning.
"""

import contextlib
import os
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import ApiKey, Organisation
from accounts.roles import Role
from cases import services as case_services
from cases.models import Case
from referrals import services as referral_services
from referrals.models import CATEGORIES, Consent, Recipient
from referrals.webhooks import webhook_endpoint_create

from .factories import UnitFactory, UserFactory


def fuzz_cases(name: str, *, ci: int, local: int) -> int:
    """How many cases a fuzzer runs: the environment variable `name`, else `ci` when CI=true, else `local`."""
    value = os.environ.get(name, "").strip()
    if value:
        return max(1, int(value))
    return ci if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else local


@dataclass
class Caller:
    """Who sends a request: its headers (and cookies), and whether it must send the CSRF token on a change."""

    name: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class FuzzWorld:
    app: object
    ngo_key: str
    callers: list[Caller]
    referral_ids: list[str]
    endpoint_ids: list[str]


@contextlib.contextmanager
def wsgi_in_test_transaction():
    """The WSGI application, without closing the test's database connection at the end of each request (what Django's
    test client does too: the connection holds the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextlib.contextmanager
def rolled_back():
    """Run one request in a savepoint and undo it: each case meets the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _organisation_recipient(name: str, kind: str, *, region=None) -> Recipient:
    organisation = Organisation.objects.create(name=name, kind=kind, code=name.lower().replace(" ", "-"))
    return Recipient.objects.create(
        kind=kind, organisation=organisation, region=region, agreement_categories=list(CATEGORIES), services=["shelter"]
    )


def _session_caller(name: str, user) -> Caller:
    """A signed-in session with its CSRF token (cookie and header), as the browser of the user would send them."""
    client = Client()
    client.force_login(user)
    token = secrets.token_hex(16)  # 32 characters of the CSRF alphabet: Django takes it as the cookie's secret
    return Caller(
        name,
        headers={"X-CSRFToken": token},
        cookies={"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
    )


def build_world(settings, app) -> FuzzWorld:
    """The data the fuzzers meet; the API's limits that would turn every later case into a 429 are lifted."""
    settings.API_THROTTLE_RATE = ""
    settings.API_KEY_FAILURE_LIMIT = 10**9
    settings.WEBHOOK_REQUIRE_HTTPS = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True

    ministry = UnitFactory(code="mvd", name="ИИМ", kind="ministry", parent=None)
    oblast = UnitFactory(code="chui", name="Чүй облустук ИИБ", kind="oblast", parent=ministry)
    district = UnitFactory(code="alamudun", name="Аламүдүн ИИБ", kind="district", parent=oblast)
    owner = UserFactory(unit=district, roles=[Role.INSPECTOR])
    hotline_operator = UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])
    ngo = _organisation_recipient("Ishenim", Recipient.Kind.CRISIS_CENTRE, region=oblast)
    other_ngo = _organisation_recipient("Sezim", Recipient.Kind.NGO)
    hotline_desk = Recipient.objects.create(kind=Recipient.Kind.HOTLINE_DESK, unit=district)
    _, ngo_key = ApiKey.objects.create_key(name="fuzz", organisation=ngo.organisation)

    case = case_services.case_create(
        actor=owner,
        data={
            "source": Case.Source.HOTLINE_1899,
            "received_at": timezone.now() - timedelta(hours=3),
            "incident_at": timezone.now() - timedelta(days=1),
            "incident_place": "Бишкек, Ош базары",
            "summary": "Кыз Казакстанга жумушка убада менен алынып кеткен.",
        },
    )
    adult = case_services.victim_create(
        case=case, actor=owner,
        data={"last_name": "Асанова", "first_name": "Айжан", "date_of_birth": date(1995, 4, 1), "sex": "female",
              "phone": "+996 700 11 22 33", "citizenship": "KG"},
    )  # fmt: skip
    referral_services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "given", "contacts": "given"},
        given_by=Consent.GivenBy.VICTIM, informed_how=Consent.Informed.ORALLY, actor=owner,
    )  # fmt: skip

    def sent(recipient):
        draft = referral_services.referral_create(
            case=case, recipient=recipient, actor=owner, victim=adult, services=["shelter"], message="Жардам керек."
        )
        return referral_services.referral_send(referral=draft, actor=owner)

    sent_to_ngo = sent(ngo)
    accepted = referral_services.referral_accept(referral=sent(ngo), actor=None, organisation=ngo.organisation)
    to_other = sent(other_ngo)
    to_desk = sent(hotline_desk)
    draft = referral_services.referral_create(case=case, recipient=ngo, actor=owner, victim=adult)
    endpoint, _ = webhook_endpoint_create(
        organisation=ngo.organisation, url="http://127.0.0.1:9/hooks", event_types=["referral.created"]
    )
    other_endpoint, _ = webhook_endpoint_create(
        organisation=other_ngo.organisation, url="http://127.0.0.1:9/other", event_types=["referral.updated"]
    )
    callers = [
        Caller("ngo key", headers={"Authorization": f"Api-Key {ngo_key}"}),
        _session_caller("hotline session", hotline_operator),
        Caller("nobody"),
    ]
    return FuzzWorld(
        app=app,
        ngo_key=ngo_key,
        callers=callers,
        referral_ids=[str(r.pk) for r in (sent_to_ngo, accepted, to_other, to_desk, draft)],
        endpoint_ids=[str(endpoint.pk), str(other_endpoint.pk)],
    )
