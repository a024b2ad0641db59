"""The API's rate limit: API_THROTTLE_RATE requests per window for each key (and each signed-in user), answered 429
JSON with Retry-After past it; another key is not slowed by it; a cache (Redis) outage does not fail the API."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.api_throttle import parse_rate
from tests.accounts.test_throttle import DEAD_REDIS
from tests.referrals.conftest import api_key_of

pytestmark = pytest.mark.django_db

# A window of a day: the test never straddles two windows (it would the minute's end, now and then).
RATE = "3/day"


def _list(client, key: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    return client.get(reverse("api-referrals"), **headers)


def test_the_request_past_the_rate_is_429_for_that_key_while_another_key_passes(
    client, ngo_key, other_ngo_key, settings
):
    settings.API_THROTTLE_RATE = RATE

    answers = [_list(client, ngo_key).status_code for _ in range(4)]
    refused = _list(client, ngo_key)
    other = _list(client, other_ngo_key)

    assert answers == [200, 200, 200, 429]
    assert refused.status_code == 429 and refused["Content-Type"].startswith("application/json")
    assert refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 86_400
    assert other.status_code == 200


def test_two_keys_of_one_organisation_are_counted_apart(client, ngo, ngo_key, settings):
    settings.API_THROTTLE_RATE = RATE
    second_key = api_key_of(ngo.organisation)

    for _ in range(3):
        _list(client, ngo_key)

    assert _list(client, ngo_key).status_code == 429
    assert _list(client, second_key).status_code == 200


def test_every_endpoint_counts_towards_the_keys_rate(client, ngo_key, sent_to_ngo, settings):
    settings.API_THROTTLE_RATE = RATE
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {ngo_key}"}

    client.get(reverse("api-referral", args=[sent_to_ngo.pk]), **headers)
    client.post(reverse("api-referral-accept", args=[sent_to_ngo.pk]), content_type="application/json", **headers)
    _list(client, ngo_key)
    refused = client.post(
        reverse("api-referral-decline", args=[sent_to_ngo.pk]), data='{"reason": "x"}',
        content_type="application/json", **headers,
    )  # fmt: skip

    assert refused.status_code == 429
    sent_to_ngo.refresh_from_db()
    assert sent_to_ngo.status == "accepted"


def test_a_signed_in_user_has_a_rate_of_their_own(client, client_for, ngo_user, ngo_key, settings):
    settings.API_THROTTLE_RATE = RATE
    for _ in range(3):
        _list(client, ngo_key)

    session = client_for(ngo_user)
    answers = [_list(session).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_with_the_cache_down_the_api_answers_and_still_counts(client, ngo_key, other_ngo_key, settings):
    settings.CACHES = DEAD_REDIS
    settings.API_THROTTLE_RATE = RATE

    answers = [_list(client, ngo_key).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert _list(client, other_ngo_key).status_code == 200


def test_an_empty_rate_means_no_limit(client, ngo_key, settings):
    settings.API_THROTTLE_RATE = ""

    assert {_list(client, ngo_key).status_code for _ in range(5)} == {200}


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("600/min", (600, 60)),
        ("10/s", (10, 1)),
        ("5000/hour", (5000, 3600)),
        ("1/day", (1, 86400)),
        (" 2 / m ", (2, 60)),
        ("", None),
        ("0/min", None),
    ],
)
def test_the_rate_reads_as_requests_per_period(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["600", "600/fortnight", "many/min", "/min"])
def test_a_rate_that_does_not_read_is_a_configuration_error(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)
