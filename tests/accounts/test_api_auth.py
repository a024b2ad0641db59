"""API keys (`Authorization: Api-Key <key>`): hashed, one organisation each, revocable, refused once it is inactive."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework_api_key.models import APIKey

from accounts.models import ApiKey, Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUALIFY = "/api/v1/screening/qualify/"


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Тунгуч", kind=Organisation.Kind.NGO)


@pytest.fixture
def key_pair(organisation):
    return ApiKey.objects.create_key(name="Тунгуч integration", organisation=organisation)


def qualify(client, key: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key is not None else {}
    return client.post(QUALIFY, data="{}", content_type="application/json", **headers)


def test_a_valid_key_is_accepted(client, key_pair):
    assert qualify(client, key_pair[1]).status_code == 200


def test_a_key_stops_working_when_its_organisation_is_deactivated(client, organisation, key_pair):
    organisation.active = False
    organisation.save()

    response = qualify(client, key_pair[1])

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert "detail" in response.json()


def test_an_expired_key_is_refused(client, organisation):
    _, key = ApiKey.objects.create_key(
        name="old", organisation=organisation, expiry_date=timezone.now() - timedelta(minutes=1)
    )
    assert qualify(client, key).status_code == 401


@pytest.mark.parametrize("authorization", ["Api-Key not-a-real-key", "Api-Key ", "Api-Key abc.def"])
def test_a_wrong_key_is_refused_with_401_and_the_scheme(client, key_pair, authorization):
    response = client.post(QUALIFY, data="{}", content_type="application/json", HTTP_AUTHORIZATION=authorization)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_usable_key_without_an_organisation_cannot_be_stored(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiKey.objects.create_key(name="nobody's")


def test_the_admin_asks_for_the_organisation_of_a_new_key(client_for, ministry):
    superuser = UserFactory(unit=ministry, is_staff=True, is_superuser=True)

    response = client_for(superuser).post(reverse("admin:accounts_apikey_add"), {"name": "no organisation"})

    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not ApiKey.objects.exists()


@pytest.mark.urls("tests.accounts.api_probe_urls")
def test_the_authentication_puts_the_key_and_its_organisation_on_request_auth(client, key_pair):
    key_object, key = key_pair

    response = client.get("/probe/", HTTP_AUTHORIZATION=f"Api-Key {key}")

    assert response.status_code == 200
    assert response.json() == {"key_prefix": key_object.prefix, "organisation": "Тунгуч"}


@pytest.mark.urls("tests.accounts.api_probe_urls")
def test_a_session_carries_no_api_key_on_request_auth(client, owner):
    client.force_login(owner)
    assert client.get("/probe/").json() == {"key_prefix": None, "organisation": None}


def test_the_librarys_own_key_model_is_not_offered_in_the_admin(client_for, ministry):
    superuser = UserFactory(unit=ministry, is_staff=True, is_superuser=True)

    assert not admin.site.is_registered(APIKey)
    assert client_for(superuser).get("/admin/rest_framework_api_key/apikey/").status_code == 404
    assert admin.site.is_registered(ApiKey)
