"""The 1899 desk in the browser: the intake form passes a call to a district's duty unit; the calls list shows what
became of each call (taken up, registered in the КБР) and closes it; the call page shows what the operator recorded,
logged; the case page gives the caller's contacts to the police only with the caller's consent. Other roles: 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.notifications import render_notification
from accounts.roles import Role
from cases import services as case_services
from cases.models import Case, PersonalDataAccess
from referrals import services
from referrals.models import HotlineCall
from screening.models import Obligation
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(district):
    return UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])


@pytest.fixture
def shift_colleague(district):
    """Another operator of the same desk (the desk works in shifts)."""
    return UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])


@pytest.fixture
def other_desk(far_district):
    return UserFactory(unit=far_district, roles=[Role.HOTLINE_OPERATOR])


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _form(to_district, **changes) -> dict:
    return {
        "received_at": _local(timezone.now() - timedelta(minutes=5)),
        "caller": "relative",
        "caller_name": "Бекова Жылдыз",
        "caller_phone": "+996 555 12 34 56",
        "callback_consent": "on",
        "summary": "Эжеси Казакстанга жумушка кетип, байланышпай калды.",
        "place": "Аламүдүн, Лебединовка",
        "urgency": "urgent",
        "district": str(to_district.pk),
        **changes,
    }


def _call(operator, district, **changes) -> HotlineCall:
    data = {
        "caller": "relative", "caller_name": "Бекова Жылдыз", "caller_phone": "+996 555 12 34 56",
        "callback_consent": True, "summary": "Эжеси Казакстанга кетип, байланышпай калды.", "place": "Лебединовка",
        "urgency": "urgent", "district": district, **changes,
    }  # fmt: skip
    return services.hotline_call_record(operator=operator, data=data)


# -- the intake form ---------------------------------------------------------------------------------------------------
def test_the_operator_records_a_call_for_a_district_of_another_oblast(client_for, operator, district, far_district):
    client = client_for(operator)
    page = client.get(reverse("referrals:hotline_call_new")).content.decode()
    assert '<optgroup label="Чүй облустук ИИБ">' in page and '<optgroup label="Ош облустук ИИБ">' in page
    assert 'type="datetime-local"' in page

    response = client.post(reverse("referrals:hotline_call_new"), _form(far_district))

    assert response.status_code == 302 and response["Location"] == reverse("referrals:hotline_calls")
    call = HotlineCall.objects.get()
    assert (call.operator, call.district, call.case.unit, call.case.source) == (
        operator, far_district, far_district, Case.Source.HOTLINE_1899
    )  # fmt: skip
    assert call.case.summary == call.summary and call.case.incident_place == "Аламүдүн, Лебединовка"
    assert Obligation.objects.get(case=call.case).code == "take_up_report"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_at": "2099-01-01T10:00"}, "received_at"),
        ({"caller": "anonymous"}, "caller_name"),
        ({"caller_phone": ""}, "caller_phone"),
        ({"summary": ""}, "summary"),
        ({"district": ""}, "district"),
        ({"urgency": "whenever"}, "urgency"),
    ],
    ids=["received_in_the_future", "anonymous_with_a_name", "callback_without_a_phone", "no_summary", "no_district",
         "unknown_urgency"],
)  # fmt: skip
def test_the_intake_form_refuses_what_cannot_be_so(changes, field, client_for, operator, district):
    response = client_for(operator).post(reverse("referrals:hotline_call_new"), _form(district, **changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not HotlineCall.objects.exists() and not Case.objects.exists()


def test_a_call_can_only_go_to_a_district_department(client_for, operator, oblast):
    response = client_for(operator).post(reverse("referrals:hotline_call_new"), _form(oblast))

    assert "district" in response.context["form"].errors
    assert not HotlineCall.objects.exists()


def test_without_callback_consent_a_phone_is_not_needed(client_for, operator, district):
    response = client_for(operator).post(
        reverse("referrals:hotline_call_new"),
        {**_form(district, caller="anonymous", caller_name="", caller_phone=""), "callback_consent": ""},
    )

    assert response.status_code == 302
    assert HotlineCall.objects.get().callback_consent is False


# -- the calls list: taken up, registered, closed ----------------------------------------------------------------------
def test_the_list_shows_the_take_up_the_registration_and_closes_the_call(
    client_for, operator, shift_colleague, duty_officer, district
):
    call = _call(operator, district)
    client = client_for(shift_colleague)  # the next shift sees the desk's calls
    listing = client.get(reverse("referrals:hotline_calls")).content.decode()
    assert call.case.number in listing and listing.count('class="not-yet"') == 2

    taken_at = timezone.now() - timedelta(minutes=3)
    Obligation.objects.filter(case=call.case, code="take_up_report").update(assignee=duty_officer, claimed_at=taken_at)
    case = Case.objects.get(pk=call.case_id)
    case_services.case_update(
        case=case, actor=duty_officer, version=case.version,
        data={"status": "registered", "kbr_number": "01-2026-000777", "kbr_registered_at": timezone.localdate()},
    )  # fmt: skip

    listing = client.get(reverse("referrals:hotline_calls")).content.decode()
    assert timezone.localtime(taken_at).strftime("%d.%m.%Y %H:%M") in listing
    assert district.display_name in listing
    assert timezone.localdate().strftime("%d.%m.%Y") in listing and 'class="not-yet"' not in listing
    assert "01-2026-000777" not in listing  # the desk follows its call, not the case's records

    response = client.post(reverse("referrals:hotline_call_close", args=[call.pk]))

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closed_at is not None
    assert (
        reverse("referrals:hotline_call_close", args=[call.pk])
        not in client.get(reverse("referrals:hotline_calls")).content.decode()
    )


def test_an_item_done_without_a_claim_counts_as_taken_up(client_for, operator, duty_officer, district):
    from screening.services import obligation_complete

    call = _call(operator, district)
    obligation_complete(obligation=Obligation.objects.get(case=call.case), actor=duty_officer, note="Кабыл алынды")

    listing = client_for(operator).get(reverse("referrals:hotline_calls")).content.decode()

    assert listing.count('class="not-yet"') == 1  # taken up; not registered


def test_the_desk_is_told_in_words_when_its_report_is_registered(operator, duty_officer, district):
    call = _call(operator, district)
    case = Case.objects.get(pk=call.case_id)
    case_services.case_update(
        case=case, actor=duty_officer, version=case.version,
        data={"status": "registered", "kbr_number": "01-2026-000777", "kbr_registered_at": timezone.localdate()},
    )  # fmt: skip
    from accounts.models import OutboxMessage

    message = OutboxMessage.objects.get(recipient=operator, channel="in_app")
    subject, body = render_notification(kind=message.kind, params=message.payload["params"], link="/x/")

    assert case.number in subject and "КБР" in subject and "/x/" in body


def test_the_list_shows_no_callers_data_and_logs_nothing(client_for, operator, district):
    _call(operator, district)

    listing = client_for(operator).get(reverse("referrals:hotline_calls")).content.decode()

    assert "Бекова" not in listing and "+996 555 12 34 56" not in listing
    assert not PersonalDataAccess.objects.exists()


# -- the call page -----------------------------------------------------------------------------------------------------
def test_the_call_page_shows_what_was_recorded_and_logs_the_read(client_for, operator, district):
    call = _call(operator, district)

    page = client_for(operator).get(reverse("referrals:hotline_call_detail", args=[call.pk])).content.decode()

    assert "Бекова Жылдыз" in page and "+996 555 12 34 56" in page and "Лебединовка" in page
    assert call.case.get_absolute_url() not in page  # the desk sees its call, not the case
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.case_id, log.record_type, log.record_id, log.action) == (
        operator, call.case_id, "hotlinecall", str(call.pk), "view"
    )  # fmt: skip


@pytest.mark.parametrize("who", ["duty_officer", "owner", "supervisor", "oblast_head", "analyst", "ngo_user"])
def test_every_desk_page_answers_404_to_others(who, request, client_for, operator, district):
    call = _call(operator, district)
    client = client_for(request.getfixturevalue(who))

    assert client.get(reverse("referrals:hotline_calls")).status_code == 404
    assert client.get(reverse("referrals:hotline_call_new")).status_code == 404
    assert client.post(reverse("referrals:hotline_call_new"), _form(district)).status_code == 404
    assert client.get(reverse("referrals:hotline_call_detail", args=[call.pk])).status_code == 404
    assert client.post(reverse("referrals:hotline_call_close", args=[call.pk])).status_code == 404
    call.refresh_from_db()
    assert call.closed_at is None and HotlineCall.objects.count() == 1
    assert not PersonalDataAccess.objects.exists()


def test_another_desk_does_not_see_the_call(client_for, operator, other_desk, district):
    call = _call(operator, district)
    client = client_for(other_desk)

    assert call.case.number not in client.get(reverse("referrals:hotline_calls")).content.decode()
    assert client.get(reverse("referrals:hotline_call_detail", args=[call.pk])).status_code == 404
    assert client.post(reverse("referrals:hotline_call_close", args=[call.pk])).status_code == 404
    call.refresh_from_db()
    assert call.closed_at is None
    assert not PersonalDataAccess.objects.exclude(action="denied").exists()  # no read; each refusal is logged
    assert PersonalDataAccess.objects.filter(action="denied", record_type="hotlinecall").count() == 2


def test_the_desk_pages_ask_to_sign_in(client, operator, district):
    call = _call(operator, district)

    for url in (reverse("referrals:hotline_calls"), reverse("referrals:hotline_call_detail", args=[call.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_menu_offers_the_calls_to_the_desk_only(client_for, operator, duty_officer):
    calls = reverse("referrals:hotline_calls")

    assert calls in client_for(operator).get(reverse("notifications")).content.decode()
    assert calls not in client_for(duty_officer).get(reverse("notifications")).content.decode()


# -- the case page: the caller's contacts for the police, with consent -------------------------------------------------
def test_the_duty_officer_sees_the_callers_contacts_when_the_caller_agreed_and_the_read_is_logged(
    client_for, operator, duty_officer, district
):
    call = _call(operator, district)

    page = client_for(duty_officer).get(call.case.get_absolute_url()).content.decode()

    assert 'id="hotline-call"' in page and "+996 555 12 34 56" in page and "Бекова Жылдыз" in page
    assert PersonalDataAccess.objects.filter(
        user=duty_officer, record_type="hotlinecall", record_id=str(call.pk)
    ).exists()


def test_without_consent_the_police_do_not_see_the_callers_contacts(client_for, operator, duty_officer, district):
    call = _call(operator, district, callback_consent=False)

    page = client_for(duty_officer).get(call.case.get_absolute_url()).content.decode()

    assert 'id="hotline-call"' in page
    assert "+996 555 12 34 56" not in page and "Бекова" not in page
    assert not PersonalDataAccess.objects.filter(record_type="hotlinecall").exists()


def test_a_head_of_another_oblast_sees_nothing_of_the_call(client_for, operator, district, far_district):
    call = _call(operator, district)
    head = UserFactory(unit=far_district.parent, roles=[Role.SUPERVISOR])

    assert client_for(head).get(call.case.get_absolute_url()).status_code == 404


def test_a_desk_without_a_unit_gets_404(client_for):
    lonely = UserFactory(unit=None, roles=[Role.HOTLINE_OPERATOR])

    assert client_for(lonely).get(reverse("referrals:hotline_calls")).status_code == 404


def test_a_notification_of_the_registration_links_to_the_calls(operator, duty_officer, district, client_for):
    call = _call(operator, district)
    case = Case.objects.get(pk=call.case_id)
    Notification.objects.all().delete()
    case_services.case_update(
        case=case, actor=duty_officer, version=case.version,
        data={"status": "registered", "kbr_number": "01-2026-000778", "kbr_registered_at": timezone.localdate()},
    )  # fmt: skip
    from accounts.models import OutboxMessage
    from accounts.services import outbox_deliver_message

    for message in OutboxMessage.objects.filter(recipient=operator):
        outbox_deliver_message(message_id=str(message.pk))

    page = client_for(operator).get(reverse("notifications")).content.decode()
    assert f'href="{reverse("referrals:hotline_calls")}"' in page and case.number in page


def test_a_unit_factory_district_of_no_oblast_is_listed_ungrouped(client_for, operator):
    UnitFactory(kind="district", parent=None, name="Жалгыз ИИБ")

    page = client_for(operator).get(reverse("referrals:hotline_call_new")).content.decode()

    assert "Жалгыз ИИБ" in page
