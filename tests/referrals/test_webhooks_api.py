"""The webhook-endpoint API for the organisation's key and its staff; everyone else refused, another organisation's
endpoints 404, hostile and malformed bodies 4xx JSON."""

import json

import pytest
from django.urls import reverse

from accounts.models import ApiKey
from referrals import webhooks
from referrals.models import WebhookDelivery, WebhookEndpoint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "api-webhook-endpoints"


@pytest.fixture
def key_of():
    def make(recipient) -> dict:
        _, key = ApiKey.objects.create_key(name="integration", organisation=recipient.organisation)
        return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}

    return make


def _post(client, name, body=None, args=(), **headers):
    data = body if isinstance(body, str) else json.dumps(body or {})
    return client.post(reverse(name, args=args), data=data, content_type="application/json", **headers)


def _patch(client, endpoint, body, **headers):
    url = reverse("api-webhook-endpoint", args=[endpoint.pk])
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


NEW = {"url": "http://127.0.0.1:9/hooks", "event_types": ["referral.created", "referral.updated"]}


def test_an_organisations_key_registers_an_endpoint_and_sees_its_secret_once(client, ngo, key_of, webhook_rules):
    key = key_of(ngo)

    response = _post(client, LIST, {**NEW, "description": "Биздин система"}, **key)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 30
    assert body["event_types"] == NEW["event_types"] and body["url"] == NEW["url"]
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert endpoint.organisation == ngo.organisation and endpoint.secret == body["secret"]
    listed = client.get(reverse(LIST), **key).json()
    read = client.get(reverse("api-webhook-endpoint", args=[endpoint.pk]), **key).json()
    assert [e["id"] for e in listed] == [body["id"]]
    assert "secret" not in listed[0] and "secret" not in read
    history = endpoint.history.values()[0]
    assert body["secret"] not in str(history) and "secret" not in history


def test_ngo_staff_signed_in_manage_their_organisations_endpoints(client_for, ngo, ngo_user, webhook_rules):
    client = client_for(ngo_user)

    response = _post(client, LIST, NEW)

    assert response.status_code == 201
    assert WebhookEndpoint.objects.get().organisation == ngo.organisation


def test_another_organisations_endpoint_answers_404_on_every_url(client, ngo, other_ngo, key_of, endpoint_of, receiver):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    key = key_of(other_ngo)
    args = [endpoint.pk]

    answers = [
        client.get(reverse("api-webhook-endpoint", args=args), **key),
        _patch(client, endpoint, {"active": False}, **key),
        client.delete(reverse("api-webhook-endpoint", args=args), **key),
        _post(client, "api-webhook-endpoint-test", args=args, **key),
        _post(client, "api-webhook-endpoint-rotate", args=args, **key),
        client.get(reverse("api-webhook-endpoint-deliveries", args=args), **key),
    ]

    assert [a.status_code for a in answers] == [404] * 6
    assert all(a["Content-Type"] == "application/json" for a in answers)
    assert client.get(reverse(LIST), **key).json() == []
    endpoint.refresh_from_db()
    assert endpoint.active and receiver.received == []


def test_police_users_and_other_staff_are_refused_403(client_for, owner, analyst, webhook_rules):
    for user in (owner, analyst, UserFactory(unit=None, roles=["ngo_staff"], organisation=None)):
        response = _post(client_for(user), LIST, NEW)
        assert response.status_code == 403 and "detail" in response.json()


def test_without_credentials_or_with_a_revoked_key_the_answer_is_401(client, ngo, key_of, webhook_rules):
    key = key_of(ngo)
    ApiKey.objects.update(revoked=True)

    assert client.get(reverse(LIST)).status_code in (401, 403)
    response = client.get(reverse(LIST), **key)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Api-Key"


def test_an_inactive_organisation_is_refused_by_key_and_by_session(client, client_for, ngo, ngo_user, key_of):
    key = key_of(ngo)
    ngo.organisation.active = False
    ngo.organisation.save()

    assert client.get(reverse(LIST), **key).status_code == 401
    assert client_for(ngo_user).get(reverse(LIST)).status_code == 403


def test_change_remove_and_enable_again(client, ngo, key_of, endpoint_of, receiver):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    key = key_of(ngo)

    changed = _patch(client, endpoint, {"event_types": ["referral.withdrawn"], "description": "Жаңы"}, **key)
    removed = client.delete(reverse("api-webhook-endpoint", args=[endpoint.pk]), **key)
    endpoint.refresh_from_db()
    assert (changed.status_code, removed.status_code) == (200, 204)
    assert changed.json()["event_types"] == ["referral.withdrawn"]
    assert not endpoint.active and endpoint.disabled_reason

    enabled = _patch(client, endpoint, {"active": True}, **key)

    assert enabled.status_code == 200 and enabled.json()["active"] is True
    assert enabled.json()["disabled_reason"] == "" and enabled.json()["disabled_at"] is None


def test_the_test_event_is_queued_signed_and_listed_with_its_attempts(
    client, ngo, key_of, endpoint_of, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_of(ngo, receiver.url())
    key = key_of(ngo)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "api-webhook-endpoint-test", args=[endpoint.pk], **key)

    assert response.status_code == 202
    delivery_id = response.json()["delivery_id"]
    (request,) = receiver.received
    assert request.headers["webhook-id"] == delivery_id
    from standardwebhooks import Webhook

    assert Webhook(secret).verify(request.body, request.headers)["type"] == "webhook.test"
    log = client.get(reverse("api-webhook-endpoint-deliveries", args=[endpoint.pk]), **key).json()
    assert log["count"] == 1
    (row,) = log["results"]
    assert (row["id"], row["event_type"], row["status"], row["attempts"]) == (
        delivery_id,
        "webhook.test",
        "delivered",
        1,
    )
    assert row["attempt_log"][0]["status_code"] == 200 and row["delivered_at"]


def test_the_delivery_log_is_paged_with_limit_and_offset_like_every_list_of_the_api(
    client, ngo, key_of, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    with django_capture_on_commit_callbacks(execute=False):  # written, not sent
        for _ in range(3):
            webhooks.webhook_send_test(endpoint=endpoint)
    url = reverse("api-webhook-endpoint-deliveries", args=[endpoint.pk])

    first = client.get(url, {"limit": 2}, **key_of(ngo)).json()
    second = client.get(first["next"], **key_of(ngo)).json()

    assert (first["count"], len(first["results"]), len(second["results"]), second["next"]) == (3, 2, 1, None)
    assert {row["id"] for row in first["results"] + second["results"]} == {
        d.webhook_id for d in WebhookDelivery.objects.filter(endpoint=endpoint)
    }


def test_rotating_the_secret_shows_the_new_one_once_and_keeps_the_old_for_a_day(client, ngo, key_of, endpoint_of):
    endpoint, old = endpoint_of(ngo, "http://127.0.0.1:9/hooks")

    response = _post(client, "api-webhook-endpoint-rotate", args=[endpoint.pk], **key_of(ngo))

    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert response.json()["secret"] == endpoint.secret != old and endpoint.previous_secret == old
    assert response.json()["previous_secret_expires_at"]


def test_the_test_event_of_a_disabled_endpoint_is_refused_400(client, ngo, key_of, endpoint_of):
    endpoint, _secret = endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    webhooks.webhook_endpoint_disable(endpoint=endpoint, reason="turned_off")

    response = _post(client, "api-webhook-endpoint-test", args=[endpoint.pk], **key_of(ngo))

    assert response.status_code == 400 and WebhookDelivery.objects.count() == 0


def test_an_organisation_has_at_most_the_configured_number_of_active_endpoints(client, ngo, key_of, webhook_rules):
    webhook_rules.WEBHOOK_MAX_ENDPOINTS_PER_ORGANISATION = 2
    key = key_of(ngo)

    answers = [_post(client, LIST, NEW, **key).status_code for _ in range(3)]

    assert answers == [201, 201, 400]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "event_types": ["referral.deleted"]}, "event_types"),
        ({**NEW, "event_types": []}, "event_types"),
        ({**NEW, "event_types": "referral.created"}, "event_types"),
        ({**NEW, "url": "http://127.0.0.1:9/\x00"}, "url"),
        ({**NEW, "url": "http://127.0.0.1:9/\u202eabc"}, "url"),
        ({**NEW, "url": "http://127.0.0.1:9/" + "a" * 600}, "url"),
        ({**NEW, "url": "http://user:pw@127.0.0.1:9/"}, "url"),
        ({**NEW, "url": ["http://127.0.0.1:9/"]}, "url"),
        ({**NEW, "description": "Асан\x00ова"}, "description"),
        ({**NEW, "description": "Асан\u202eова"}, "description"),
        ({**NEW, "description": "ж" * 20_000}, "description"),
        ({"event_types": ["referral.created"]}, "url"),
    ],
)
def test_hostile_or_invalid_values_are_field_errors(client, ngo, key_of, webhook_rules, body, field):
    response = _post(client, LIST, body, **key_of(ngo))

    assert response.status_code == 400 and field in response.json(), response.content[:300]
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "[" * 5000 + "]" * 5000, ""])
def test_malformed_json_answers_400_json(client, ngo, key_of, webhook_rules, body):
    response = _post(client, LIST, body, **key_of(ngo))

    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert WebhookEndpoint.objects.count() == 0


def test_a_patch_with_a_hostile_url_changes_nothing(client, ngo, key_of, endpoint_of):
    endpoint, _secret = endpoint_of(ngo, "http://127.0.0.1:9/hooks")

    response = _patch(client, endpoint, {"url": "https://hooks.example.org/\x00"}, **key_of(ngo))

    endpoint.refresh_from_db()
    assert response.status_code == 400 and "url" in response.json() and endpoint.url == "http://127.0.0.1:9/hooks"


def test_the_schema_documents_every_webhook_url_with_examples(client, owner, client_for):
    schema = client_for(owner).get(reverse("api-schema"), {"format": "json"}).json()

    for path in ("/api/v1/webhooks/endpoints/", "/api/v1/webhooks/endpoints/{endpoint_id}/test/"):
        assert path in schema["paths"]
    create = schema["paths"]["/api/v1/webhooks/endpoints/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["examples"]
    assert create["responses"]["201"]["content"]["application/json"]["examples"]
