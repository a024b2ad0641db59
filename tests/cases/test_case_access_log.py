"""One case's access log, for the heads of its unit: who read its personal data, when, why and from where, and who was
refused it. Also the refused requests themselves (action "denied") as the selectors write them, and the purposes."""

from datetime import date

import pytest
from django.http import Http404
from django.urls import reverse

from accounts.models import Organisation
from accounts.readers import Reader
from accounts.roles import Role
from cases import selectors, services
from cases.models import Case, PersonalDataAccess
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim(case, owner):
    Case.objects.filter(pk=case.pk).update(summary="Кыз Москвага алынып кеткен.")
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
        },
    )


@pytest.fixture
def ngo_with_grant(ministry, case, owner):
    ishenim = Organisation.objects.create(name="Ишеним", kind=Organisation.Kind.NGO)
    user = UserFactory(unit=ministry, roles=[Role.NGO_STAFF], organisation=ishenim)
    services.case_grant_access(case=case, grantee=user, actor=owner)
    return user


@pytest.fixture
def analyst_with_grant(analyst, case, owner):
    services.case_grant_access(case=case, grantee=analyst, actor=owner)
    return analyst


@pytest.fixture
def other_head(other_district):
    return UserFactory(unit=other_district, roles=[Role.SUPERVISOR])


@pytest.fixture
def superuser(ministry):
    return UserFactory(unit=ministry, is_staff=True, is_superuser=True)


def _log_url(case) -> str:
    return reverse("cases:case_access_log", args=[case.pk])


# ---------------------------------------------------------------------------
# Who opens the case's log
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["supervisor", "oblast_head", "superuser"])
def test_the_heads_of_the_cases_unit_tree_and_superusers_read_who_read_the_case_and_who_was_refused(
    client_for, owner, outsider, victim, request, who
):
    # given the owner read the person from a known address, and an officer of another district was refused
    client_for(owner).get(reverse("cases:victim_detail", args=[victim.pk]), REMOTE_ADDR="10.1.2.3")
    client_for(outsider).get(reverse("cases:victim_detail", args=[victim.pk]), REMOTE_ADDR="10.9.9.9")
    before = PersonalDataAccess.objects.count()

    response = client_for(request.getfixturevalue(who)).get(_log_url(victim.case))

    assert response.status_code == 200
    body = response.content.decode()
    assert str(owner) in body and str(outsider) in body
    assert "10.1.2.3" in body and "10.9.9.9" in body
    shown = {(row.action, row.purpose) for row in response.context["page"].object_list}
    assert shown == {("view", "case_work"), ("denied", "")}
    # the page itself shows nothing personal and logs nothing
    for personal in ("Асанова", "Айжан", "0555 12 34 56", "Москвага"):
        assert personal not in body
    assert PersonalDataAccess.objects.count() == before


STRANGERS = ["owner", "colleague", "analyst_with_grant", "ngo_with_grant", "other_head", "outsider"]


@pytest.mark.parametrize("who", STRANGERS)
def test_everyone_else_gets_404_and_the_refusal_is_logged(client_for, victim, request, who):
    user = request.getfixturevalue(who)

    assert client_for(user).get(_log_url(victim.case)).status_code == 404
    [row] = PersonalDataAccess.objects.filter(user=user)
    assert (row.action, row.record_type, row.case_id) == ("denied", "case", victim.case_id)


def test_the_case_page_offers_the_log_to_its_heads_only(client_for, owner, supervisor, victim):
    assert _log_url(victim.case) in client_for(supervisor).get(victim.case.get_absolute_url()).content.decode()
    assert _log_url(victim.case) not in client_for(owner).get(victim.case.get_absolute_url()).content.decode()


def test_the_log_of_a_case_shows_fifty_rows_a_page_newest_first(client_for, owner, supervisor, victim):
    reader = Reader(user=owner, ip_address="10.0.0.1")
    for _ in range(51):
        services.personal_data_read_record(reader=reader, case=victim.case, record=victim, action="view")
    client = client_for(supervisor)

    first = client.get(_log_url(victim.case))
    second = client.get(_log_url(victim.case), {"page": "2"})
    hostile = client.get(_log_url(victim.case), {"page": "9\x00\u202e"})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert hostile.status_code == 200
    rows = list(first.context["page"].object_list)
    assert rows == sorted(rows, key=lambda row: (row.at, row.pk), reverse=True)


def test_the_log_holds_only_the_cases_rows(client_for, owner, supervisor, victim, outsider):
    other = services.case_create(actor=outsider, data={"source": Case.Source.CITIZEN})
    services.personal_data_read_record(reader=Reader(user=outsider), case=other, record=other, action="view")

    response = client_for(supervisor).get(_log_url(victim.case))

    assert all(row.case_id == victim.case_id for row in response.context["page"].object_list)


# ---------------------------------------------------------------------------
# Refused requests, written by the selectors
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("asked", "stored"),
    [
        pytest.param("abc\x00def", "abcdef", id="nul"),
        pytest.param("\u202eabc\u2066", "abc", id="bidi"),
        pytest.param("9" * 10_000, "9" * 64, id="huge"),
        pytest.param("Асанова Айжан", "", id="a_name_is_not_kept"),
        pytest.param(None, "None", id="none"),
    ],
)
def test_a_hostile_id_is_refused_with_404_and_logged_cleaned_and_capped(owner, asked, stored):
    with pytest.raises(Http404):
        selectors.victim_get_for_reader(reader=Reader(user=owner, ip_address="10.0.0.7"), victim_id=asked)

    [row] = PersonalDataAccess.objects.all()
    assert (row.action, row.record_type, row.record_id, row.case_id) == ("denied", "victim", stored, None)
    assert (row.user, row.unit, row.ip_address) == (owner, owner.unit, "10.0.0.7")


def test_nested_selectors_write_one_row_for_one_refusal(outsider, victim):
    # case_get_for_screening calls case_get_with_personal_data, which calls case_get_for_user: one refusal, one row
    reader = Reader(user=outsider, ip_address="10.0.0.8")
    with pytest.raises(Http404):
        selectors.case_get_for_screening(reader=reader, case_id=victim.case_id, action="view")

    [row] = PersonalDataAccess.objects.all()
    assert (row.action, row.case_id, row.ip_address) == ("denied", victim.case_id, "10.0.0.8")


def test_a_found_object_writes_no_denied_row(owner, victim):
    selectors.victim_get_for_reader(reader=Reader(user=owner), victim_id=victim.pk)
    assert list(PersonalDataAccess.objects.values_list("action", flat=True)) == ["view"]


def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_is_logged(client, victim):
    response = client.get(reverse("cases:victim_detail", args=[victim.pk]))
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()


def test_a_refusal_of_a_missing_case_has_no_case(client_for, owner):
    missing = "00000000-0000-4000-8000-000000000000"
    assert client_for(owner).get(reverse("cases:detail", args=[missing])).status_code == 404
    [row] = PersonalDataAccess.objects.all()
    assert (row.action, row.record_type, row.record_id, row.case) == ("denied", "case", missing, None)
    # the case page's selector is given only the user: the address is the request's all the same
    assert (row.ip_address, row.user_agent) == ("127.0.0.1", "")


# ---------------------------------------------------------------------------
# Why data was read
# ---------------------------------------------------------------------------
def test_the_referral_form_shows_the_people_and_logs_a_read_for_a_referral(client_for, owner, victim):
    response = client_for(owner).get(reverse("referrals:new", args=[victim.case_id]))

    assert response.status_code == 200
    # initials, sex and age of each person of the case: who is referred
    assert any("А. А." in str(label) for _, label in response.context["form"].fields["victim"].choices)
    [row] = PersonalDataAccess.objects.all()
    assert (row.action, row.purpose, row.case_id) == ("view", "referral", victim.case_id)


@pytest.mark.parametrize(
    ("stated", "stored"),
    [("supervision", "supervision"), ("", "export"), ("nonsense\x00", "export"), ("denied", "export")],
)
def test_an_export_with_personal_data_keeps_the_purpose_the_exporter_stated(
    client_for, supervisor, victim, stated, stored
):
    response = client_for(supervisor).get(reverse("reports:cases_csv"), {"personal": "1", "purpose": stated})

    assert response.status_code == 200
    b"".join(response.streaming_content)
    [row] = PersonalDataAccess.objects.all()
    assert (row.action, row.purpose, row.case_id) == ("export", stored, victim.case_id)


def test_the_export_form_asks_why(client_for, supervisor, victim):
    body = client_for(supervisor).get(reverse("cases:list")).content.decode()
    assert 'name="purpose"' in body


def test_a_screening_printed_as_pdf_is_logged_for_printing(client_for, owner, victim):
    from screening.services import screening_record

    screening = screening_record(
        case=victim.case,
        actor=owner,
        victim=victim,
        facts={"act_date": "2025-03-01", "victim_date_of_birth": "2008-06-01", "acts": ["recruitment"]},
    )
    response = client_for(owner).get(reverse("screening:result_pdf", args=[screening.pk]))

    assert response.status_code == 200
    [row] = PersonalDataAccess.objects.all()
    assert (row.action, row.purpose, row.record_type) == ("download", "printing", "screening")


def test_the_admins_log_lists_a_refusal_without_a_case_and_filters_by_purpose(client_for, owner, superuser):
    services.personal_data_denied_record(reader=Reader(user=owner), record_type="victim", requested_id="x\x00y")
    client = client_for(superuser)

    listed = client.get(reverse("admin:cases_personaldataaccess_changelist"))
    filtered = client.get(reverse("admin:cases_personaldataaccess_changelist"), {"purpose__exact": "case_work"})

    assert listed.status_code == filtered.status_code == 200
    assert "xy" in listed.content.decode()
    assert "xy" not in filtered.content.decode()
