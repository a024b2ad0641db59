"""The anonymised export for international reporting: CTDC/HTCDS field names, no personal data anywhere in the file,
who may run it and over which cases, hostile parameters."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from cases import services
from cases.models import Case, LegalRepresentative, PersonalDataAccess
from reports import htcds
from screening.services import screening_record
from tests.factories import CaseFactory, UserFactory, VictimFactory

pytestmark = pytest.mark.django_db

# Everything personal the world below holds: none of it may reach the file, in any of these spellings.
SECRETS = [
    "Токтогулова",
    "Бермет",
    "Tokt0gulova",
    "Bermet",
    "Асылбековна",
    "+996 777 13 57 91",
    "996777135791",
    "777135791",
    "telegram:@bermet_secret",
    "AN 7654321",
    "AN7654321",
    "Пишпек көчөсү 42",
    "Алматы, Абай 17",
    "2003-07-19",
    "19.07.2003",
    "Кызы жумушка кетип калган",
    "Эскертүү: жашыруун",
    "Бакыт Токтогулов",
    "+996 555 24 68 00",
    "Сузак айылы 5",
    "Саткын Маманов",
    "Кара-Балта, кафе «Жибек»",
    "T-SECRET-0042",
    "КБР-77-SECRET",
    "Аламүдүн ИИБ",
    "Ош базары",
]


def _decode(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_decode(response))))


@pytest.fixture
def secret_case(owner):
    """A case full of personal data, screened as trafficking of a child for forced labour and begging."""
    case = CaseFactory(
        created_by=owner,
        number="T-SECRET-0042",
        received_at=datetime(2025, 11, 3, 10, 0, tzinfo=ZoneInfo("Asia/Bishkek")),
        incident_at=datetime(2020, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Bishkek")),
        incident_place="Ош базары",
        summary="Кызы жумушка кетип калган",
        kbr_number="КБР-77-SECRET",
        kbr_registered_at=date(2025, 11, 4),
    )
    victim = VictimFactory(
        case=case,
        last_name="Токтогулова",
        first_name="Бермет",
        patronymic="Асылбековна",
        last_name_latin="Tokt0gulova",
        first_name_latin="Bermet",
        sex="female",
        date_of_birth=date(2003, 7, 19),
        citizenship="KZ",
        phone="+996 777 13 57 91",
        other_contacts="telegram:@bermet_secret",
        id_document_type="паспорт",
        id_document_number="AN 7654321",
        residence_address="Пишпек көчөсү 42",
        temporary_residence_address="Алматы, Абай 17",
    )
    LegalRepresentative.objects.create(
        victim=victim,
        full_name="Бакыт Токтогулов",
        relation="father",
        phone="+996 555 24 68 00",
        address="Сузак айылы 5",
    )
    case.suspects.create(full_name="Саткын Маманов", possible_locations="Кара-Балта, кафе «Жибек»")
    screening_record(
        case=case,
        actor=owner,
        victim=victim,
        facts={
            "act_date": "2020-06-01",
            "victim_date_of_birth": "2003-07-19",
            "acts": ["recruitment", "transportation"],
            "means": ["deception", "abduction"],
            "purposes": ["forced_labour", "forced_begging"],
        },
        indicators=["held_against_will"],
        notes="Эскертүү: жашыруун",
    )
    return case


# ---------------------------------------------------------------------------
# No personal data
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_the_export_holds_no_personal_data_anywhere_in_the_file(client_for, supervisor, secret_case, file_format):
    response = client_for(supervisor).get(reverse("reports:htcds_export"), {"format": file_format})
    content = _decode(response)

    assert content.strip()
    found = [secret for secret in SECRETS if secret.lower() in content.lower()]
    assert found == []
    assert str(secret_case.pk) not in content
    assert str(secret_case.victims.get().pk) not in content
    assert not PersonalDataAccess.objects.exists()


def test_a_record_maps_the_screening_to_ctdc_fields(client_for, supervisor, secret_case):
    (row,) = _rows(client_for(supervisor).get(reverse("reports:htcds_export")))

    assert list(row) == list(htcds.FIELDS)
    assert row["yearOfRegistration"] == "2025"
    assert row["Datasource"] == "Case Management"
    assert row["gender"] == "Female"
    assert (row["ageBroad"], row["majorityStatusAtExploit"]) == ("9--17", "Minor")  # 16 at the act in 2020
    assert row["majorityStatus"] == "Adult"  # 22 when the report came in
    assert row["citizenship"] == "KZ"
    assert (row["isForcedLabour"], row["typeOfLabourBegging"], row["isSexualExploit"]) == ("1", "1", "0")
    assert row["typeOfExploitConcatenated"] == "Forced labour"
    assert (row["meansOfControlFalsePromises"], row["meansOfControlRestrictsMovement"]) == ("1", "1")
    assert (row["meansOfControlThreats"], row["meansOfControlNotSpecified"], row["isAbduction"]) == ("0", "0", "1")
    assert (row["kgVerdict"], row["kgArticles"]) == ("art_167", "167")
    assert len(row["recordId"]) == 16


def test_the_record_id_differs_from_one_export_to_the_next(client_for, supervisor, secret_case):
    client = client_for(supervisor)

    first = _rows(client.get(reverse("reports:htcds_export")))[0]["recordId"]
    second = _rows(client.get(reverse("reports:htcds_export")))[0]["recordId"]

    assert first != second


def test_a_person_never_screened_has_empty_flags_and_an_unknown_age(client_for, supervisor, owner):
    VictimFactory(case=CaseFactory(created_by=owner, source=Case.Source.HOTLINE_1899), sex="unknown")

    (row,) = _rows(client_for(supervisor).get(reverse("reports:htcds_export")))

    assert (row["gender"], row["ageBroad"], row["Datasource"]) == ("Unknown", "", "Hotline")
    assert row["isForcedLabour"] == row["kgVerdict"] == ""


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0--8"), (8, "0--8"), (9, "9--17"), (17, "9--17"), (18, "18--20"), (29, "27--29"), (47, "39--47")],
)
def test_ages_fall_in_the_ctdc_bands(age, band):
    assert htcds.age_band(age) == band


def test_ages_from_48_and_unknown_ages():
    assert (htcds.age_band(48), htcds.age_band(97), htcds.age_band(None)) == ("48+", "48+", "")


def test_the_json_export_is_a_list_of_records_with_the_same_fields(client_for, supervisor, secret_case):
    records = json.loads(_decode(client_for(supervisor).get(reverse("reports:htcds_export"), {"format": "json"})))

    assert [list(record) for record in records] == [list(htcds.FIELDS)]
    assert records[0]["isForcedLabour"] == 1


# ---------------------------------------------------------------------------
# Who, and over which cases
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.DUTY_OFFICER, Role.INVESTIGATOR, Role.HOTLINE_OPERATOR])
def test_roles_without_the_export_get_404(client_for, district, role):
    response = client_for(UserFactory(unit=district, roles=[role])).get(reverse("reports:htcds_export"))

    assert response.status_code == 404


def test_ngo_staff_get_404(client_for):
    organisation = Organisation.objects.create(name="«Ак жол» борбору", kind=Organisation.Kind.NGO)
    worker = UserFactory(unit=None, organisation=organisation, roles=[Role.NGO_STAFF])

    assert client_for(worker).get(reverse("reports:htcds_export")).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get(reverse("reports:htcds_export")).status_code == 302


def test_a_head_reports_on_their_units_and_not_on_another_district(client_for, supervisor, owner, outsider):
    VictimFactory(case=CaseFactory(created_by=owner), citizenship="KG")
    VictimFactory(case=CaseFactory(created_by=outsider), citizenship="UZ")

    rows = _rows(client_for(supervisor).get(reverse("reports:htcds_export")))

    assert [row["citizenship"] for row in rows] == ["KG"]


def test_an_analyst_reports_on_the_cases_of_their_unit_tree(client_for, oblast, owner, far_district):
    analyst = UserFactory(unit=oblast, roles=[Role.ANALYST])
    VictimFactory(case=CaseFactory(created_by=owner), citizenship="KG")
    osh_officer = UserFactory(unit=far_district, roles=[Role.INSPECTOR])
    VictimFactory(case=CaseFactory(created_by=osh_officer), citizenship="TJ")

    rows = _rows(client_for(analyst).get(reverse("reports:htcds_export")))

    assert [row["citizenship"] for row in rows] == ["KG"]


def test_the_unit_and_the_years_narrow_the_export(client_for, oblast_head, owner, outsider):
    now = timezone.now()
    VictimFactory(case=CaseFactory(created_by=owner, received_at=now), citizenship="KG")
    VictimFactory(case=CaseFactory(created_by=owner, received_at=now - timedelta(days=800)), citizenship="RU")
    VictimFactory(case=CaseFactory(created_by=outsider, received_at=now), citizenship="UZ")
    client = client_for(oblast_head)
    year = timezone.localdate().year

    by_unit = _rows(client.get(reverse("reports:htcds_export"), {"unit": owner.unit_id}))
    by_year = _rows(client.get(reverse("reports:htcds_export"), {"year_from": year, "year_to": year}))

    assert sorted(row["citizenship"] for row in by_unit) == ["KG", "RU"]
    assert sorted(row["citizenship"] for row in by_year) == ["KG", "UZ"]


def test_a_unit_outside_the_users_tree_is_refused(client_for, supervisor, other_district):
    response = client_for(supervisor).get(reverse("reports:htcds_export"), {"unit": other_district.pk})

    assert response.status_code == 400
    assert response.context["form"].errors["unit"]


# ---------------------------------------------------------------------------
# Hostile parameters and queries
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "params",
    [
        {"year_from": "1"},
        {"year_to": "9999"},
        {"year_from": "9" * 40},
        {"year_from": "20\x0025"},
        {"year_to": "2025\u202e"},
        {"unit": "ж" * 20_000},
        {"format": "\x00"},
        {"format": "xlsx"},
        {"year_from": "2030", "year_to": "2020"},
    ],
)
def test_hostile_parameters_are_refused_with_a_message_and_never_answer_500(client_for, supervisor, params):
    response = client_for(supervisor).get(reverse("reports:htcds_export"), params)

    assert response.status_code == 400
    assert all(message for messages in response.context["form"].errors.values() for message in messages)


@pytest.mark.parametrize("count", [1, 30])
def test_the_export_runs_a_fixed_number_of_queries(client_for, supervisor, owner, django_assert_max_num_queries, count):
    for _ in range(count):
        case = services.case_create(actor=owner, data={"source": Case.Source.CITIZEN})
        victim = VictimFactory(case=case)
        screening_record(case=case, actor=owner, victim=victim, facts={"acts": ["recruitment"], "victim_age": 15})
    client = client_for(supervisor)

    # session, user, roles, the scope's units, the form's unit check (none here), the people with their cases,
    # their screenings
    with django_assert_max_num_queries(7):
        rows = _rows(client.get(reverse("reports:htcds_export")))

    assert len(rows) == count
