"""Case pages through their URLs: the list and its filters, opening and editing a case, suspects and sites."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Organisation, OutboxMessage
from accounts.roles import Role
from cases import services
from cases.models import Case, ExploitationSite, Suspect
from tests.factories import CaseFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCAL_MINUTES = "%Y-%m-%dT%H:%M"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(LOCAL_MINUTES)


def _listed(response) -> set[str]:
    return {case.number for case in response.context["page"].object_list}


def _victim(case, actor, **data):
    defaults = {"last_name": "Асанова", "first_name": "Айжан", "sex": "female", "citizenship": "KG"}
    return services.victim_create(case=case, actor=actor, data={**defaults, **data})


def new_case_data(**changes) -> dict:
    now = timezone.now()
    data = {
        "source": Case.Source.CITIZEN,
        "received_at": _local(now - timedelta(hours=1)),
        "incident_at": _local(now - timedelta(days=3)),
        "incident_place": "Бишкек, Дордой базары",
        "summary": "Кыз Москвага жумушка убада менен алынып кеткен.",
        "country_origin": "on",
        "assigned_officer": "",
    }
    data.update(changes)
    return data


def edit_data(case: Case, **changes) -> dict:
    """What the edit form posts back when nothing is touched, with `changes` applied."""
    data = {
        "source": case.source,
        "received_at": _local(case.received_at),
        "incident_at": _local(case.incident_at) if case.incident_at else "",
        "incident_place": case.incident_place,
        "summary": case.summary,
        "assigned_officer": case.assigned_officer_id or "",
        "status": case.status,
        "kbr_number": case.kbr_number,
        "kbr_registered_at": case.kbr_registered_at.isoformat() if case.kbr_registered_at else "",
        "version": case.version,
    }
    for flag in ("country_origin", "country_transit", "country_destination"):
        if getattr(case, flag):
            data[flag] = "on"
    data.update(changes)
    return data


@pytest.fixture
def english(client):
    """Show the pages in English, so that messages can be checked whatever the translations say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def ngo_staff(ministry):
    ishenim = Organisation.objects.create(name="Ишеним", kind=Organisation.Kind.NGO)
    return UserFactory(unit=ministry, roles=[Role.NGO_STAFF], organisation=ishenim)


@pytest.fixture
def opened_case(owner):
    """A case opened through the service, as the form would: numbered, minutes only."""
    received = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
    return services.case_create(
        actor=owner,
        data={"source": Case.Source.CITIZEN, "received_at": received, "incident_place": "Бишкек"},
    )


# ---------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------
@pytest.fixture
def district_cases(owner, duty_officer):
    """Three cases of the district, told apart by victim, status, source and date, seen by the duty officer."""
    now = timezone.now()
    asanova = CaseFactory(created_by=owner, received_at=now - timedelta(days=1))
    _victim(asanova, owner, phone="+996 555 12-34-56", id_document_number="ID1234567")
    ivanova = CaseFactory(
        created_by=owner, status=Case.Status.CHECK, source=Case.Source.NGO, received_at=now - timedelta(days=5)
    )
    _victim(ivanova, owner, last_name="", first_name="", last_name_latin="Ivanova", first_name_latin="Mariya")
    old = CaseFactory(created_by=duty_officer, received_at=now - timedelta(days=40))
    _victim(old, duty_officer, last_name="Бекова", first_name="Нурай", phone="0700 99 88 77")
    return {"asanova": asanova.number, "ivanova": ivanova.number, "old": old.number}


def test_the_duty_officer_lists_every_case_of_the_district(client_for, duty_officer, district_cases, outsider):
    CaseFactory(created_by=outsider)
    response = client_for(duty_officer).get(reverse("cases:list"))
    assert response.status_code == 200
    assert _listed(response) == set(district_cases.values())
    assert district_cases["asanova"] in response.content.decode()


def test_the_list_finds_a_case_by_its_number(client_for, duty_officer, district_cases):
    response = client_for(duty_officer).get(reverse("cases:list"), {"q": district_cases["ivanova"]})
    assert _listed(response) == {district_cases["ivanova"]}


def test_searching_a_case_number_does_not_match_victims_whose_names_share_its_letters(client_for, oblast):
    # given two cases of the "osh" unit; the second victim's name contains "osh"
    inspector = UserFactory(unit=UnitFactory(code="osh", parent=oblast), roles=[Role.DUTY_OFFICER])
    first = services.case_create(actor=inspector, data={"source": Case.Source.CITIZEN})
    second = services.case_create(actor=inspector, data={"source": Case.Source.CITIZEN})
    _victim(second, inspector, last_name="Тоштемирова", first_name="Алина")

    response = client_for(inspector).get(reverse("cases:list"), {"q": first.number})

    assert _listed(response) == {first.number}


@pytest.mark.parametrize("typed", ["Асанова", "асанова айжан", "Asanova", "Ayzhan Asanova", "ASANOVA AIZHAN"])
def test_the_list_finds_a_victim_written_in_cyrillic_whatever_the_script_typed(
    client_for, duty_officer, district_cases, typed
):
    response = client_for(duty_officer).get(reverse("cases:list"), {"q": typed})
    assert _listed(response) == {district_cases["asanova"]}


@pytest.mark.parametrize("typed", ["Ivanova", "Иванова", "Иванова Мария"])
def test_the_list_finds_a_victim_written_in_latin_whatever_the_script_typed(
    client_for, duty_officer, district_cases, typed
):
    response = client_for(duty_officer).get(reverse("cases:list"), {"q": typed})
    assert _listed(response) == {district_cases["ivanova"]}


@pytest.mark.parametrize("typed", ["0555123456", "+996 555 123 456", "555-12-34-56"])
def test_the_list_finds_a_victim_by_phone_in_any_format(client_for, duty_officer, district_cases, typed):
    response = client_for(duty_officer).get(reverse("cases:list"), {"q": typed})
    assert _listed(response) == {district_cases["asanova"]}


def test_the_list_does_not_find_a_victim_by_the_end_of_a_phone_number(client_for, duty_officer, district_cases):
    # The phone is encrypted; its blind index matches the whole number (its last nine digits), not a part of it.
    response = client_for(duty_officer).get(reverse("cases:list"), {"q": "123456"})
    assert _listed(response) == set()


def test_the_list_finds_a_victim_by_document_number(client_for, duty_officer, district_cases):
    response = client_for(duty_officer).get(reverse("cases:list"), {"q": "id 123 4567"})
    assert _listed(response) == {district_cases["asanova"]}


def test_a_search_that_matches_nothing_lists_nothing(client_for, duty_officer, district_cases):
    response = client_for(duty_officer).get(reverse("cases:list"), {"q": "Жумабеков"})
    assert response.status_code == 200
    assert _listed(response) == set()


def test_the_list_filters_by_status(client_for, duty_officer, district_cases):
    response = client_for(duty_officer).get(reverse("cases:list"), {"status": Case.Status.CHECK})
    assert _listed(response) == {district_cases["ivanova"]}


def test_the_list_filters_by_source(client_for, duty_officer, district_cases):
    response = client_for(duty_officer).get(reverse("cases:list"), {"source": Case.Source.NGO})
    assert _listed(response) == {district_cases["ivanova"]}


def test_the_list_filters_by_received_dates(client_for, duty_officer, district_cases):
    today = timezone.localdate()
    client = client_for(duty_officer)
    recent = client.get(reverse("cases:list"), {"received_from": (today - timedelta(days=10)).isoformat()})
    assert _listed(recent) == {district_cases["asanova"], district_cases["ivanova"]}
    older = client.get(reverse("cases:list"), {"received_to": (today - timedelta(days=10)).isoformat()})
    assert _listed(older) == {district_cases["old"]}
    window = client.get(
        reverse("cases:list"),
        {
            "received_from": (today - timedelta(days=6)).isoformat(),
            "received_to": (today - timedelta(days=2)).isoformat(),
        },
    )
    assert _listed(window) == {district_cases["ivanova"]}


def test_only_my_cases_lists_what_the_user_opened_or_was_assigned(client_for, duty_officer, owner, district_cases):
    assigned = CaseFactory(created_by=owner, assigned_officer=duty_officer)
    response = client_for(duty_officer).get(reverse("cases:list"), {"mine": "on"})
    assert _listed(response) == {district_cases["old"], assigned.number}


def test_bad_filter_values_do_not_break_the_list(client_for, duty_officer, district_cases):
    response = client_for(duty_officer).get(
        reverse("cases:list"),
        {"status": "nonsense", "received_from": "yesterday", "unit": "abc", "page": "zzz", "q": "x" * 300},
    )
    assert response.status_code == 200


def test_the_unit_filter_is_shown_to_a_supervisor_with_several_units(
    client_for, oblast_head, owner, outsider, other_district
):
    CaseFactory(created_by=owner)
    sokuluk = CaseFactory(created_by=outsider)
    client = client_for(oblast_head)

    assert 'name="unit"' in client.get(reverse("cases:list")).content.decode()
    response = client.get(reverse("cases:list"), {"unit": other_district.pk})
    assert _listed(response) == {sokuluk.number}


def test_the_unit_filter_is_not_shown_to_an_officer_of_one_unit(client_for, duty_officer, district_cases):
    response = client_for(duty_officer).get(reverse("cases:list"))
    assert 'name="unit"' not in response.content.decode()
    assert "unit" not in response.context["filter"].form.fields


def test_an_htmx_request_to_the_list_returns_only_the_rows(client_for, duty_officer, district_cases):
    response = client_for(duty_officer).get(
        reverse("cases:list"), {"status": Case.Status.CHECK}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-rows"
    )
    body = response.content.decode()
    assert response.status_code == 200
    templates = [t.name for t in response.templates]
    assert templates[0] == "cases/_case_rows.html"
    assert "cases/list.html" not in templates and "base.html" not in templates
    assert body.startswith('<div id="case-rows">')
    assert "<html" not in body and "case-filters" not in body
    # the export form travels with the rows, so that it carries the filters of the rows shown
    assert 'class="case-export"' in body and 'name="status" value="check"' in body
    assert district_cases["ivanova"] in body and district_cases["asanova"] not in body


def test_a_plain_request_to_the_list_returns_the_whole_page(client_for, duty_officer):
    response = client_for(duty_officer).get(reverse("cases:list"))
    assert "cases/list.html" in [t.name for t in response.templates]
    assert "<html" in response.content.decode()


def test_the_list_page_is_never_cached(client_for, duty_officer):
    response = client_for(duty_officer).get(reverse("cases:list"))
    assert "no-store" in response["Cache-Control"]


def test_the_list_offers_a_new_case_only_to_roles_that_may_open_one(client_for, duty_officer, analyst):
    new_case = reverse("cases:create")
    assert new_case in client_for(duty_officer).get(reverse("cases:list")).content.decode()
    assert new_case not in client_for(analyst).get(reverse("cases:list")).content.decode()


def test_the_analyst_sees_no_cases(client_for, analyst, owner, district_cases):
    response = client_for(analyst).get(reverse("cases:list"))
    assert response.status_code == 200
    assert _listed(response) == set()
    for number in district_cases.values():
        assert number not in response.content.decode()


# ---------------------------------------------------------------------------
# Opening a case
# ---------------------------------------------------------------------------
def test_the_new_case_form_opens_for_an_inspector(client_for, owner):
    response = client_for(owner).get(reverse("cases:create"))
    assert response.status_code == 200
    assert "kbr_number" not in response.context["form"].fields


def test_an_inspector_opens_a_case_and_is_sent_to_it(client_for, owner, district):
    response = client_for(owner).post(reverse("cases:create"), new_case_data())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.number == f"ALAMUDUN-{timezone.localdate().year}-00001"
    assert (case.created_by, case.assigned_officer, case.unit) == (owner, owner, district)
    assert case.country_origin and not case.country_transit
    assert case.history.get().history_user == owner


def test_the_second_case_of_the_unit_gets_the_next_number(client_for, owner):
    client = client_for(owner)
    client.post(reverse("cases:create"), new_case_data())
    client.post(reverse("cases:create"), new_case_data())
    assert sorted(Case.objects.values_list("number", flat=True)) == [
        f"ALAMUDUN-{timezone.localdate().year}-00001",
        f"ALAMUDUN-{timezone.localdate().year}-00002",
    ]


def test_opening_a_case_for_a_colleague_notifies_the_colleague(
    client_for, owner, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(reverse("cases:create"), new_case_data(assigned_officer=colleague.pk))
    case = Case.objects.get()
    assert case.assigned_officer == colleague
    assert Notification.objects.get(recipient=colleague).params["case_number"] == case.number


def test_an_officer_of_another_unit_cannot_be_assigned_on_opening(client_for, owner, outsider):
    response = client_for(owner).post(reverse("cases:create"), new_case_data(assigned_officer=outsider.pk))
    assert response.status_code == 200
    assert "assigned_officer" in response.context["form"].errors
    assert not Case.objects.exists()


def test_an_invalid_new_case_shows_the_errors_and_saves_nothing(client_for, owner):
    response = client_for(owner).post(reverse("cases:create"), new_case_data(source="", received_at="not a date"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"source", "received_at"}
    assert not Case.objects.exists()


def test_an_incident_in_the_future_is_refused(client_for, english, owner):
    future = _local(timezone.now() + timedelta(days=2))
    response = client_for(owner).post(reverse("cases:create"), new_case_data(incident_at=future))
    assert response.status_code == 200
    assert response.context["form"].errors["incident_at"] == ["The incident cannot be in the future."]
    assert "The incident cannot be in the future." in response.content.decode()
    assert not Case.objects.exists()


def test_a_report_received_in_the_future_is_refused(client_for, owner):
    future = _local(timezone.now() + timedelta(hours=3))
    response = client_for(owner).post(reverse("cases:create"), new_case_data(received_at=future, incident_at=""))
    assert "received_at" in response.context["form"].errors
    assert not Case.objects.exists()


@pytest.mark.parametrize("user_fixture", ["analyst", "ngo_staff"])
def test_analysts_and_ngo_staff_cannot_open_a_case(request, client_for, user_fixture):
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(reverse("cases:create")).status_code == 404
    assert client.post(reverse("cases:create"), new_case_data()).status_code == 404
    assert not Case.objects.exists()


def test_the_hotline_operator_opens_a_case(client_for, district):
    operator = UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])
    response = client_for(operator).post(reverse("cases:create"), new_case_data(source=Case.Source.HOTLINE_1899))
    assert response.status_code == 302
    assert Case.objects.get().source == Case.Source.HOTLINE_1899


# ---------------------------------------------------------------------------
# Case page and editing
# ---------------------------------------------------------------------------
def test_the_case_page_shows_the_case_and_its_history(client_for, owner, opened_case):
    response = client_for(owner).get(reverse("cases:detail", args=[opened_case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert opened_case.number in body
    assert reverse("cases:edit", args=[opened_case.pk]) in body
    assert len(response.context["history"]) == 1


def test_a_per_case_reader_sees_no_edit_link(client_for, outsider, owner, opened_case):
    services.case_grant_access(case=opened_case, grantee=outsider, actor=owner)
    response = client_for(outsider).get(reverse("cases:detail", args=[opened_case.pk]))
    assert response.status_code == 200
    assert reverse("cases:edit", args=[opened_case.pk]) not in response.content.decode()


def test_the_edit_form_opens_with_the_current_version(client_for, owner, opened_case):
    response = client_for(owner).get(reverse("cases:edit", args=[opened_case.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["version"] == 1


def test_a_valid_edit_is_saved_and_leads_back_to_the_case(client_for, owner, opened_case):
    response = client_for(owner).post(
        reverse("cases:edit", args=[opened_case.pk]),
        edit_data(opened_case, incident_place="Кант шаары", status=Case.Status.CHECK),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[opened_case.pk])
    case = Case.objects.get(pk=opened_case.pk)
    assert (case.incident_place, case.status, case.version) == ("Кант шаары", Case.Status.CHECK, 2)
    assert case.history.first().history_user == owner


def test_saving_the_edit_form_untouched_changes_nothing(client_for, owner, opened_case):
    response = client_for(owner).post(reverse("cases:edit", args=[opened_case.pk]), edit_data(opened_case))
    assert response.status_code == 302
    assert Case.objects.get(pk=opened_case.pk).version == 1
    assert opened_case.history.count() == 1


def test_saving_the_edit_form_untouched_keeps_the_seconds_of_stored_times(client_for, owner):
    # given a case opened without the form (by a service), its times stored to the microsecond
    case = services.case_create(
        actor=owner,
        data={"source": Case.Source.HOTLINE_1899, "incident_at": timezone.now() - timedelta(days=1, seconds=17)},
    )
    assert case.received_at.second or case.received_at.microsecond

    # when the edit form, which shows minutes only, is saved as it came, and then with one field changed
    client = client_for(owner)
    client.post(reverse("cases:edit", args=[case.pk]), edit_data(case))
    client.post(reverse("cases:edit", args=[case.pk]), edit_data(case, incident_place="Кант"))

    # then the times are not silently cut to the minute, and only the real change is in the history
    saved = Case.objects.get(pk=case.pk)
    assert (saved.received_at, saved.incident_at) == (case.received_at, case.incident_at)
    assert (saved.incident_place, saved.version, case.history.count()) == ("Кант", 2, 2)


def test_the_duty_officer_of_the_district_may_edit_an_inspectors_case(client_for, duty_officer, opened_case):
    response = client_for(duty_officer).post(
        reverse("cases:edit", args=[opened_case.pk]), edit_data(opened_case, summary="Текшерүү башталды.")
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=opened_case.pk).summary == "Текшерүү башталды."


def test_a_stale_edit_answers_409_with_who_changed_what_and_overwrites_nothing(
    client_for, english, owner, supervisor, opened_case
):
    # given the owner opened the form at version 1, and the head saved a change meanwhile
    form_data = edit_data(opened_case, incident_place="Токмок", summary="Owner's text")
    services.case_update(case=opened_case, actor=supervisor, data={"incident_place": "Кант"}, version=1)

    # when the owner saves the old form
    response = client_for(owner).post(reverse("cases:edit", args=[opened_case.pk]), form_data)

    # then nothing is overwritten and the table says who changed what
    assert response.status_code == 409
    body = response.content.decode()
    assert "Not saved: someone changed this record after you opened the form" in body
    assert str(supervisor) in body
    assert "Кант" in body and "Бишкек" in body
    [change] = response.context["stale_changes"]
    assert (change.field, change.old, change.new) == ("incident_place", "Бишкек", "Кант")
    case = Case.objects.get(pk=opened_case.pk)
    assert (case.incident_place, case.summary, case.version) == ("Кант", "", 2)


def test_a_kbr_number_without_its_date_is_refused(client_for, english, owner, opened_case):
    response = client_for(owner).post(
        reverse("cases:edit", args=[opened_case.pk]),
        edit_data(opened_case, status=Case.Status.REGISTERED, kbr_number="02-0123-2026"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kbr_registered_at"] == ["Give the registration date with the КБР number."]
    case = Case.objects.get(pk=opened_case.pk)
    assert (case.kbr_number, case.status, case.version) == ("", Case.Status.NEW, 1)


def test_a_kbr_number_with_its_date_is_saved(client_for, owner, opened_case):
    today = timezone.localdate()
    response = client_for(owner).post(
        reverse("cases:edit", args=[opened_case.pk]),
        edit_data(opened_case, kbr_number="02-0123-2026", kbr_registered_at=today.isoformat()),
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=opened_case.pk)
    assert (case.kbr_number, case.kbr_registered_at) == ("02-0123-2026", today)


def test_a_future_incident_is_refused_on_edit_too(client_for, owner, opened_case):
    response = client_for(owner).post(
        reverse("cases:edit", args=[opened_case.pk]),
        edit_data(opened_case, incident_at=_local(timezone.now() + timedelta(days=1))),
    )
    assert "incident_at" in response.context["form"].errors
    assert Case.objects.get(pk=opened_case.pk).incident_at is None


def test_assigning_a_colleague_in_the_edit_form_notifies_the_colleague(
    client_for, owner, colleague, opened_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            reverse("cases:edit", args=[opened_case.pk]), edit_data(opened_case, assigned_officer=colleague.pk)
        )
    assert response.status_code == 302
    assert Case.objects.get(pk=opened_case.pk).assigned_officer == colleague
    assert OutboxMessage.objects.filter(recipient=colleague, channel="in_app").count() == 1
    assert Notification.objects.get(recipient=colleague).params["case_number"] == opened_case.number


def test_the_colleague_sees_the_case_once_assigned(client_for, owner, colleague, opened_case):
    client_for(owner).post(
        reverse("cases:edit", args=[opened_case.pk]), edit_data(opened_case, assigned_officer=colleague.pk)
    )
    assert client_for(colleague).get(reverse("cases:detail", args=[opened_case.pk])).status_code == 200


# ---------------------------------------------------------------------------
# Suspects and exploitation sites
# ---------------------------------------------------------------------------
SUSPECT = {"full_name": "", "nickname": "Бай ага", "sex": "male", "age": "45", "armed": "unknown", "sane": "yes"}
SITE = {"location": "Москва, Люблино, кийим цехи", "description": "", "other_victims": "yes", "other_victims_notes": ""}


def test_the_suspect_form_opens(client_for, owner, opened_case):
    assert client_for(owner).get(reverse("cases:suspect_add", args=[opened_case.pk])).status_code == 200


def test_a_suspect_is_recorded_and_shown_on_the_case(client_for, owner, opened_case):
    client = client_for(owner)
    response = client.post(reverse("cases:suspect_add", args=[opened_case.pk]), SUSPECT)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[opened_case.pk])
    suspect = Suspect.objects.get(case=opened_case)
    assert (suspect.nickname, suspect.age, suspect.sane) == ("Бай ага", 45, "yes")
    assert suspect.history.get().history_user == owner
    assert "Бай ага" in client.get(response["Location"]).content.decode()


def test_an_invalid_suspect_is_refused(client_for, owner, opened_case):
    response = client_for(owner).post(reverse("cases:suspect_add", args=[opened_case.pk]), {**SUSPECT, "age": "-3"})
    assert response.status_code == 400
    assert "age" in response.context["form"].errors
    assert not Suspect.objects.exists()


def test_the_site_form_opens(client_for, owner, opened_case):
    assert client_for(owner).get(reverse("cases:site_add", args=[opened_case.pk])).status_code == 200


def test_an_exploitation_site_is_recorded(client_for, owner, opened_case):
    response = client_for(owner).post(reverse("cases:site_add", args=[opened_case.pk]), SITE)
    assert response.status_code == 302
    site = ExploitationSite.objects.get(case=opened_case)
    assert (site.location, site.other_victims) == (SITE["location"], "yes")
    assert site.history.get().history_user == owner


def test_a_site_without_a_location_is_refused(client_for, owner, opened_case):
    response = client_for(owner).post(reverse("cases:site_add", args=[opened_case.pk]), {**SITE, "location": ""})
    assert response.status_code == 400
    assert not ExploitationSite.objects.exists()


# ---------------------------------------------------------------------------
# Implausible input: a clear error on the field, nothing saved
# ---------------------------------------------------------------------------
def test_a_kbr_registration_date_in_the_future_is_refused(client_for, english, owner, opened_case):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(owner).post(
        reverse("cases:edit", args=[opened_case.pk]),
        edit_data(opened_case, kbr_number="02-0123-2026", kbr_registered_at=tomorrow.isoformat()),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kbr_registered_at"] == [
        "The КБР registration date cannot be in the future."
    ]
    assert Case.objects.get(pk=opened_case.pk).kbr_number == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [("received_at", "0001-01-01T00:00"), ("incident_at", "1899-12-31T23:59"), ("kbr_registered_at", "0001-01-01")],
)
def test_a_date_before_1900_is_refused_on_the_case_form(client_for, english, owner, opened_case, field, value):
    changes = {field: value, "kbr_number": "02-0123-2026"} if field == "kbr_registered_at" else {field: value}
    response = client_for(owner).post(reverse("cases:edit", args=[opened_case.pk]), edit_data(opened_case, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["The date is too early: give 01.01.1900 or a later date."]
    assert Case.objects.get(pk=opened_case.pk).version == 1


@pytest.mark.parametrize("character", ["\x00", "\u202e"], ids=["NUL", "RLO"])
def test_a_step_note_with_a_hidden_character_is_refused_beside_the_step_and_at_the_top(
    client_for, english, owner, case, character
):
    response = client_for(owner).post(
        reverse("cases:step_record", args=[case.pk]), {"code": "interview", "note": f"a{character}b"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["note"] == [
        "The text contains hidden control characters (a null byte or a text-direction override); remove them."
    ]
    html = response.content.decode()
    assert 'href="#step-interview-note"' in html.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'id="step-interview-note-error"' in html
    assert not case.steps.exists()
