"""The rapport's state machine: draft → submitted → approved → registered, returned with a reason, each change kept in
its history and told through the outbox; an incomplete rapport is never submitted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import OutboxMessage
from accounts.roles import Role
from cases import services as case_services
from cases.closed import CaseIsClosed
from cases.models import Case, OfficerStep
from reports import services
from reports.models import RAPPORT_ITEMS, Rapport
from screening.models import Obligation
from tests.factories import UserFactory

from .conftest import complete, screen

pytestmark = pytest.mark.django_db


def _notices(kind: str) -> list:
    return list(OutboxMessage.objects.filter(kind=kind, channel="in_app").values_list("recipient_id", flat=True))


# -- starting ---------------------------------------------------------------------------------------------------------
def test_a_started_rapport_is_a_draft_prefilled_from_the_case_and_its_latest_screening(
    screened_case, owner, supervisor
):
    rapport = services.rapport_start(case=screened_case, actor=owner)

    assert rapport.status == Rapport.Status.DRAFT and rapport.language == "ky"
    assert "Дордой базары" in rapport.circumstances and "Москвага" in rapport.circumstances
    assert "Узун бойлуу" in rapport.offenders and "Ош шаары" in rapport.offenders
    assert "Люблино" in rapport.sites and "Тигүү цехи" in rapport.sites
    assert "Асанова Айжан" in rapport.identity and "05.04.1999" in rapport.identity and "Паспорт" in rapport.identity
    # item 6: the assessment against the indicators; the qualification's explanation is its own section, not repeated
    assert "Эрки менен эсептешпестен эрксиз абалда кармалып турат" in rapport.indicators
    assert screened_case.screenings.get().explanation("ky") not in rapport.indicators
    assert rapport.qualification_explanation["ky"] == screened_case.screenings.get().explanation("ky")
    assert rapport.traces == "" and rapport.consequences == ""
    assert rapport.qualification_verdict == "art_166" and rapport.qualification_articles
    assert set(rapport.qualification_explanation) == {"ky", "ru"}
    assert rapport.addressee == supervisor and rapport.officer == owner and rapport.unit == screened_case.unit
    assert rapport.history.get().history_change_reason == "started"


def test_a_rapport_started_in_russian_is_prefilled_in_russian(screened_case, owner):
    rapport = services.rapport_start(case=screened_case, actor=owner, language="ru")

    assert rapport.language == "ru"
    assert "Удерживается против своей воли" in rapport.indicators and "Уязвимость" in rapport.indicators


def test_starting_twice_gives_the_one_rapport(screened_case, owner):
    first = services.rapport_start(case=screened_case, actor=owner)

    assert services.rapport_start(case=screened_case, actor=owner) == first
    assert Rapport.objects.count() == 1


def test_with_two_heads_in_the_unit_nobody_is_chosen_as_addressee(screened_case, owner, supervisor, district):
    UserFactory(unit=district, roles=[Role.SUPERVISOR])

    assert services.rapport_start(case=screened_case, actor=owner).addressee is None


def test_a_closed_case_takes_no_rapport(screened_case, owner):
    case_services.case_close(case=screened_case, actor=owner, reason="Кылмыш жок.")

    with pytest.raises(CaseIsClosed):
        services.rapport_start(case=screened_case, actor=owner)


# -- editing ----------------------------------------------------------------------------------------------------------
def test_saving_a_draft_takes_the_latest_screening_into_it(draft, owner, screened_case):
    later = screen(screened_case, owner, violence_against_women=True)

    saved = services.rapport_update(rapport=draft, actor=owner, data={"traces": "Көгала."}, version=draft.version)

    assert saved.screening == later and saved.traces == "Көгала." and saved.version == draft.version + 1
    assert saved.history.first().history_change_reason == "edited"


def test_a_stale_form_is_refused_and_overwrites_nothing(draft, owner, colleague):
    services.rapport_update(rapport=draft, actor=owner, data={"traces": "Биринчи."}, version=draft.version)

    with pytest.raises(services.StaleEditError):
        services.rapport_update(rapport=draft, actor=owner, data={"traces": "Экинчи."}, version=draft.version)

    assert Rapport.objects.get().traces == "Биринчи."


def test_a_submitted_rapport_cannot_be_edited(submitted, owner):
    with pytest.raises(services.RapportRefused):
        services.rapport_update(rapport=submitted, actor=owner, data={"traces": "X"}, version=submitted.version)


# -- submitting -------------------------------------------------------------------------------------------------------
def test_an_incomplete_rapport_cannot_be_submitted_and_the_error_names_the_items(draft, owner):
    with pytest.raises(ValidationError) as refused:
        services.rapport_submit(rapport=draft, actor=owner)

    assert set(refused.value.error_dict) == {"traces", "consequences"}
    assert Rapport.objects.get().status == Rapport.Status.DRAFT
    assert not OutboxMessage.objects.filter(kind="rapport_submitted").exists()


@pytest.mark.parametrize("missing", RAPPORT_ITEMS)
def test_each_single_item_left_empty_blocks_submission(missing, draft, owner):
    rapport = complete(draft, owner)
    rapport = services.rapport_update(rapport=rapport, actor=owner, data={missing: ""}, version=rapport.version)

    with pytest.raises(ValidationError) as refused:
        services.rapport_submit(rapport=rapport, actor=owner)

    assert set(refused.value.error_dict) == {missing}


@pytest.mark.parametrize("unknown", RAPPORT_ITEMS)
def test_an_item_marked_not_known_counts_as_given(unknown, draft, owner):
    rapport = complete(draft, owner)
    data = {unknown: "", f"{unknown}_unknown": True}
    rapport = services.rapport_update(rapport=rapport, actor=owner, data=data, version=rapport.version)

    assert services.rapport_submit(rapport=rapport, actor=owner).status == Rapport.Status.SUBMITTED


def test_a_rapport_needs_an_addressee_and_a_qualification(police_case, owner):
    rapport = services.rapport_start(case=police_case, actor=owner)
    rapport = complete(rapport, owner)
    rapport = services.rapport_update(rapport=rapport, actor=owner, data={"addressee": None}, version=rapport.version)

    with pytest.raises(ValidationError) as refused:
        services.rapport_submit(rapport=rapport, actor=owner)

    assert set(refused.value.error_dict) == {"addressee", "__all__"}


def test_an_addressee_who_is_no_longer_a_head_is_refused(draft, owner, supervisor):
    supervisor.groups.clear()

    with pytest.raises(ValidationError) as refused:
        services.rapport_submit(rapport=complete(draft, owner), actor=owner)

    assert set(refused.value.error_dict) == {"addressee"}


def test_submitting_tells_the_addressee_and_freezes_the_date(draft, owner, supervisor):
    submitted = services.rapport_submit(rapport=complete(draft, owner), actor=owner)

    assert submitted.status == Rapport.Status.SUBMITTED and submitted.submitted_by == owner
    assert submitted.submitted_at is not None and submitted.rapport_date == timezone.localdate()
    assert _notices("rapport_submitted") == [supervisor.pk]
    assert submitted.history.first().history_change_reason == "submitted"


# -- the head ---------------------------------------------------------------------------------------------------------
def test_the_head_approves_and_the_officer_is_told(submitted, supervisor, owner):
    approved = services.rapport_approve(rapport=submitted, actor=supervisor)

    assert approved.status == Rapport.Status.APPROVED and approved.approved_by == supervisor
    assert _notices("rapport_approved") == [owner.pk]
    assert approved.history.first().history_change_reason == "approved"


def test_a_head_of_the_oblast_above_may_approve(submitted, oblast_head):
    assert services.rapport_approve(rapport=submitted, actor=oblast_head).status == Rapport.Status.APPROVED


@pytest.mark.parametrize("who", ["owner", "colleague", "duty_officer", "other_head"])
def test_nobody_but_a_head_of_the_unit_approves(who, submitted, request):
    with pytest.raises(services.RapportRefused):
        services.rapport_approve(rapport=submitted, actor=request.getfixturevalue(who))

    assert Rapport.objects.get().status == Rapport.Status.SUBMITTED


def test_a_head_cannot_approve_the_rapport_they_submitted(screened_case, supervisor, oblast_head):
    rapport = services.rapport_start(case=screened_case, actor=supervisor)
    rapport = complete(rapport, supervisor)
    rapport = services.rapport_update(rapport=rapport, actor=supervisor, data={"addressee": oblast_head},
                                      version=rapport.version)  # fmt: skip
    rapport = services.rapport_submit(rapport=rapport, actor=supervisor)

    with pytest.raises(services.RapportRefused):
        services.rapport_approve(rapport=rapport, actor=supervisor)
    assert services.rapport_approve(rapport=rapport, actor=oblast_head).status == Rapport.Status.APPROVED


def test_approving_twice_is_refused(approved, supervisor):
    with pytest.raises(services.RapportRefused):
        services.rapport_approve(rapport=approved, actor=supervisor)


def test_the_head_returns_it_with_a_reason_the_officer_reads(submitted, supervisor, owner):
    returned = services.rapport_return(rapport=submitted, actor=supervisor, reason="Издерди толуктаңыз.")

    assert returned.status == Rapport.Status.DRAFT and returned.returned_reason == "Издерди толуктаңыз."
    assert returned.submitted_at is None
    assert _notices("rapport_returned") == [owner.pk]
    assert returned.history.first().history_change_reason == "returned: Издерди толуктаңыз."


def test_returning_needs_a_reason(submitted, supervisor):
    with pytest.raises(ValidationError):
        services.rapport_return(rapport=submitted, actor=supervisor, reason="  ")


def test_a_returned_rapport_is_edited_and_submitted_again(submitted, supervisor, owner):
    returned = services.rapport_return(rapport=submitted, actor=supervisor, reason="Толуктаңыз.")
    edited = services.rapport_update(rapport=returned, actor=owner, data={"traces": "Жок."}, version=returned.version)

    again = services.rapport_submit(rapport=edited, actor=owner)

    assert again.status == Rapport.Status.SUBMITTED and again.returned_reason == ""


def test_a_draft_cannot_be_approved_or_registered(draft, supervisor):
    with pytest.raises(services.RapportRefused):
        services.rapport_approve(rapport=draft, actor=supervisor)
    with pytest.raises(services.RapportRefused):
        services.rapport_register(
            rapport=draft, actor=supervisor, kbr_number="1", kbr_registered_at=timezone.localdate()
        )


# -- registration -----------------------------------------------------------------------------------------------------
def test_registering_sets_the_number_on_the_rapport_and_the_case_and_records_the_step(approved, supervisor, owner):
    today = timezone.localdate()

    registered = services.rapport_register(
        rapport=approved, actor=supervisor, kbr_number="01-2026-000123", kbr_registered_at=today
    )

    assert registered.status == Rapport.Status.REGISTERED and registered.registered_by == supervisor
    case = Case.objects.get(pk=approved.case_id)
    assert (case.kbr_number, case.kbr_registered_at, case.status) == ("01-2026-000123", today, "registered")
    step = OfficerStep.objects.get(case=case, code="write_rapport")
    assert step.done_by == supervisor and "01-2026-000123" in step.note
    item = Obligation.objects.get(case=case, code="rapport_registration")
    assert item.status == "done" and item.done_by == supervisor
    assert _notices("rapport_registered") == [owner.pk]


def test_registering_a_case_of_violence_against_a_woman_completes_the_immediate_item(violence_case, owner, supervisor):
    rapport = services.rapport_submit(rapport=complete(services.rapport_start(case=violence_case, actor=owner), owner),
                                      actor=owner)  # fmt: skip
    rapport = services.rapport_approve(rapport=rapport, actor=supervisor)

    services.rapport_register(rapport=rapport, actor=supervisor, kbr_number="7", kbr_registered_at=timezone.localdate())

    assert Obligation.objects.get(case=violence_case, code="rapport_immediately").status == "done"


def test_the_registration_date_is_not_before_the_rapport(approved, supervisor):
    with pytest.raises(ValidationError) as refused:
        services.rapport_register(
            rapport=approved, actor=supervisor, kbr_number="1", kbr_registered_at=approved.rapport_date - timedelta(1)
        )

    assert "kbr_registered_at" in refused.value.error_dict
    assert Rapport.objects.get().status == Rapport.Status.APPROVED


def test_registering_needs_a_number(approved, supervisor):
    with pytest.raises(ValidationError):
        services.rapport_register(
            rapport=approved, actor=supervisor, kbr_number=" ", kbr_registered_at=timezone.localdate()
        )


@pytest.mark.parametrize("kind", ["rapport_submitted", "rapport_returned", "rapport_approved", "rapport_registered"])
def test_each_notice_names_the_case_by_its_number_only(kind, submitted):
    from accounts.notifications import render_notification

    message = OutboxMessage.objects.filter(kind="rapport_submitted").first()
    subject, body = render_notification(kind=kind, params=message.payload["params"], link=message.payload["link"])

    assert submitted.case.number in subject and submitted.case.number in body
    assert "/reports/cases/" in body
    assert "Асанова" not in subject + body
