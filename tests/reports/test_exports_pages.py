"""The case-list exports through their URLs: who may export what, the list's scope and filters, the access log of
personal data, hostile parameters and the number of queries."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import Case, PersonalDataAccess
from reports import exports
from screening.services import screening_record
from tests.factories import CaseFactory, UserFactory, VictimFactory

pytestmark = pytest.mark.django_db

BISHKEK = ZoneInfo("Asia/Bishkek")


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _xlsx(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _numbers(rows: list[list[str]]) -> set[str]:
    return {row[0] for row in rows[1:]}


def _victim(case, **fields):
    return VictimFactory(
        case=case,
        last_name="Жолдошева",
        first_name="Нургүл",
        date_of_birth=date(2001, 3, 14),
        phone="+996 700 11 22 33",
        **fields,
    )


@pytest.fixture
def ngo_worker(district):
    organisation = Organisation.objects.create(name="«Үмүт» коомдук бирикмеси", kind=Organisation.Kind.NGO)
    return UserFactory(unit=None, organisation=organisation, roles=[Role.NGO_STAFF])


# ---------------------------------------------------------------------------
# Who may export
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["reports:cases_csv", "reports:cases_xlsx", "reports:exports"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("name", ["reports:cases_csv", "reports:cases_xlsx", "reports:exports"])
def test_ngo_staff_get_404_even_for_a_case_granted_to_them(client_for, ngo_worker, case, name):
    from guardian.shortcuts import assign_perm

    assign_perm("cases.view_case", ngo_worker, case)

    response = client_for(ngo_worker).get(reverse(name))

    assert response.status_code == 404


def test_the_owner_exports_their_case_and_a_colleague_and_an_outsider_do_not(client_for, owner, colleague, outsider):
    mine = CaseFactory(created_by=owner, number="T-MINE-1")
    CaseFactory(created_by=outsider, number="T-OTHER-1")

    assert _numbers(_csv(client_for(owner).get(reverse("reports:cases_csv")))) == {mine.number}
    assert _numbers(_csv(client_for(colleague).get(reverse("reports:cases_csv")))) == set()
    assert _numbers(_csv(client_for(outsider).get(reverse("reports:cases_csv")))) == {"T-OTHER-1"}


def test_a_head_exports_the_cases_of_the_units_below_and_not_of_another_oblast(
    client_for, oblast_head, owner, outsider, far_district
):
    CaseFactory(created_by=owner, number="T-CHUI-1")
    CaseFactory(created_by=outsider, number="T-CHUI-2")
    CaseFactory(created_by=UserFactory(unit=far_district, roles=[Role.INSPECTOR]), number="T-OSH-1")

    rows = _csv(client_for(oblast_head).get(reverse("reports:cases_csv")))

    assert _numbers(rows) == {"T-CHUI-1", "T-CHUI-2"}


def test_an_analyst_exports_only_what_their_list_shows_and_never_personal_data(client_for, analyst, owner, case):
    from guardian.shortcuts import assign_perm

    _victim(case)
    CaseFactory(created_by=owner, number="T-NOT-GRANTED")
    assign_perm("cases.view_case", analyst, case)
    client = client_for(analyst)

    rows = _csv(client.get(reverse("reports:cases_csv")))
    refused = client.get(reverse("reports:cases_csv"), {"personal": "1"})

    assert _numbers(rows) == {case.number}
    assert str(exports.COLUMNS[11].header) not in rows[0]  # the victims' names
    assert "Жолдошева" not in str(rows)
    assert refused.status_code == 404
    assert not PersonalDataAccess.objects.exists()


# ---------------------------------------------------------------------------
# Columns, translations, time zone, file
# ---------------------------------------------------------------------------
def test_the_csv_names_the_file_and_is_not_cached(client_for, owner, case):
    response = client_for(owner).get(reverse("reports:cases_csv"))

    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_headers_are_in_the_readers_language_and_times_in_bishkek_time(client_for, owner):
    CaseFactory(
        created_by=owner,
        received_at=datetime(2026, 3, 1, 20, 30, tzinfo=ZoneInfo("UTC")),
        incident_at=datetime(2026, 2, 28, 19, 0, tzinfo=ZoneInfo("UTC")),
        incident_place="Ош шаары, Ленин көчөсү",
        kbr_number="=HYPERLINK(1)",
        kbr_registered_at=date(2026, 3, 2),
    )
    client = client_for(owner)
    client.cookies["cms_language"] = "ru"

    rows = _csv(client.get(reverse("reports:cases_csv")))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))

    with translation.override("ru"):
        assert header == [str(column.header) for column in exports.columns_for(with_personal_data=False)]
    assert "Подразделение" in header  # an existing Russian header: the file is not in English
    assert row[header[2]] == "2026-03-02 02:30"  # 20:30 UTC is 02:30 the next day in Bishkek
    assert row[header[5]] == "2026-03-01"
    assert row[header[6]] == "Ош шаары, Ленин көчөсү"
    assert "'=HYPERLINK(1)" in rows[1]


def test_a_case_row_carries_its_screening_victims_and_referral_counts(client_for, owner, case):
    victim = _victim(case)
    screening_record(
        case=case,
        actor=owner,
        victim=victim,
        facts={
            "act_date": timezone.localdate().isoformat(),
            "victim_date_of_birth": "2001-03-14",
            "acts": ["recruitment"],
            "means": ["deception"],
            "purposes": ["forced_labour"],
        },
    )

    sheet = _xlsx(client_for(owner).get(reverse("reports:cases_xlsx")))
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell for cell in sheet[2]], strict=True))

    assert row[str(exports.COLUMNS[0].header)].value == case.number
    assert row[str(exports.COLUMNS[8].header)].value == "166"
    assert (row[str(exports.COLUMNS[10].header)].value, row[str(exports.COLUMNS[10].header)].data_type) == (1, "n")
    assert row[str(exports.COLUMNS[2].header)].is_date
    assert row[str(exports.COLUMNS[18].header)].value == 0
    assert str(exports.COLUMNS[11].header) not in header  # names only when asked for


def test_a_cell_that_starts_like_a_formula_is_quoted_in_both_files(client_for, owner):
    CaseFactory(created_by=owner, incident_place="=cmd|' /C calc'!A0")
    CaseFactory(created_by=owner, incident_place="\uff0bSUM(A1)")
    client = client_for(owner)

    places = {row[6] for row in _csv(client.get(reverse("reports:cases_csv")))[1:]}
    sheet = _xlsx(client.get(reverse("reports:cases_xlsx")))

    assert places == {"'=cmd|' /C calc'!A0", "'\uff0bSUM(A1)"}
    cells = [sheet.cell(row=r, column=7) for r in (2, 3)]
    assert {cell.value for cell in cells} == places
    assert {cell.data_type for cell in cells} == {"s"}


# ---------------------------------------------------------------------------
# Personal data and the access log
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["reports:cases_csv", "reports:cases_xlsx"])
def test_personal_data_is_exported_on_request_with_one_access_log_row_per_case(client_for, owner, name):
    cases = [CaseFactory(created_by=owner) for _ in range(3)]
    for case in cases:
        _victim(case)

    response = client_for(owner).get(reverse(name), {"personal": "1"}, HTTP_USER_AGENT="Firefox\u202e")
    content = b"".join(response.streaming_content)

    assert response.status_code == 200
    rows = PersonalDataAccess.objects.filter(action=PersonalDataAccess.Action.EXPORT)
    assert sorted(str(row.case_id) for row in rows) == sorted(str(case.pk) for case in cases)
    assert {(row.user_id, row.unit_id, row.record_type, row.user_agent) for row in rows} == {
        (owner.pk, owner.unit_id, "case", "Firefox")
    }
    assert {row.record_id for row in rows} == {str(case.pk) for case in cases}
    if name == "reports:cases_csv":
        assert "Жолдошева Нургүл" in content.decode("utf-8-sig")
        assert "14.03.2001" in content.decode("utf-8-sig")
    else:
        values = [cell.value for row in load_workbook(io.BytesIO(content)).active.iter_rows() for cell in row]
        assert "Жолдошева Нургүл" in values and "14.03.2001" in values


def test_an_export_without_personal_data_writes_no_access_log_row(client_for, owner, case):
    _victim(case)

    rows = _csv(client_for(owner).get(reverse("reports:cases_csv")))

    assert "Жолдошева" not in str(rows) and "2001" not in str(rows)
    assert not PersonalDataAccess.objects.exists()


def test_export_rows_are_read_in_chunks_and_every_chunk_is_logged(client_for, owner, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    cases = [CaseFactory(created_by=owner) for _ in range(5)]

    rows = _csv(client_for(owner).get(reverse("reports:cases_csv"), {"personal": "1"}))

    assert _numbers(rows) == {case.number for case in cases}
    assert PersonalDataAccess.objects.count() == 5


# ---------------------------------------------------------------------------
# Filters and hostile parameters
# ---------------------------------------------------------------------------
def test_the_export_applies_the_lists_filters_and_order(client_for, supervisor, owner):
    now = timezone.now()
    old = CaseFactory(created_by=owner, number="T-OLD", received_at=now - timedelta(days=400))
    new = CaseFactory(created_by=owner, number="T-NEW", received_at=now - timedelta(days=1))
    CaseFactory(created_by=owner, number="T-CLOSED", status=Case.Status.CLOSED)
    client = client_for(supervisor)

    newest_first = _csv(client.get(reverse("reports:cases_csv"), {"status": "new"}))
    oldest_first = _csv(client.get(reverse("reports:cases_csv"), {"status": "new", "sort": "received"}))
    recent = _csv(client.get(reverse("reports:cases_csv"), {"received_from": (now - timedelta(days=30)).date()}))
    searched = _csv(client.get(reverse("reports:cases_csv"), {"q": "T-OLD"}))

    assert [row[0] for row in newest_first[1:]] == [new.number, old.number]
    assert [row[0] for row in oldest_first[1:]] == [old.number, new.number]
    assert _numbers(recent) == {"T-NEW", "T-CLOSED"}
    assert _numbers(searched) == {old.number}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Асан\x00ова"},
        {"q": "Асан\u202eова"},
        {"q": "ж" * 20_000},
        {"received_from": "0001-01-01"},
        {"received_to": "9999-12-31"},
        {"received_from": "9" * 40},
        {"status": "\x00"},
        {"unit": "9" * 40},
        {"sort": "\u202e"},
        {"page": "-1", "overdue": "\x00"},
        {"personal": "\x00"},
    ],
)
@pytest.mark.parametrize("name", ["reports:cases_csv", "reports:cases_xlsx"])
def test_hostile_parameters_never_answer_500(client_for, supervisor, case, name, params):
    response = client_for(supervisor).get(reverse(name), params)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "Nothing was exported" in response.content.decode() or response.context["form"].errors


def test_a_refused_filter_answers_the_exports_page_with_the_error_and_exports_nothing(client_for, supervisor, case):
    response = client_for(supervisor).get(reverse("reports:cases_csv"), {"q": "ж" * 200})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["q"]


def test_a_spreadsheet_over_the_row_cap_is_refused_with_a_reason(client_for, owner, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    for _ in range(3):
        CaseFactory(created_by=owner)

    response = client_for(owner).get(reverse("reports:cases_xlsx"))

    assert response.status_code == 400
    assert response.context["problem"]


# ---------------------------------------------------------------------------
# Links on the case list, the exports page
# ---------------------------------------------------------------------------
def test_the_case_list_offers_the_export_with_its_current_filters(client_for, owner, case):
    response = client_for(owner).get(reverse("cases:list"), {"status": "new", "q": "T-", "page": "1"})
    html = response.content.decode()

    assert reverse("reports:cases_csv") in html and reverse("reports:cases_xlsx") in html
    assert '<input type="hidden" name="status" value="new">' in html
    assert '<input type="hidden" name="q" value="T-">' in html
    assert 'name="page"' not in html.split('class="case-export"')[1].split("</form>")[0]
    assert 'name="personal"' in html
    assert reverse("reports:exports") in html


def test_an_analyst_is_offered_no_personal_data_in_the_export_form(client_for, analyst, case):
    from guardian.shortcuts import assign_perm

    assign_perm("cases.view_case", analyst, case)

    html = client_for(analyst).get(reverse("cases:list")).content.decode()

    assert reverse("reports:cases_csv") in html
    assert 'name="personal"' not in html


@pytest.mark.parametrize("user", ["owner", "supervisor", "analyst"])
def test_the_exports_page_opens_for_who_may_export(client_for, request, user):
    response = client_for(request.getfixturevalue(user)).get(reverse("reports:exports"))

    assert response.status_code == 200
    assert (response.context["htcds_form"] is not None) == (user != "owner")


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("name", ["reports:cases_csv", "reports:cases_xlsx"])
def test_the_export_runs_a_fixed_number_of_queries(client_for, owner, django_assert_max_num_queries, count, name):
    for _ in range(count):
        case = CaseFactory(created_by=owner)
        victim = _victim(case)
        screening_record(
            case=case,
            actor=owner,
            victim=victim,
            facts={"acts": ["recruitment"], "purposes": ["forced_labour"], "victim_age": 15},
        )
    client = client_for(owner)

    # 8: session, user, roles, the user's units for the filter, the cases (with their due items and referral
    # counts as subqueries), their victims, their screenings, the access-log rows; +1 for XLSX: the count for its cap.
    with django_assert_max_num_queries(9):
        response = client.get(reverse(name), {"personal": "1"})
        content = b"".join(response.streaming_content)

    assert content
    assert PersonalDataAccess.objects.count() == count
