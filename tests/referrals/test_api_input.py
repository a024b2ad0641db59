"""Hostile and wrong bodies sent to the NGO referral API's changes: always a JSON 4xx naming what is wrong, never a
500, and nothing stored; a change the referral's state does not allow answers 409."""

import json

import pytest
from django.urls import reverse

from referrals import services
from referrals.models import Referral, ServiceUpdate

pytestmark = pytest.mark.django_db

CHANGES = ["patch", "accept", "decline", "updates"]
VALID = {
    "patch": {"external_ref": "ISH-42"},
    "accept": {},
    "decline": {"reason": "Орун жок"},
    "updates": {"service": "shelter", "note": "Жайгаштырылды", "given_on": "2026-11-30"},
}


@pytest.fixture
def referral(sent_to_ngo, ngo_user):
    return sent_to_ngo


def _url(change: str, referral: Referral) -> str:
    name = "api-referral" if change == "patch" else f"api-referral-{change}"
    return reverse(name, args=[referral.pk])


def send(client, key: str, change: str, referral: Referral, body, content_type: str = "application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    method = client.patch if change == "patch" else client.post
    return method(_url(change, referral), data=data, content_type=content_type, HTTP_AUTHORIZATION=f"Api-Key {key}")


def ready(change: str, referral: Referral, ngo_user) -> Referral:
    if change == "updates":
        services.referral_accept(referral=referral, actor=ngo_user)
    return Referral.objects.get(pk=referral.pk)


def assert_json_4xx(response, *statuses: int) -> dict:
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_unchanged(referral: Referral) -> None:
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.external_ref, stored.reason, stored.version) == (
        referral.status, referral.external_ref, referral.reason, referral.version,
    )  # fmt: skip
    assert not ServiceUpdate.objects.exists()


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize(
    "body",
    [
        pytest.param('{"reason": ', id="truncated"),
        pytest.param("{'reason': 'x'}", id="single_quotes"),
        pytest.param("not json", id="text"),
        pytest.param('{"reason": "x",}', id="trailing_comma"),
        pytest.param(b"\xff\xfe{}", id="not_utf8"),
        pytest.param('{"reason": NaN}', id="nan"),
    ],
)
def test_malformed_json_answers_400_json(client, ngo_key, referral, ngo_user, change, body):
    referral = ready(change, referral, ngo_user)

    assert assert_json_4xx(send(client, ngo_key, change, referral, body), 400)
    assert_unchanged(referral)


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("body", ["[]", '[{"reason": "x"}]', '"a string"', "42", "null", "true"])
def test_a_json_value_that_is_not_an_object_answers_400(client, ngo_key, referral, ngo_user, change, body):
    referral = ready(change, referral, ngo_user)

    assert assert_json_4xx(send(client, ngo_key, change, referral, body), 400)
    assert_unchanged(referral)


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("bracket", ["[", '{"a":'], ids=["lists", "objects"])
def test_json_nested_very_deep_answers_400(client, ngo_key, referral, ngo_user, change, bracket):
    referral = ready(change, referral, ngo_user)
    depth = 100_000
    body = bracket * depth + ("]" if bracket == "[" else "}") * depth

    assert assert_json_4xx(send(client, ngo_key, change, referral, body), 400)["detail"]
    assert_unchanged(referral)


@pytest.mark.parametrize("change", CHANGES)
def test_json_nested_moderately_deep_inside_a_field_is_a_field_error(client, ngo_key, referral, ngo_user, change):
    referral = ready(change, referral, ngo_user)
    field = {"patch": "external_ref", "accept": "reason", "decline": "reason", "updates": "note"}[change]
    body = '{"' + field + '": ' + "[" * 200 + "]" * 200 + "}"

    assert field in assert_json_4xx(send(client, ngo_key, change, referral, body), 400)
    assert_unchanged(referral)


@pytest.mark.parametrize("change", CHANGES)
def test_a_body_over_the_upload_limit_answers_413(client, ngo_key, referral, ngo_user, change, settings):
    referral = ready(change, referral, ngo_user)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = send(client, ngo_key, change, referral, {**VALID[change], "padding": "ж" * 2_000})

    assert assert_json_4xx(response, 413)["detail"]
    assert_unchanged(referral)


@pytest.mark.parametrize("change", CHANGES)
def test_a_form_body_answers_415(client, ngo_key, referral, ngo_user, change):
    referral = ready(change, referral, ngo_user)

    response = send(client, ngo_key, change, referral, "reason=x", content_type="application/x-www-form-urlencoded")

    assert assert_json_4xx(response, 415)["detail"]
    assert_unchanged(referral)


@pytest.mark.parametrize(
    ("change", "field"), [("patch", "external_ref"), ("decline", "reason"), ("updates", "note")]
)  # fmt: skip
@pytest.mark.parametrize("hidden", ["\x00", "\u202e", "\u2066"], ids=["NUL", "RLO", "LRI"])
def test_hidden_characters_in_text_are_refused(client, ngo_key, referral, ngo_user, change, field, hidden):
    referral = ready(change, referral, ngo_user)
    body = {**VALID[change], field: f"ISH{hidden}42"}

    assert field in assert_json_4xx(send(client, ngo_key, change, referral, body), 400)
    assert_unchanged(referral)


@pytest.mark.parametrize(
    ("change", "field", "length"),
    [("patch", "external_ref", 101), ("decline", "reason", 501), ("updates", "note", 501)],
)
def test_text_over_its_length_is_a_field_error(client, ngo_key, referral, ngo_user, change, field, length):
    referral = ready(change, referral, ngo_user)

    response = send(client, ngo_key, change, referral, {**VALID[change], field: "ж" * length})

    assert field in assert_json_4xx(response, 400)
    assert_unchanged(referral)


@pytest.mark.parametrize(
    "given_on", ["0001-01-01", "1899-12-31", "9999-12-31", "2026-02-30", "30.11.2026", "", 20261130]
)
def test_an_implausible_service_date_is_a_field_error(client, ngo_key, referral, ngo_user, given_on):
    referral = ready("updates", referral, ngo_user)

    response = send(client, ngo_key, "updates", referral, {"service": "shelter", "given_on": given_on})

    assert "given_on" in assert_json_4xx(response, 400)
    assert_unchanged(referral)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"service": "spa"}, id="unknown_service"),
        pytest.param({}, id="nothing"),
        pytest.param({"service": "", "note": "  "}, id="blank"),
        pytest.param({"service": ["shelter"]}, id="a_list"),
        pytest.param({"close": "perhaps"}, id="close_not_a_boolean"),
        pytest.param({"service": "shelter", "recorded_by": 1}, id="unknown_field"),
    ],
)
def test_a_wrong_service_update_is_a_field_error(client, ngo_key, referral, ngo_user, body):
    referral = ready("updates", referral, ngo_user)

    errors = assert_json_4xx(send(client, ngo_key, "updates", referral, body), 400)

    assert set(errors) <= {"service", "note", "close", "recorded_by"} and errors
    assert_unchanged(referral)


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": None}, {"reason": ["x"]}])
def test_a_decline_without_a_reason_is_a_field_error(client, ngo_key, referral, body):
    response = send(client, ngo_key, "decline", referral, body)

    assert assert_json_4xx(response, 400)
    assert_unchanged(referral)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"status": "accepted"}, {"status"}),
        ({"external_ref": "A", "reason": "x", "services": []}, {"reason", "services"}),
        ({}, {"external_ref"}),
        ({"external_ref": None}, {"external_ref"}),
        ({"external_ref": ["A"]}, {"external_ref"}),
    ],
)
def test_patch_changes_only_external_ref_and_names_any_other_field(client, ngo_key, referral, body, named):
    errors = assert_json_4xx(send(client, ngo_key, "patch", referral, body), 400)

    assert set(errors) == named
    assert_unchanged(referral)


def test_accept_refuses_any_field(client, ngo_key, referral):
    errors = assert_json_4xx(send(client, ngo_key, "accept", referral, {"reason": "x"}), 400)

    assert set(errors) == {"reason"}
    assert_unchanged(referral)


def test_accept_takes_an_empty_body(client, ngo_key, referral):
    response = client.post(
        _url("accept", referral), HTTP_AUTHORIZATION=f"Api-Key {ngo_key}", content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_an_empty_external_ref_clears_it(client, ngo_key, referral):
    send(client, ngo_key, "patch", referral, {"external_ref": "ISH-42"})

    response = send(client, ngo_key, "patch", referral, {"external_ref": "  "})

    assert response.status_code == 200 and response.json()["external_ref"] == ""
    assert Referral.objects.get(pk=referral.pk).external_ref == ""


def test_storing_the_same_external_ref_again_writes_no_history(client, ngo_key, referral):
    send(client, ngo_key, "patch", referral, {"external_ref": "ISH-42"})
    count = referral.history.count()

    send(client, ngo_key, "patch", referral, {"external_ref": "ISH-42"})

    assert referral.history.count() == count


# -- the referral's state ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("accept", "accept"),
        ("accept", "decline"),
        ("decline", "accept"),
        ("decline", "decline"),
        ("decline", "updates"),
    ],
)
def test_a_change_the_state_does_not_allow_answers_409(client, ngo_key, referral, first, then):
    assert send(client, ngo_key, first, referral, VALID[first]).status_code == 200
    before = Referral.objects.get(pk=referral.pk)

    response = send(client, ngo_key, then, referral, VALID[then])

    assert assert_json_4xx(response, 409)["detail"]
    assert_unchanged(before)


def test_a_service_on_a_referral_not_yet_accepted_answers_409(client, ngo_key, referral):
    response = send(client, ngo_key, "updates", referral, VALID["updates"])

    assert assert_json_4xx(response, 409)["detail"]
    assert_unchanged(referral)


def test_a_closed_referral_takes_no_more_services(client, ngo_key, referral, ngo_user):
    referral = ready("updates", referral, ngo_user)
    assert send(client, ngo_key, "updates", referral, {"close": True}).json()["status"] == "closed"

    response = send(client, ngo_key, "updates", referral, VALID["updates"])

    assert assert_json_4xx(response, 409)["detail"]
    assert not ServiceUpdate.objects.exists()


def test_a_withdrawn_referral_cannot_be_accepted_but_keeps_its_external_ref_editable(client, ngo_key, referral, owner):
    services.referral_withdraw(referral=referral, actor=owner, reason="Үйүнө кайтты")

    assert send(client, ngo_key, "accept", referral, {}).status_code == 409
    assert send(client, ngo_key, "patch", referral, {"external_ref": "ISH-42"}).status_code == 200
