"""The personal-data access log: one row per read of personal data, on every page that shows it, from the right address.

Also the duplicate check's probes (logged with their query kinds and keyed hashes, rate-limited per user, other units
counted only for the roles that need it) and the append-only guarantee of the table on PostgreSQL.
"""

import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.utils import DatabaseError
from django.urls import reverse

from accounts.roles import Role
from cases import selectors, services
from cases.models import Case, PersonalDataAccess, Victim
from screening.services import screening_record
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(owner):
    case = CaseFactory(created_by=owner, summary="Кыз Москвага алынып кеткен.")
    return case


@pytest.fixture
def victim(case, owner):
    return services.victim_create(
        case=case,
        actor=owner,
        data={
            "last_name": "Асанова",
            "first_name": "Айжан",
            "sex": "female",
            "citizenship": "KG",
            "date_of_birth": date(2008, 6, 1),
            "phone": "0555 12 34 56",
            "id_document_number": "AN1234567",
        },
    )


@pytest.fixture
def screening(case, owner, victim):
    return screening_record(
        case=case,
        actor=owner,
        victim=victim,
        facts={"act_date": "2025-03-01", "victim_date_of_birth": "2008-06-01", "acts": ["recruitment"]},
    )


@pytest.fixture
def kib_officer(district):
    return UserFactory(unit=district, roles=[Role.KIB_OFFICER])


@pytest.fixture
def superuser(ministry):
    return UserFactory(unit=ministry, is_staff=True, is_superuser=True)


def _victim_form(victim: Victim, **changes) -> dict:
    data = {
        "last_name": victim.last_name,
        "first_name": victim.first_name,
        "sex": victim.sex,
        "citizenship": victim.citizenship,
        "date_of_birth": victim.date_of_birth.isoformat() if victim.date_of_birth else "",
        "phone": victim.phone,
        "id_document_number": victim.id_document_number,
        "identity_established_by": victim.identity_established_by,
        "version": victim.version,
    }
    data.update(changes)
    return data


def _case_form(case: Case, **changes) -> dict:
    data = {
        "source": case.source,
        "received_at": "2026-01-05T10:00",
        "status": case.status,
        "summary": case.summary,
        "assigned_officer": case.assigned_officer_id,
        "version": case.version,
    }
    data.update(changes)
    return data


def _screening_form(**changes) -> dict:
    data = {"act_date": "2025-03-01", "victim_age": "15", "acts": ["recruitment"], "suspect_sane": "", "notes": ""}
    data.update(changes)
    return data


# Every page that shows personal data: (what, how to ask, expected action, expected record type)
def _victim_detail(c, w):
    return c.get(reverse("cases:victim_detail", args=[w["victim"].pk]))


def _victim_edit_form(c, w):
    return c.get(reverse("cases:victim_edit", args=[w["victim"].pk]))


def _victim_edit_stale(c, w):
    stale = _victim_form(w["victim"], phone="0700 00 00 00")
    services.victim_update(victim=w["victim"], actor=w["duty_officer"], data={"phone": "0700 99 88 77"}, version=1)
    response = c.post(reverse("cases:victim_edit", args=[w["victim"].pk]), stale)
    assert response.status_code == 409
    return response


def _case_detail(c, w):
    return c.get(reverse("cases:detail", args=[w["case"].pk]))


def _case_edit_form(c, w):
    return c.get(reverse("cases:edit", args=[w["case"].pk]))


def _case_edit_stale(c, w):
    stale = _case_form(w["case"], summary="Башка текст.")
    services.case_update(case=w["case"], actor=w["duty_officer"], data={"incident_place": "Кант"}, version=1)
    response = c.post(reverse("cases:edit", args=[w["case"].pk]), stale)
    assert response.status_code == 409
    return response


def _wizard(c, w):
    return c.get(reverse("screening:wizard", args=[w["case"].pk]))


def _wizard_refused(c, w):
    response = c.post(reverse("screening:wizard", args=[w["case"].pk]), _screening_form(act_date=""))
    assert response.status_code == 400
    return response


def _preview(c, w):
    return c.post(reverse("screening:preview", args=[w["case"].pk]), _screening_form(), **HTMX)


def _screening_detail(c, w):
    return c.get(reverse("screening:detail", args=[w["screening"].pk]))


def _download(c, w):
    return c.get(reverse("cases:attachment_download", args=[w["attachment"].pk]))


def _duplicate_check(c, w):
    return c.post(reverse("cases:victim_duplicates", args=[w["case"].pk]), {"last_name": "Асанова"}, **HTMX)


def _new_person_checked(c, w):
    data = {"last_name": "Асанова", "first_name": "Айжан", "sex": "female", "citizenship": "KG"}
    response = c.post(
        reverse("cases:victim_create", args=[w["case"].pk]), {**data, "identity_established_by": "not_yet"}
    )
    assert response.status_code == 200  # asks to confirm: a possible match
    return response


def _admin_change(c, w):
    return c.get(reverse("admin:cases_case_change", args=[w["case"].pk]))


def _admin_history(c, w):
    return c.get(reverse("admin:cases_case_history", args=[w["case"].pk]))


def _admin_history_version(c, w):
    version = w["case"].history.first()
    return c.get(reverse("admin:cases_case_simple_history", args=[w["case"].pk, version.history_id]))


READS = [
    pytest.param(_victim_detail, "view", "victim", id="person_page"),
    pytest.param(_victim_edit_form, "edit_form", "victim", id="person_edit_form"),
    pytest.param(_victim_edit_stale, "edit_form", "victim", id="person_stale_edit_409"),
    pytest.param(_case_detail, "view", "case", id="case_page_with_circumstances"),
    pytest.param(_case_edit_form, "edit_form", "case", id="case_edit_form"),
    pytest.param(_case_edit_stale, "edit_form", "case", id="case_stale_edit_409"),
    pytest.param(_wizard, "edit_form", "case", id="screening_wizard"),
    pytest.param(_wizard_refused, "edit_form", "case", id="screening_wizard_refused"),
    pytest.param(_preview, "view", "case", id="screening_preview"),
    pytest.param(_screening_detail, "view", "screening", id="screening_page"),
    pytest.param(_download, "download", "attachment", id="file_download"),
    pytest.param(_duplicate_check, "duplicate_check", "case", id="live_duplicate_check"),
    pytest.param(_new_person_checked, "duplicate_check", "case", id="new_person_duplicate_check"),
]
ADMIN_READS = [
    pytest.param(_admin_change, "view", "case", id="admin_case_change_page"),
    pytest.param(_admin_history, "history", "case", id="admin_case_history_page"),
    pytest.param(_admin_history_version, "history", "case", id="admin_case_history_version_page"),
]


@pytest.fixture
def world(owner, duty_officer, case, victim, screening):
    attachment = services.attachment_add(
        case=case, actor=owner, upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x"), kind="document", max_bytes=10**6
    )
    return {
        "case": case,
        "victim": victim,
        "screening": screening,
        "attachment": attachment,
        "duty_officer": duty_officer,
    }


@pytest.mark.parametrize(("read", "action", "record_type"), READS)
def test_every_page_that_shows_personal_data_writes_exactly_one_access_log_row(
    client_for, owner, world, read, action, record_type
):
    response = read(client_for(owner), world)

    assert response.status_code in (200, 409, 400)
    [row] = PersonalDataAccess.objects.all()
    assert (row.user, row.unit, row.action, row.record_type) == (owner, owner.unit, action, record_type)
    assert row.case_id == world["case"].pk
    assert row.ip_address == "127.0.0.1"


@pytest.mark.parametrize(("read", "action", "record_type"), ADMIN_READS)
def test_the_admins_case_pages_write_exactly_one_access_log_row(
    client_for, owner, superuser, world, read, action, record_type
):
    # given the circumstances were rewritten once, so that the history shows them too
    services.case_update(case=world["case"], actor=owner, data={"summary": "Кыз Москвага сатылган."}, version=1)

    response = read(client_for(superuser), world)

    assert response.status_code == 200
    assert "Москвага" in response.content.decode()
    [row] = PersonalDataAccess.objects.all()
    assert (row.user, row.action, row.record_type, row.record_id) == (
        superuser,
        action,
        record_type,
        str(world["case"].pk),
    )


def test_the_case_page_without_circumstances_still_writes_one_row_it_shows_the_people(client_for, owner, world):
    Case.objects.filter(pk=world["case"].pk).update(summary="")
    assert client_for(owner).get(reverse("cases:detail", args=[world["case"].pk])).status_code == 200
    [row] = PersonalDataAccess.objects.all()
    assert (row.action, row.purpose, row.record_type) == ("view", "case_work", "case")


def test_the_case_page_in_outline_for_an_analyst_writes_no_row(client_for, owner, world):
    analyst = UserFactory(unit=owner.unit, roles=[Role.ANALYST])
    services.case_grant_access(case=world["case"], grantee=analyst, actor=owner)
    response = client_for(analyst).get(reverse("cases:detail", args=[world["case"].pk]))
    assert response.status_code == 200
    assert "Асанова" not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize(
    ("read", "record_type", "record"),
    [
        pytest.param(_victim_detail, "victim", "victim", id="person_page"),
        pytest.param(_victim_edit_form, "victim", "victim", id="person_edit_form"),
        pytest.param(_case_edit_form, "case", "case", id="case_edit_form"),
        pytest.param(_wizard, "case", "case", id="screening_wizard"),
        pytest.param(_preview, "case", "case", id="screening_preview"),
        pytest.param(_screening_detail, "screening", "screening", id="screening_page"),
        pytest.param(_download, "attachment", "attachment", id="file_download"),
        pytest.param(_duplicate_check, "case", "case", id="live_duplicate_check"),
    ],
)
def test_a_page_refused_with_404_writes_one_denied_row_and_no_personal_data(
    client_for, outsider, world, read, record_type, record
):
    assert read(client_for(outsider), world).status_code == 404

    [row] = PersonalDataAccess.objects.all()
    assert (row.user, row.unit, row.action, row.purpose) == (outsider, outsider.unit, "denied", "")
    assert (row.record_type, row.record_id) == (record_type, str(world[record].pk))
    assert row.case_id == world["case"].pk  # the id named an existing object: its case's heads see the attempt
    assert row.ip_address == "127.0.0.1"
    assert (row.query_kinds, row.name_hash, row.phone_hash, row.document_hash) == ("", "", "", "")


# ---------------------------------------------------------------------------
# The client's address, through trusted proxies
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "recorded"),
    [
        pytest.param(0, "198.51.100.9", "10.0.0.2", id="no_proxy_trusted_the_header_is_ignored"),
        pytest.param(1, "198.51.100.9, 203.0.113.7", "203.0.113.7", id="one_proxy_the_last_hop_is_the_client"),
        pytest.param(2, "198.51.100.9, 203.0.113.7", "198.51.100.9", id="two_proxies"),
        pytest.param(2, "203.0.113.7", "10.0.0.2", id="fewer_hops_than_proxies_falls_back_to_the_peer"),
        pytest.param(1, "not-an-address", "10.0.0.2", id="garbage_falls_back_to_the_peer"),
        pytest.param(1, "2001:db8::7", "2001:db8::7", id="ipv6"),
    ],
)
def test_the_access_log_records_the_clients_address_through_the_trusted_proxies(
    settings, client_for, owner, victim, proxies, forwarded_for, recorded
):
    settings.TRUSTED_PROXY_COUNT = proxies

    client_for(owner).get(
        reverse("cases:victim_detail", args=[victim.pk]), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for
    )

    assert PersonalDataAccess.objects.get().ip_address == recorded


# ---------------------------------------------------------------------------
# The duplicate check: who probed which number, rate limit, other units' count by role
# ---------------------------------------------------------------------------
def test_a_duplicate_check_is_logged_with_its_query_kinds_and_without_the_numbers_in_clear(client_for, owner, case):
    client_for(owner).post(
        reverse("cases:victim_duplicates", args=[case.pk]),
        {
            "last_name": "Асанова",
            "first_name": "Айжан",
            "phone": "+996 555 123 456",
            "id_document_number": "AN 1234567",
        },
        **HTMX,
    )

    row = PersonalDataAccess.objects.get()
    assert row.action == "duplicate_check"
    assert set(row.query_kinds.split(",")) == {"name", "phone", "document"}
    stored = " ".join(str(value) for value in PersonalDataAccess.objects.values().get().values())
    for in_clear in ("555123456", "123456", "1234567", "Асанова", "asanova"):
        assert in_clear not in stored


@pytest.mark.parametrize(
    ("looked_up", "found"),
    [
        pytest.param({"phone": "0555 123-456"}, True, id="phone_in_another_format"),
        pytest.param({"document_number": "an1234567"}, True, id="document_in_another_case"),
        pytest.param({"name": "Asanova Aizhan"}, True, id="name_in_latin"),
        pytest.param({"phone": "0555 000 000"}, False, id="another_phone"),
    ],
)
def test_a_supervisor_finds_who_probed_a_number(client_for, owner, case, looked_up, found):
    client_for(owner).post(
        reverse("cases:victim_duplicates", args=[case.pk]),
        {
            "last_name": "Асанова",
            "first_name": "Айжан",
            "phone": "+996 555 123 456",
            "id_document_number": "AN 1234567",
        },
        **HTMX,
    )

    probes = selectors.personal_data_probes_of(**looked_up)

    assert [row.user for row in probes] == ([owner] if found else [])


def test_the_admin_search_of_the_access_log_finds_who_probed_a_phone(client_for, owner, superuser, case):
    client_for(owner).post(reverse("cases:victim_duplicates", args=[case.pk]), {"phone": "0555 12 34 56"}, **HTMX)
    client = client_for(superuser)

    response = client.get(reverse("admin:cases_personaldataaccess_changelist"), {"q": "+996 555 12-34-56"})

    assert response.status_code == 200
    assert [row.user for row in response.context["cl"].result_list] == [owner]
    other = client.get(reverse("admin:cases_personaldataaccess_changelist"), {"q": "0700 99 88 77"})
    assert list(other.context["cl"].result_list) == []


def test_the_duplicate_check_is_refused_with_429_past_the_limit_and_logs_no_more(settings, client_for, owner, case):
    settings.DUPLICATE_CHECK_RATE = (3, 600)
    client = client_for(owner)
    url = reverse("cases:victim_duplicates", args=[case.pk])

    answers = [client.post(url, {"last_name": "Асанова"}, **HTMX) for _ in range(4)]

    assert [response.status_code for response in answers] == [200, 200, 200, 429]
    assert 'id="duplicates"' in answers[-1].content.decode()
    assert answers[-1].context["rate_limited"]
    assert PersonalDataAccess.objects.count() == 3


def test_the_limit_counts_per_user(settings, client_for, owner, duty_officer, case):
    settings.DUPLICATE_CHECK_RATE = (1, 600)
    url = reverse("cases:victim_duplicates", args=[case.pk])

    assert client_for(owner).post(url, {"last_name": "Асанова"}, **HTMX).status_code == 200
    assert client_for(duty_officer).post(url, {"last_name": "Асанова"}, **HTMX).status_code == 200
    assert client_for(owner).post(url, {"last_name": "Асанова"}, **HTMX).status_code == 429


def test_saving_a_new_person_past_the_limit_keeps_the_form_and_saves_nothing(settings, client_for, owner, case):
    settings.DUPLICATE_CHECK_RATE = (1, 600)
    client = client_for(owner)
    client.post(reverse("cases:victim_duplicates", args=[case.pk]), {"last_name": "Асанова"}, **HTMX)
    client.cookies["cms_language"] = "en"
    data = {"last_name": "Бекова", "first_name": "Нурай", "sex": "female", "citizenship": "KG"}

    response = client.post(
        reverse("cases:victim_create", args=[case.pk]), {**data, "identity_established_by": "not_yet"}
    )

    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many duplicate checks" in body
    assert 'value="Бекова"' in body and 'value="Нурай"' in body
    assert not Victim.objects.filter(last_name="Бекова").exists()


def test_the_rate_limit_lets_exactly_the_limit_through_when_requests_race(settings):
    from accounts.throttle import rate_limit_allows

    # given twenty requests of one user at the same instant, and a limit of five
    barrier = threading.Barrier(20)
    allowed = []

    def check():
        barrier.wait()
        allowed.append(rate_limit_allows(scope="duplicate_check", user_id=42, limit=5, window_seconds=600))

    threads = [threading.Thread(target=check) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 5


@pytest.fixture
def match_in_another_district(outsider):
    foreign_case = CaseFactory(created_by=outsider)
    return services.victim_create(
        case=foreign_case,
        actor=outsider,
        data={"last_name": "Асанова", "first_name": "Айжан", "sex": "female", "citizenship": "KG"},
    )


@pytest.mark.parametrize(
    ("role_fixture", "counted"),
    [("owner", False), ("duty_officer", True), ("supervisor", True), ("kib_officer", True)],
)
def test_the_count_of_matches_in_other_units_is_shown_only_to_duty_officers_heads_and_kib(
    request, client_for, case, match_in_another_district, role_fixture, counted
):
    client = client_for(request.getfixturevalue(role_fixture))
    client.cookies["cms_language"] = "en"

    response = client.post(
        reverse("cases:victim_duplicates", args=[case.pk]), {"last_name": "Асанова", "first_name": "Айжан"}, **HTMX
    )

    assert response.status_code == 200
    assert ("more possible match is in a case of another unit" in response.content.decode()) is counted
    assert (response.context["duplicates"].hidden_count == 1) is counted


# ---------------------------------------------------------------------------
# Append-only
# ---------------------------------------------------------------------------
def test_a_case_with_access_log_rows_cannot_be_deleted(client_for, owner, victim):
    client_for(owner).get(reverse("cases:victim_detail", args=[victim.pk]))
    with pytest.raises(ProtectedError):
        victim.case.delete()
    assert Case.objects.filter(pk=victim.case.pk).exists()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE cases_personaldataaccess SET action = 'export'", id="update"),
        pytest.param("DELETE FROM cases_personaldataaccess", id="delete"),
    ],
)
def test_postgresql_refuses_to_change_or_delete_an_access_log_row_even_in_raw_sql(client_for, owner, victim, statement):
    client_for(owner).get(reverse("cases:victim_detail", args=[victim.pk]))

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert PersonalDataAccess.objects.get().action == "view"
