"""API-wide answers to hostile bodies: always JSON, 4xx, never a verdict on facts nobody sent, never a 500."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiKey, Organisation

pytestmark = pytest.mark.django_db

URL = "/api/v1/screening/qualify/"


@pytest.fixture
def api_key(db) -> str:
    organisation = Organisation.objects.create(name="Тунгуч", kind=Organisation.Kind.NGO)
    _, key = ApiKey.objects.create_key(name="Тунгуч integration", organisation=organisation)
    return key


@pytest.fixture
def with_key(api_key) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {api_key}"}


@pytest.fixture
def officer_session(owner) -> Client:
    """A signed-in officer whose requests are CSRF-checked, as a browser's are."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get(reverse("cases:list"))  # sets the CSRF cookie
    return client


def _csrf(client: Client) -> dict:
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def assert_json_error(response, *statuses: int) -> dict:
    assert response.status_code in statuses, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert "verdict" not in body
    return body


def test_the_url_is_the_qualify_endpoint():
    assert reverse("api-qualify") == URL


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("bracket", ["[", '{"a":'], ids=["lists", "objects"])
def test_json_nested_very_deep_answers_400_json(client, with_key, depth, bracket):
    closing = "]" if bracket == "[" else "}"
    body = bracket * depth + closing * depth

    response = client.post(URL, data=body, content_type="application/json", **with_key)

    assert assert_json_error(response, 400)["detail"]


def test_json_nested_moderately_deep_inside_a_fact_is_a_field_error(client, with_key):
    body = '{"acts": ' + "[" * 200 + "]" * 200 + "}"

    response = client.post(URL, data=body, content_type="application/json", **with_key)

    assert "acts" in assert_json_error(response, 400)


def test_an_empty_body_answers_400_json_not_a_verdict(client, with_key):
    response = client.post(URL, data="", content_type="application/json", **with_key)

    assert assert_json_error(response, 400)["detail"]


def test_an_empty_json_object_is_still_valid_every_fact_being_optional(client, with_key):
    response = client.post(URL, data="{}", content_type="application/json", **with_key)

    assert response.status_code == 200
    assert response.json()["verdict"]


def test_a_multipart_body_answers_415_json(client, with_key):
    response = client.post(URL, {"acts": "recruitment"}, **with_key)  # the test client's default: multipart

    assert assert_json_error(response, 415)["detail"]


def test_an_empty_multipart_body_answers_415_json(client, with_key):
    response = client.post(URL, {}, **with_key)

    assert assert_json_error(response, 415)["detail"]


def test_a_form_encoded_body_answers_415_json(client, with_key):
    response = client.post(
        URL, "acts=recruitment&victim_age=15", content_type="application/x-www-form-urlencoded", **with_key
    )

    assert assert_json_error(response, 415)["detail"]


def test_a_multipart_body_from_a_signed_in_officer_answers_415_json(officer_session):
    """The CSRF check reads the multipart form before the API sees the body: it must still not be taken as {}."""
    response = officer_session.post(URL, {}, **_csrf(officer_session))

    assert assert_json_error(response, 415)["detail"]


def test_a_body_over_the_upload_limit_answers_413_json(client, with_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = json.dumps({"acts": ["recruitment"] * 200})

    response = client.post(URL, data=body, content_type="application/json", **with_key)

    assert assert_json_error(response, 413)["detail"]


def test_a_form_body_over_the_upload_limit_from_a_signed_in_officer_answers_json(officer_session, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = "acts=" + "x" * 5_000

    response = officer_session.post(
        URL, body, content_type="application/x-www-form-urlencoded", **_csrf(officer_session)
    )

    assert_json_error(response, 400, 413, 415)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('{"acts": ["recruit\\u0000ment"]}', id="nul_in_a_code"),
        pytest.param('{"act\\u0000_date": "2024-01-01"}', id="nul_in_a_key"),
        pytest.param('{"acts": ["\\u202erecruitment"]}', id="direction_override_in_a_code"),
        pytest.param('{"act_date": "2024-01-01\\u0000"}', id="nul_in_a_date"),
        pytest.param('{"victim_age": 1e400}', id="number_too_large_for_a_float"),
        pytest.param('{"victim_age": NaN}', id="not_a_number"),
        pytest.param('{"victim_age": ' + "9" * 5_000 + "}", id="integer_with_5000_digits"),
    ],
)
def test_hostile_values_in_the_json_answer_400_json(client, with_key, body):
    response = client.post(URL, data=body, content_type="application/json", **with_key)

    assert_json_error(response, 400)
