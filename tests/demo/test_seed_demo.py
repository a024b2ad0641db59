"""`manage.py seed_demo`: idempotent, district by district, and the credentials file outside tools read."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings

from accounts.models import Unit
from accounts.roles import Role
from cases.models import Case
from referrals.models import WebhookEndpoint
from trafficking_cms.management.commands.seed_demo import DEMO_PASSWORD

from ..factories import CaseFactory, UnitFactory, UserFactory


@pytest.fixture
def seed(db, monkeypatch, tmp_path):
    """Run seed_demo as `make run` does; return the credentials file it wrote (kept out of the developer's var/)."""
    monkeypatch.setenv("TESTING", "1")  # seed_demo refuses to run outside debug, demo or test mode

    def run() -> dict:
        with override_settings(BASE_DIR=tmp_path):
            call_command("seed_demo", stdout=io.StringIO())
        return json.loads((tmp_path / "var" / "demo-credentials.json").read_text(encoding="utf-8"))

    return run


def _snapshot() -> dict:
    """Every row of every table, as values: what a second run must leave exactly as it was."""
    snapshot = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        snapshot[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return snapshot


def test_running_the_demo_again_changes_nothing(seed):
    first_credentials = seed()
    before = _snapshot()
    second_credentials = seed()
    after = _snapshot()
    assert [label for label in before if before[label] != after[label]] == []
    assert second_credentials == first_credentials


def test_a_district_that_already_has_cases_gets_no_demo_cases(seed):
    # given a database where Alamudun already has a case (an older demo, or real work)
    chui = UnitFactory(code="chui", kind=Unit.Kind.OBLAST, parent=UnitFactory(code="mvd", kind=Unit.Kind.MINISTRY))
    alamudun = UnitFactory(code="alamudun", kind=Unit.Kind.DISTRICT, parent=chui)
    existing = CaseFactory(created_by=UserFactory(unit=alamudun, roles=[Role.INSPECTOR]))

    # when the demo is loaded
    seed()

    # then Alamudun keeps just its case, and the other districts get theirs
    assert list(Case.objects.filter(unit__code="alamudun")) == [existing]
    assert Case.objects.filter(unit__code="sokuluk").count() >= 5
    assert Case.objects.filter(unit__code="kara-suu").count() >= 5


def test_credentials_file_keeps_its_format(seed):
    credentials = seed()
    assert set(credentials) == {"users", "api_keys", "ngo_api_key", "webhooks"}
    assert set(credentials["api_keys"]) == {"demo-ngo-a", "demo-ngo-b"}
    assert credentials["ngo_api_key"] == credentials["api_keys"]["demo-ngo-a"]
    (webhook,) = credentials["webhooks"].values()
    endpoint = WebhookEndpoint.objects.get(pk=webhook["endpoint_id"], organisation__code="demo-ngo-a")
    assert (webhook["url"], webhook["secret"]) == (endpoint.url, endpoint.secret)
    assert endpoint.secret.startswith("whsec_")
    for entry in credentials["users"]:
        assert set(entry) == {"role", "username", "password", "unit"}
        assert entry["password"] == DEMO_PASSWORD
    usernames = {entry["username"] for entry in credentials["users"]}
    assert {"inspector", "district_officer", "duty_officer", "investigator", "kib_officer", "supervisor",
            "oblast_head", "intl_cooperation", "hotline", "analyst", "ngo", "ngo_b", "admin"} <= usernames  # fmt: skip
