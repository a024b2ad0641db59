"""Failed API-key authentications are throttled per client address: the 6th failed attempt in a row from one address
within the window is refused with 429 JSON (a right key too, from that address), never a 500; other addresses are not
affected, a success clears the count, and the window passing lifts the refusal."""

import pytest
from django.core.cache import cache

from accounts.models import ApiKey, Organisation

pytestmark = pytest.mark.django_db

QUALIFY = "/api/v1/screening/qualify/"
ATTACKER = "198.51.100.7"
PARTNER = "203.0.113.20"


@pytest.fixture
def key(db) -> str:
    organisation = Organisation.objects.create(name="Тунгуч", kind=Organisation.Kind.NGO)
    return ApiKey.objects.create_key(name="Тунгуч integration", organisation=organisation)[1]


def call(client, authorization: str, address: str = ATTACKER):
    return client.post(
        QUALIFY, data="{}", content_type="application/json", HTTP_AUTHORIZATION=authorization, REMOTE_ADDR=address
    )


def fail(client, times: int, address: str = ATTACKER) -> None:
    for attempt in range(times):
        assert call(client, f"Api-Key guess{attempt}.nope", address).status_code == 401


def test_five_failed_keys_are_answered_401_then_the_sixth_attempt_429_json(client):
    fail(client, 5)

    response = call(client, "Api-Key guess6.nope")

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_a_right_key_from_the_refused_address_is_refused_too(client, key):
    fail(client, 5)

    assert call(client, f"Api-Key {key}").status_code == 429


def test_a_right_key_from_another_address_still_works(client, key):
    fail(client, 5)

    assert call(client, f"Api-Key {key}", address=PARTNER).status_code == 200


def test_a_success_clears_the_count(client, key):
    fail(client, 4)
    assert call(client, f"Api-Key {key}").status_code == 200

    fail(client, 4)

    assert call(client, f"Api-Key {key}").status_code == 200


def test_the_refusal_ends_with_the_window(client, key):
    fail(client, 5)
    assert call(client, f"Api-Key {key}").status_code == 429

    cache.clear()  # the window's counter expires (its timeout) instead of waiting

    assert call(client, f"Api-Key {key}").status_code == 200


def test_the_limit_and_window_come_from_the_settings(client, settings):
    assert (settings.API_KEY_FAILURE_LIMIT, settings.API_KEY_FAILURE_WINDOW_SECONDS) == (5, 15 * 60)
    settings.API_KEY_FAILURE_LIMIT = 2
    fail(client, 2)

    assert call(client, "Api-Key again.nope").status_code == 429


def test_requests_without_a_key_are_not_counted(client, key):
    for _ in range(10):
        assert client.post(QUALIFY, data="{}", content_type="application/json", REMOTE_ADDR=ATTACKER).status_code in (
            401,
            403,
        )

    assert call(client, f"Api-Key {key}").status_code == 200


MALFORMED = [
    "Api-Key ",
    "Api-Key \x00\x00",
    "Api-Key \u202eyek",
    "Api-Key " + "k" * 10_000,
    "Api-Key a.b.c.d",
    "Api-Key ../../etc/passwd",
    "Bearer x",
    "Api-Key",
]


def test_malformed_keys_are_counted_and_never_a_500(client):
    statuses = [call(client, header).status_code for header in MALFORMED * 3]

    assert all(status < 500 for status in statuses)
    assert 429 in statuses


def test_the_address_is_read_through_the_trusted_proxies(client, key, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        client.post(
            QUALIFY,
            data="{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Api-Key g{attempt}.x",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )

    behind_the_same_proxy = client.post(
        QUALIFY,
        data="{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=PARTNER,
    )
    assert behind_the_same_proxy.status_code == 200
