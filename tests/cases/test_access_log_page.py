"""The heads' access-log page: who read personal data in their units, who probed which phone or document number.

A duplicate check's numbers are stored only as keyed hashes; the page hashes what the head types the same way.
"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from cases.models import PersonalDataAccess
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PAGE = "cases:access_log"


def _probe(client_for, officer, case, **fields) -> None:
    """Run the live duplicate check as `officer` would while adding a person to `case`."""
    response = client_for(officer).post(reverse("cases:victim_duplicates", args=[case.pk]), fields, **HTMX)
    assert response.status_code == 200


@pytest.fixture
def own_case(owner):
    return CaseFactory(created_by=owner)


@pytest.fixture
def sibling_case(outsider):
    return CaseFactory(created_by=outsider)


def _rows(response) -> list[PersonalDataAccess]:
    return list(response.context["page"].object_list)


def test_a_head_finds_who_probed_a_phone_in_any_spelling(client_for, owner, supervisor, own_case):
    _probe(client_for, owner, own_case, last_name="Асанова", phone="0555 12 34 56")

    response = client_for(supervisor).get(reverse(PAGE), {"phone": "+996 (555) 12-34-56"})

    assert response.status_code == 200
    assert [(row.user, row.case, row.action) for row in _rows(response)] == [(owner, own_case, "duplicate_check")]
    table = response.content.decode().split("<table", 1)[1].split("</table>", 1)[0]
    assert own_case.number in table
    # The log holds no number to show: only who searched, when and by what kind of key. (Not just "555": a unit of the
    # test factories may be called "Бөлүм 555" in a long run.)
    for shown in ("0555", "555 12", "555123456", "12 34 56"):
        assert shown not in table


def test_a_head_finds_who_probed_a_document_number(client_for, owner, supervisor, own_case):
    _probe(client_for, owner, own_case, last_name="Асанова", id_document_number="AN 1234567")

    found = client_for(supervisor).get(reverse(PAGE), {"document_number": "an1234567"})
    not_found = client_for(supervisor).get(reverse(PAGE), {"document_number": "AN7654321"})

    assert [row.user for row in _rows(found)] == [owner]
    assert _rows(not_found) == []


def test_without_a_number_the_page_lists_the_units_reads_newest_first(client_for, owner, supervisor, own_case):
    _probe(client_for, owner, own_case, last_name="Асанова")
    _probe(client_for, owner, own_case, phone="0555 12 34 56")

    rows = _rows(client_for(supervisor).get(reverse(PAGE)))

    assert len(rows) == 2
    assert rows[0].at >= rows[1].at


def test_a_district_head_does_not_see_the_sibling_districts_log(
    client_for, owner, outsider, supervisor, own_case, sibling_case
):
    _probe(client_for, outsider, sibling_case, phone="0555 12 34 56")

    response = client_for(supervisor).get(reverse(PAGE), {"phone": "0555 12 34 56"})

    assert _rows(response) == []


def test_an_oblast_head_sees_the_log_of_every_district_below(
    client_for, owner, outsider, oblast_head, own_case, sibling_case
):
    _probe(client_for, owner, own_case, phone="0555 12 34 56")
    _probe(client_for, outsider, sibling_case, phone="0555 12 34 56")

    response = client_for(oblast_head).get(reverse(PAGE), {"phone": "0555123456"})

    assert {row.user for row in _rows(response)} == {owner, outsider}


def test_a_head_sees_who_from_outside_read_the_units_cases(client_for, owner, supervisor, own_case, far_district):
    # an officer of another oblast, granted the case, reads it
    from cases import services

    visitor = UserFactory(unit=far_district, roles=[Role.DUTY_OFFICER])
    services.case_grant_access(case=own_case, grantee=visitor, actor=owner, can_change=True)
    _probe(client_for, visitor, own_case, phone="0555 12 34 56")

    response = client_for(supervisor).get(reverse(PAGE))

    assert [row.user for row in _rows(response)] == [visitor]


@pytest.mark.parametrize("who", ["owner", "duty_officer", "analyst", "ngo_staff", "outsider"])
def test_only_heads_open_the_access_log(client_for, request, who):
    if who == "ngo_staff":
        from accounts.models import Organisation

        user = UserFactory(
            unit=request.getfixturevalue("ministry"),
            roles=[Role.NGO_STAFF],
            organisation=Organisation.objects.create(name="Ишеним", kind=Organisation.Kind.NGO),
        )
    else:
        user = request.getfixturevalue(who)

    assert client_for(user).get(reverse(PAGE)).status_code == 404


def test_the_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(reverse(PAGE))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "value",
    ["\x00", "0555\u202e123456", "x" * 5000, "'; DROP TABLE cases_case; --"],
    ids=["NUL", "RLO", "huge", "sql"],
)
def test_hostile_search_values_get_a_form_error_or_nothing_found_never_a_500(client_for, supervisor, value):
    for field in ("phone", "document_number", "name"):
        response = client_for(supervisor).get(reverse(PAGE), {field: value})

        assert response.status_code == 200
        assert _rows(response) == [] or not response.context["form"].is_valid()


def test_the_page_runs_a_fixed_number_of_queries(
    client_for, owner, supervisor, own_case, django_assert_max_num_queries
):
    bound = 8 + 1  # +1: the menu's overdue counts of "My due items" and the triage queue (issue 9)
    client = client_for(supervisor)
    _probe(client_for, owner, own_case, phone="0555 12 34 56")
    with django_assert_max_num_queries(bound):
        client.get(reverse(PAGE))
    for _ in range(20):
        _probe(client_for, owner, own_case, phone="0555 12 34 56")
    client = client_for(supervisor)
    with django_assert_max_num_queries(bound):
        client.get(reverse(PAGE))


def test_the_main_menu_offers_the_log_to_heads_only(client_for, supervisor, owner):
    url = reverse(PAGE)
    assert url in client_for(supervisor).get(reverse("notifications")).content.decode()
    assert url not in client_for(owner).get(reverse("notifications")).content.decode()


def test_the_log_is_shown_fifty_rows_a_page(client_for, owner, supervisor, own_case):
    from cases import services

    for _ in range(55):
        services.personal_data_access_record(user=owner, case=own_case, record=own_case, action="view", ip_address=None)
    client = client_for(supervisor)

    first = client.get(reverse(PAGE))
    second = client.get(reverse(PAGE), {"page": 2})

    assert (len(_rows(first)), len(_rows(second))) == (50, 5)
    assert "page=2" in first.content.decode()
