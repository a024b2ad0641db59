"""The access log of the NGO API: a key's read of a referral's personal data is logged with the key and its
organisation (no user), from the client's address and with its user agent; the list shows none and logs none. The
heads' log page and the admin show such rows by organisation and key prefix; the log stays append-only."""

import json

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from accounts.models import ApiKey
from cases.models import PersonalDataAccess
from referrals import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _read(client, key: str, referral, **extra):
    return client.get(
        reverse("api-referral", args=[referral.pk]), HTTP_AUTHORIZATION=f"Api-Key {key}",
        REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="ngo-sync/2.1", **extra,
    )  # fmt: skip


def _key(raw: str) -> ApiKey:
    return ApiKey.objects.get(prefix=raw.partition(".")[0])


def test_a_keys_read_of_the_detail_is_logged_with_the_key_and_its_organisation(
    client, ngo_key, sent_to_ngo, adult, ngo
):
    assert _read(client, ngo_key, sent_to_ngo).status_code == 200

    row = PersonalDataAccess.objects.get()
    assert row.user is None and row.unit is None
    assert row.api_key == _key(ngo_key) and row.organisation == ngo.organisation
    assert (row.action, row.case, row.record_type, row.record_id) == ("view", sent_to_ngo.case, "victim", str(adult.pk))
    assert (row.ip_address, row.user_agent) == ("203.0.113.9", "ngo-sync/2.1")


def test_the_address_is_the_one_the_trusted_proxy_saw(client, ngo_key, sent_to_ngo, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    _read(client, ngo_key, sent_to_ngo, HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.44")

    assert PersonalDataAccess.objects.get().ip_address == "192.0.2.44"


def test_the_list_writes_no_access_log_row(client, ngo_key, sent_to_ngo):
    response = client.get(reverse("api-referrals"), HTTP_AUTHORIZATION=f"Api-Key {ngo_key}")

    assert response.status_code == 200 and response.json()["count"] == 1
    assert not PersonalDataAccess.objects.exists()


def test_a_read_that_shows_no_personal_data_is_not_logged(client, ngo_key, police_case, adult, ngo, owner):
    referral = services.referral_send(
        referral=services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult), actor=owner
    )  # no consent: nothing of the person is shared

    body = _read(client, ngo_key, referral).json()

    assert body["shared"] == [] and not PersonalDataAccess.objects.exists()


def test_a_change_answered_with_the_payload_is_logged_as_a_read(client, ngo_key, sent_to_ngo):
    response = client.post(
        reverse("api-referral-accept", args=[sent_to_ngo.pk]), data="{}", content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {ngo_key}",
    )  # fmt: skip

    assert response.status_code == 200 and "identity" in response.json()
    assert PersonalDataAccess.objects.get().api_key == _key(ngo_key)


def test_a_read_refused_with_404_logs_only_the_refusal_with_the_key(client, other_ngo_key, sent_to_ngo):
    assert _read(client, other_ngo_key, sent_to_ngo).status_code == 404

    [row] = PersonalDataAccess.objects.all()
    key = _key(other_ngo_key)
    assert (row.action, row.user, row.api_key, row.organisation) == ("denied", None, key, key.organisation)
    assert (row.ip_address, row.user_agent, row.purpose) == ("203.0.113.9", "ngo-sync/2.1", "")
    assert (row.record_type, row.record_id, row.case_id) == ("referral", str(sent_to_ngo.pk), sent_to_ngo.case_id)


@pytest.mark.parametrize(
    ("asked", "stored"),
    [
        pytest.param("%00" + "a" * 10, "a" * 10, id="nul"),
        pytest.param("%E2%80%AEabc%E2%81%A6", "abc", id="bidi_overrides"),
        pytest.param("x" * 5000, "x" * 64, id="huge_capped"),
        pytest.param("%D0%90%D1%81%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0", "", id="a_name_typed_for_an_id"),
        pytest.param("00000000-0000-4000-8000-000000000000", "00000000-0000-4000-8000-000000000000", id="unknown"),
    ],
)
def test_a_hostile_id_asked_of_the_api_is_logged_cleaned_and_capped_never_a_500(client, ngo_key, asked, stored):
    response = client.get(
        f"/api/v1/referrals/{asked}/", HTTP_AUTHORIZATION=f"Api-Key {ngo_key}", REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == 404
    [row] = PersonalDataAccess.objects.all()
    assert (row.action, row.record_type, row.record_id, row.case_id) == ("denied", "referral", stored, None)


def test_a_session_read_by_ngo_staff_is_logged_with_the_user_and_the_organisation(
    client_for, ngo_user, sent_to_ngo, ngo
):
    response = client_for(ngo_user).get(reverse("api-referral", args=[sent_to_ngo.pk]))

    assert response.status_code == 200
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.api_key, row.organisation) == (ngo_user, None, ngo.organisation)


def test_the_browser_inbox_logs_ngo_staff_with_their_organisation_too(client_for, ngo_user, sent_to_ngo, ngo):
    client_for(ngo_user).get(reverse("referrals:inbox_detail", args=[sent_to_ngo.pk]))

    row = PersonalDataAccess.objects.get()
    assert (row.user, row.api_key, row.organisation) == (ngo_user, None, ngo.organisation)


def test_a_police_read_keeps_no_organisation(client_for, owner, adult):
    client_for(owner).get(reverse("cases:victim_detail", args=[adult.pk]))

    row = PersonalDataAccess.objects.get()
    assert (row.user, row.api_key, row.organisation, row.unit) == (owner, None, None, owner.unit)


# -- the log's pages ---------------------------------------------------------------------------------------------------
def test_the_head_of_the_cases_unit_sees_the_keys_read_by_organisation_and_key_prefix(
    client, client_for, ngo_key, sent_to_ngo, supervisor, ngo
):
    _read(client, ngo_key, sent_to_ngo)
    client.logout()

    response = client_for(supervisor).get(reverse("cases:access_log"))

    assert response.status_code == 200
    [row] = response.context["page"].object_list
    assert row.api_key == _key(ngo_key)
    table = response.content.decode().split("<table", 1)[1].split("</table>", 1)[0]
    prefix = ngo_key.partition(".")[0]
    assert ngo.organisation.name in table and prefix in table
    assert ngo_key not in table and "None" not in table


def test_the_head_of_another_district_does_not_see_it(client, client_for, ngo_key, sent_to_ngo, other_district):
    _read(client, ngo_key, sent_to_ngo)
    head = UserFactory(unit=other_district, roles=["supervisor"])

    response = client_for(head).get(reverse("cases:access_log"))

    assert list(response.context["page"].object_list) == []


def test_the_admins_access_log_lists_a_keys_read(client, client_for, ngo_key, sent_to_ngo, ministry, ngo):
    _read(client, ngo_key, sent_to_ngo)
    superuser = UserFactory(unit=ministry, is_staff=True, is_superuser=True)

    response = client_for(superuser).get(reverse("admin:cases_personaldataaccess_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert ngo.organisation.name in page and ngo_key.partition(".")[0] in page


def test_a_row_names_a_user_or_a_key(sent_to_ngo):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalDataAccess.objects.create(
            case=sent_to_ngo.case, action="view", record_type="victim", record_id=str(sent_to_ngo.victim_id)
        )


def test_the_service_refuses_a_row_without_a_reader(sent_to_ngo):
    from cases.services import personal_data_access_record

    with pytest.raises(ValueError, match="user or an API key"):
        personal_data_access_record(
            user=None, case=sent_to_ngo.case, record=sent_to_ngo.victim, action="view", ip_address=None
        )


def test_an_organisation_whose_key_read_data_keeps_its_key_in_the_log(client, ngo_key, sent_to_ngo):
    from django.db.models import ProtectedError

    _read(client, ngo_key, sent_to_ngo)

    with pytest.raises(ProtectedError):
        _key(ngo_key).delete()
    assert PersonalDataAccess.objects.get().api_key_id == _key(ngo_key).pk


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE cases_personaldataaccess SET api_key_id = NULL", id="update_key"),
        pytest.param("UPDATE cases_personaldataaccess SET organisation_id = NULL", id="update_organisation"),
        pytest.param("DELETE FROM cases_personaldataaccess", id="delete"),
    ],
)
def test_postgresql_still_refuses_to_change_or_delete_a_keys_row(client, ngo_key, sent_to_ngo, statement):
    _read(client, ngo_key, sent_to_ngo)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    row = PersonalDataAccess.objects.get()
    assert row.api_key_id is not None and row.organisation_id is not None


def test_the_logged_row_holds_no_personal_data(client, ngo_key, sent_to_ngo):
    _read(client, ngo_key, sent_to_ngo)

    stored = json.dumps(list(PersonalDataAccess.objects.values()), default=str, ensure_ascii=False)
    for marker in ["Асанова", "AN1234567", "+996 700 11 22 33", ngo_key]:
        assert marker not in stored
