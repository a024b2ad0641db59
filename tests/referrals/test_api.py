"""The NGO referral API, every endpoint for every caller: the recipient organisation's key and staff act on its
referrals; another organisation's key or staff, the police who sent it, an analyst see an empty inbox and 404; no
credentials, a revoked or expired key, or a key of an inactive organisation are refused with 401 (ARCHITECTURE §6)."""

import json
from datetime import UTC, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiKey
from referrals import services
from referrals.models import Recipient, Referral, ServiceUpdate
from tests.referrals.conftest import api_key_of

pytestmark = pytest.mark.django_db

ENDPOINTS = ["list", "detail", "patch", "accept", "decline", "updates"]


# -- the callers -------------------------------------------------------------------------------------------------------
@pytest.fixture
def headers_for(client, ngo, other_ngo, ngo_key, other_ngo_key, ngo_user, other_ngo_user, owner, analyst):
    """The request headers of a caller by name, signing the test client in for the session callers."""

    def revoked() -> str:
        key = api_key_of(ngo.organisation)
        ApiKey.objects.filter(prefix=key.partition(".")[0]).update(revoked=True)
        return key

    def of_inactive_organisation() -> str:
        key = api_key_of(ngo.organisation)
        ngo.organisation.active = False
        ngo.organisation.save()
        return key

    keys = {
        "ngo_key": lambda: ngo_key,
        "other_ngo_key": lambda: other_ngo_key,
        "revoked_key": revoked,
        "expired_key": lambda: api_key_of(ngo.organisation, expiry_date=timezone.now() - timedelta(minutes=1)),
        "inactive_organisation_key": of_inactive_organisation,
    }
    users = {"ngo_staff": ngo_user, "other_ngo_staff": other_ngo_user, "inspector": owner, "analyst": analyst}

    def headers(name: str) -> dict:
        if name in keys:
            return {"HTTP_AUTHORIZATION": f"Api-Key {keys[name]()}"}
        if name in users:
            client.force_login(users[name])
        return {}

    return headers


def call(client, endpoint: str, referral: Referral, headers: dict):
    if endpoint == "list":
        return client.get(reverse("api-referrals"), **headers)
    if endpoint == "detail":
        return client.get(reverse("api-referral", args=[referral.pk]), **headers)
    if endpoint == "patch":
        return client.patch(
            reverse("api-referral", args=[referral.pk]), data=json.dumps({"external_ref": "ISH-42"}),
            content_type="application/json", **headers,
        )  # fmt: skip
    body = {"accept": {}, "decline": {"reason": "Орун жок"}, "updates": {"service": "shelter", "note": "Жайгаштырылды"}}
    url = reverse(f"api-referral-{endpoint}", args=[referral.pk])
    return client.post(url, data=json.dumps(body[endpoint]), content_type="application/json", **headers)


def _ready_for(endpoint: str, referral: Referral, ngo_user) -> Referral:
    """A referral in the state the endpoint acts on: accepted for a service update, sent for the others."""
    if endpoint == "updates":
        services.referral_accept(referral=referral, actor=ngo_user)
    return Referral.objects.get(pk=referral.pk)


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


# -- the recipient's key and staff -------------------------------------------------------------------------------------
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("caller", ["ngo_key", "ngo_staff"])
def test_the_recipient_organisation_acts_on_its_referral(client, headers_for, sent_to_ngo, ngo_user, caller, endpoint):
    referral = _ready_for(endpoint, sent_to_ngo, ngo_user)

    response = call(client, endpoint, referral, headers_for(caller))

    assert response.status_code == 200, response.content[:300]
    body = _json(response)
    referral.refresh_from_db()
    if endpoint == "list":
        assert [item["id"] for item in body["results"]] == [str(referral.pk)]
        return
    assert body["id"] == str(referral.pk) and body["status"] == referral.status
    expected = {"detail": "sent", "patch": "sent", "accept": "accepted", "decline": "declined", "updates": "in_service"}
    assert referral.status == expected[endpoint]
    if endpoint == "patch":
        assert referral.external_ref == body["external_ref"] == "ISH-42"
    if endpoint == "decline":
        assert referral.reason == body["reason"] == "Орун жок"
    if endpoint == "updates":
        assert [u["service"] for u in body["updates"]] == ["shelter"]


@pytest.mark.parametrize("endpoint", ["patch", "accept", "decline", "updates"])
def test_a_change_by_key_is_the_organisations_and_by_session_the_users_in_the_history(
    client, headers_for, sent_to_ngo, ngo, ngo_user, endpoint
):
    referral = _ready_for(endpoint, sent_to_ngo, ngo_user)
    before = referral.history.count()

    call(client, endpoint, referral, headers_for("ngo_key"))

    latest = referral.history.order_by("-history_date", "-history_id").first()
    assert referral.history.count() > before
    assert latest.history_user is None
    assert f"(API: organisation {ngo.organisation.pk})" in latest.history_change_reason


def test_a_service_recorded_by_key_is_marked_as_recorded_through_the_api(client, headers_for, sent_to_ngo, ngo_user):
    referral = _ready_for("updates", sent_to_ngo, ngo_user)

    call(client, "updates", referral, headers_for("ngo_key"))

    update = ServiceUpdate.objects.get(referral=referral)
    assert update.recorded_via_api and update.recorded_by is None


def test_a_service_recorded_in_a_session_names_the_worker(client, headers_for, sent_to_ngo, ngo_user):
    referral = _ready_for("updates", sent_to_ngo, ngo_user)

    call(client, "updates", referral, headers_for("ngo_staff"))

    update = ServiceUpdate.objects.get(referral=referral)
    assert update.recorded_by == ngo_user and not update.recorded_via_api


# -- anyone else -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("caller", ["other_ngo_key", "other_ngo_staff", "inspector", "analyst"])
def test_anyone_else_sees_an_empty_inbox_and_404_for_the_referral(
    client, headers_for, sent_to_ngo, ngo_user, caller, endpoint
):
    referral = _ready_for(endpoint, sent_to_ngo, ngo_user)
    before = (referral.status, referral.external_ref, referral.version, referral.updated_at)

    response = call(client, endpoint, referral, headers_for(caller))

    body = _json(response)
    if endpoint == "list":
        assert response.status_code == 200 and body["results"] == [] and body["count"] == 0
    else:
        assert response.status_code == 404 and body == {"detail": "Not found."}
    referral.refresh_from_db()
    assert (referral.status, referral.external_ref, referral.version, referral.updated_at) == before
    assert not ServiceUpdate.objects.exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "caller", ["anonymous", "revoked_key", "expired_key", "inactive_organisation_key"]
)  # fmt: skip
def test_no_credentials_or_an_unusable_key_are_refused_with_401_json(
    client, headers_for, sent_to_ngo, ngo_user, caller, endpoint
):
    referral = _ready_for(endpoint, sent_to_ngo, ngo_user)
    before = (referral.status, referral.version)

    response = call(client, endpoint, referral, headers_for(caller))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert _json(response)["detail"]
    referral.refresh_from_db()
    assert (referral.status, referral.version) == before


def test_a_referral_of_the_other_organisation_answers_404_to_this_one(
    client, headers_for, police_case, adult, other_ngo, owner
):
    referral = services.referral_send(
        referral=services.referral_create(case=police_case, recipient=other_ngo, actor=owner, victim=adult),
        actor=owner,
    )

    assert call(client, "detail", referral, headers_for("ngo_key")).status_code == 404
    assert call(client, "detail", referral, headers_for("other_ngo_key")).status_code == 200


def test_a_draft_is_never_shown_to_the_recipient(client, headers_for, police_case, adult, ngo, owner):
    draft = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)
    headers = headers_for("ngo_key")

    assert call(client, "list", draft, headers).json()["results"] == []
    for endpoint in ["detail", "patch", "accept", "decline"]:
        assert call(client, endpoint, draft, headers).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.external_ref == ""


@pytest.mark.parametrize("referral_id", ["not-a-uuid", "1", "0b7c6a62-5d0e-4a43-9a55-6c1f3f7e2d1", "%00"])
def test_a_malformed_id_answers_404_json(client, ngo_key, referral_id):
    response = client.get(f"/api/v1/referrals/{referral_id}/", HTTP_AUTHORIZATION=f"Api-Key {ngo_key}")

    assert response.status_code == 404 and _json(response) == {"detail": "Not found."}


def test_an_unknown_api_path_answers_404_json(client, ngo_key):
    response = client.get("/api/v1/no-such-thing/", HTTP_AUTHORIZATION=f"Api-Key {ngo_key}")

    assert response.status_code == 404 and _json(response) == {"detail": "Not found."}


def test_police_of_a_receiving_unit_read_their_units_inbox_in_full(client, police_case, adult, owner, district):
    from tests.factories import UserFactory

    kib = Recipient.objects.create(kind=Recipient.Kind.KIB, unit=district)
    kib_officer = UserFactory(unit=district, roles=["kib_officer"])
    referral = services.referral_send(
        referral=services.referral_create(case=police_case, recipient=kib, actor=owner, victim=adult), actor=owner
    )
    client.force_login(kib_officer)

    listed = client.get(reverse("api-referrals")).json()["results"]
    detail = client.get(reverse("api-referral", args=[referral.pk])).json()

    assert [item["id"] for item in listed] == [str(referral.pk)]
    assert detail["withheld"] == [] and detail["identity"]["last_name"] == "Асанова"


# -- what the payload carries ------------------------------------------------------------------------------------------
def test_the_detail_carries_only_the_consented_categories(client, ngo_key, sent_to_ngo):
    response = client.get(reverse("api-referral", args=[sent_to_ngo.pk]), HTTP_AUTHORIZATION=f"Api-Key {ngo_key}")

    body = response.json()
    text = response.content.decode()
    assert body["shared"] == ["contacts", "identity"]
    assert body["withheld"] == ["whereabouts", "health", "case_facts"]
    assert body["identity"]["id_document_number"] == "AN1234567" and body["contacts"]["phone"] == "+996 700 11 22 33"
    for withheld in ["whereabouts", "health", "case_facts"]:
        assert withheld not in body
    for marker in ["Ахунбаев 12", "нуждается в осмотре", "бир жумада", "Ош базары"]:
        assert marker not in text


def test_the_list_carries_no_personal_data(client, ngo_key, sent_to_ngo):
    response = client.get(reverse("api-referrals"), HTTP_AUTHORIZATION=f"Api-Key {ngo_key}")

    [item] = response.json()["results"]
    assert set(item) == {
        "id", "status", "case_number", "recipient", "services", "due_at", "sent_at", "updated_at", "external_ref",
        "child",
    }  # fmt: skip
    assert item["child"] is False and item["services"] == ["shelter", "legal"]
    for marker in ["Асанова", "AN1234567", "+996 700 11 22 33", "Ахунбаев", "осмотре", "жумада"]:
        assert marker not in response.content.decode()


def test_a_withdrawn_consent_stops_the_next_answer_sharing_it(client, ngo_key, sent_to_ngo, adult, owner):
    from referrals.models import Consent

    consent = Consent.objects.get(victim=adult, category="contacts", withdrawn_at__isnull=True)
    services.consent_withdraw(consent=consent, actor=owner, note="Ойлонуп көрүп, баш тартты")

    body = client.get(reverse("api-referral", args=[sent_to_ngo.pk]), HTTP_AUTHORIZATION=f"Api-Key {ngo_key}").json()

    assert body["shared"] == ["identity"] and "contacts" not in body


# -- the list's filters, order and pages -------------------------------------------------------------------------------
@pytest.fixture
def three_referrals(police_case, adult, ngo, owner, sent_to_ngo, ngo_user):
    """The sent one, an accepted one and a declined one, all to the NGO."""
    accepted = services.referral_send(
        referral=services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult), actor=owner
    )
    services.referral_accept(referral=accepted, actor=ngo_user)
    declined = services.referral_send(
        referral=services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult), actor=owner
    )
    services.referral_decline(referral=declined, actor=ngo_user, reason="Орун жок")
    return {"sent": sent_to_ngo.pk, "accepted": accepted.pk, "declined": declined.pk}


def _listed(client, ngo_key, query: str = ""):
    return client.get(reverse("api-referrals") + query, HTTP_AUTHORIZATION=f"Api-Key {ngo_key}")


def _ids(response) -> set:
    assert response.status_code == 200, response.content[:300]
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=sent", {"sent"}),
        ("?status=accepted,declined", {"accepted", "declined"}),
        ("?status=accepted&status=sent", {"accepted", "sent"}),
        ("?status=accepted,%20declined", {"accepted", "declined"}),
        ("?status=closed", set()),
        ("?status=", {"sent", "accepted", "declined"}),
    ],
)
def test_the_list_filters_by_one_or_several_states(client, ngo_key, three_referrals, query, expected):
    assert _ids(_listed(client, ngo_key, query)) == {str(three_referrals[name]) for name in expected}


@pytest.mark.parametrize("query", ["?status=draft", "?status=sent,bogus", "?status=%00", "?status=SENT"])
def test_an_unknown_state_is_a_field_error(client, ngo_key, three_referrals, query):
    response = _listed(client, ngo_key, query)

    assert response.status_code == 400 and "status" in _json(response)


def test_the_list_is_newest_change_first(client, ngo_key, three_referrals):
    oldest_change = Referral.objects.get(pk=three_referrals["sent"])
    services.referral_set_external_ref(referral=oldest_change, external_ref="ISH-1")

    results = _listed(client, ngo_key).json()["results"]

    assert results[0]["id"] == str(oldest_change.pk)
    stamps = [item["updated_at"] for item in results]
    assert stamps == sorted(stamps, reverse=True)


def test_updated_since_keeps_the_referrals_changed_at_or_after_it(client, ngo_key, three_referrals):
    changed = Referral.objects.get(pk=three_referrals["accepted"])
    since = timezone.now() + timedelta(seconds=1)
    Referral.objects.filter(pk=changed.pk).update(updated_at=since + timedelta(seconds=1))

    utc = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    bishkek = timezone.localtime(since).isoformat().replace("+", "%2B")

    assert _ids(_listed(client, ngo_key, f"?updated_since={utc}")) == {str(changed.pk)}
    assert _ids(_listed(client, ngo_key, f"?updated_since={bishkek}")) == {str(changed.pk)}


@pytest.mark.parametrize("offset", [timedelta(hours=16, minutes=2), timedelta(hours=-23, minutes=-59)])
def test_an_offset_postgresql_does_not_take_is_read_as_the_same_instant(client, ngo_key, three_referrals, offset):
    """ISO 8601 (and Python) allow offsets up to ±24 h, PostgreSQL only ±15:59: the fuzzer's 500 (+16:02)."""
    changed = Referral.objects.get(pk=three_referrals["accepted"])
    since = timezone.now() + timedelta(seconds=1)
    Referral.objects.filter(pk=changed.pk).update(updated_at=since + timedelta(seconds=1))
    far = since.astimezone(dt_timezone(offset)).isoformat().replace("+", "%2B")

    assert _ids(_listed(client, ngo_key, f"?updated_since={far}")) == {str(changed.pk)}


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-30T09:00:00",  # no zone
        "2026-11-30",
        "yesterday",
        "2026-02-30T09:00:00Z",
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00%2B06:00",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-12:00",
        "2026-11-30T09:00:00Z%00",
        "9" * 40,
    ],
)
def test_a_bad_updated_since_is_a_field_error(client, ngo_key, three_referrals, value):
    response = _listed(client, ngo_key, f"?updated_since={value}")

    assert response.status_code == 400 and "updated_since" in _json(response)


def test_the_external_ref_stored_with_patch_finds_the_referral(client, ngo_key, three_referrals):
    accepted = three_referrals["accepted"]
    client.patch(
        reverse("api-referral", args=[accepted]), data=json.dumps({"external_ref": "ISH/2026 #42"}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {ngo_key}",
    )  # fmt: skip

    assert _ids(_listed(client, ngo_key, "?external_ref=ISH%2F2026%20%2342")) == {str(accepted)}
    assert _ids(_listed(client, ngo_key, "?external_ref=ISH%2F2026")) == set()
    assert _ids(_listed(client, ngo_key, "?external_ref=ish%2F2026%20%2342")) == set()


@pytest.mark.parametrize("value", ["ISH%00", "ISH%E2%80%AE", "x" * 101])
def test_a_hostile_external_ref_filter_is_a_field_error(client, ngo_key, three_referrals, value):
    response = _listed(client, ngo_key, f"?external_ref={value}")

    assert response.status_code == 400 and "external_ref" in _json(response)


def test_the_list_is_paged_and_the_page_size_is_bounded(client, ngo_key, three_referrals):
    first = _listed(client, ngo_key, "?limit=2").json()
    second = client.get(first["next"], HTTP_AUTHORIZATION=f"Api-Key {ngo_key}").json()

    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    assert len(second["results"]) == 1 and second["next"] is None
    assert {r["id"] for r in first["results"] + second["results"]} == {str(pk) for pk in three_referrals.values()}


@pytest.mark.parametrize("query", ["?limit=100000", "?limit=-1", "?limit=abc", "?offset=" + "9" * 40, "?offset=-5"])
def test_odd_page_parameters_never_fail(client, ngo_key, three_referrals, query):
    response = _listed(client, ngo_key, query)

    assert response.status_code == 200 and len(response.json()["results"]) <= 3


def test_a_page_larger_than_the_largest_is_cut_to_it(client, ngo_key, three_referrals, monkeypatch):
    from accounts.api_pagination import LimitOffsetPages

    monkeypatch.setattr(LimitOffsetPages, "max_limit", 2)

    assert len(_listed(client, ngo_key, "?limit=100").json()["results"]) == 2


def test_a_session_change_without_the_csrf_token_is_refused_with_403_json(sent_to_ngo, ngo_user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ngo_user)
    browser.get(reverse("referrals:inbox"))  # sets the CSRF cookie
    url = reverse("api-referral-accept", args=[sent_to_ngo.pk])

    refused = browser.post(url, data="{}", content_type="application/json")
    accepted = browser.post(
        url, data="{}", content_type="application/json", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
    )

    assert refused.status_code == 403 and _json(refused)["detail"]
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
