"""Case services: numbering, versioned edits, history authors, notifications through the outbox, the access log."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Notification, OutboxMessage
from accounts.roles import Role
from cases import selectors, services
from cases.models import Case, OfficerStep, PersonalDataAccess, Victim
from cases.probes import document_blind_index, phone_blind_index
from tests.factories import CaseFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _open(actor, **data) -> Case:
    return services.case_create(actor=actor, data={"source": Case.Source.CITIZEN, **data})


def _victim(case, actor, **data) -> Victim:
    defaults = {"last_name": "Асанова", "first_name": "Айжан", "sex": "female", "citizenship": "KG"}
    return services.victim_create(case=case, actor=actor, data={**defaults, **data})


# ---------------------------------------------------------------------------
# Case numbers
# ---------------------------------------------------------------------------
def test_case_numbers_are_sequential_per_unit_and_year(owner, outsider):
    first, second = _open(owner), _open(owner)
    elsewhere = _open(outsider)
    assert first.number == f"ALAMUDUN-{YEAR}-00001"
    assert second.number == f"ALAMUDUN-{YEAR}-00002"
    assert elsewhere.number == f"SOKULUK-{YEAR}-00001"


def test_numbering_starts_again_in_a_new_year(owner, district):
    CaseFactory(created_by=owner, unit=district, number=f"ALAMUDUN-{YEAR - 1}-00041")
    assert _open(owner).number == f"ALAMUDUN-{YEAR}-00001"


def test_numbering_continues_after_the_highest_number_of_the_year(owner, district):
    CaseFactory(created_by=owner, unit=district, number=f"ALAMUDUN-{YEAR}-00009")
    CaseFactory(created_by=owner, unit=district, number=f"ALAMUDUN-{YEAR}-00010")
    assert _open(owner).number == f"ALAMUDUN-{YEAR}-00011"


def test_a_unit_whose_code_starts_like_another_has_its_own_sequence(owner, oblast):
    # "OSH-" and "OSH-CITY-" are different prefixes
    osh = UnitFactory(code="osh", parent=oblast)
    osh_city = UnitFactory(code="osh-city", parent=oblast)
    _open(UserFactory(unit=osh_city, roles=[Role.INSPECTOR]))
    assert _open(UserFactory(unit=osh, roles=[Role.INSPECTOR])).number == f"OSH-{YEAR}-00001"


def test_a_user_without_a_unit_cannot_open_a_case(db):
    with pytest.raises(ValidationError):
        _open(UserFactory(unit=None, roles=[Role.INSPECTOR]))
    assert not Case.objects.exists()


# ---------------------------------------------------------------------------
# Creating and editing
# ---------------------------------------------------------------------------
def test_the_creator_is_the_assigned_officer_unless_another_is_named(owner, colleague):
    assert _open(owner).assigned_officer == owner
    assert _open(owner, assigned_officer=colleague).assigned_officer == colleague


def test_case_update_with_unchanged_data_does_not_bump_the_version(owner):
    case = _open(owner, incident_place="Бишкек")
    data = {"incident_place": "Бишкек", "source": case.source, "assigned_officer": owner}

    saved = services.case_update(case=case, actor=owner, data=data, version=1)

    assert saved.version == 1
    assert case.history.count() == 1


def test_case_update_bumps_the_version_and_records_who_changed_it(owner, supervisor):
    case = _open(owner)
    saved = services.case_update(case=case, actor=supervisor, data={"incident_place": "Кант"}, version=1)
    assert saved.version == 2
    latest = case.history.first()
    assert (latest.history_user, latest.history_change_reason, latest.incident_place) == (supervisor, "edited", "Кант")


def test_a_stale_update_is_refused_and_names_who_changed_what(owner, supervisor):
    case = _open(owner, incident_place="Бишкек")
    services.case_update(case=case, actor=supervisor, data={"incident_place": "Кант"}, version=1)

    with pytest.raises(services.StaleEditError) as error:
        services.case_update(case=case, actor=owner, data={"incident_place": "Токмок"}, version=1)

    (change,) = error.value.changes
    assert (change.field, change.old, change.new, change.by) == ("incident_place", "Бишкек", "Кант", str(supervisor))
    assert Case.objects.get(pk=case.pk).incident_place == "Кант"


def test_a_kbr_number_without_a_registration_date_is_refused(owner):
    case = _open(owner)
    with pytest.raises(ValidationError):
        services.case_update(case=case, actor=owner, data={"kbr_number": "02-123-2026"}, version=1)
    assert Case.objects.get(pk=case.pk).kbr_number == ""


def test_every_history_record_names_its_author(owner):
    case = _open(owner)
    victim = _victim(case, owner)
    services.legal_representative_add(
        victim=victim, actor=owner, data={"full_name": "Асанова Гүлнара", "relation": "mother"}
    )
    services.suspect_add(case=case, actor=owner, data={"nickname": "Бай"})
    services.exploitation_site_add(case=case, actor=owner, data={"location": "Москва, склад"})
    services.attachment_add(
        case=case,
        actor=owner,
        upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan"),
        kind="document",
        max_bytes=1024,
    )
    services.victim_update(victim=victim, actor=owner, data={"phone": "0555 12 34 56"}, version=1)

    records = selectors.case_history(case=case)
    assert len(records) == 7
    assert {record.history_user for record in records} == {owner}


# ---------------------------------------------------------------------------
# Notifications when a case is assigned
# ---------------------------------------------------------------------------
def test_assigning_another_officer_writes_outbox_rows_for_the_officer(
    owner, colleague, django_capture_on_commit_callbacks
):
    colleague.email = "colleague@police.example.kg"
    colleague.save()
    case = _open(owner)

    with django_capture_on_commit_callbacks(execute=False):
        services.case_update(case=case, actor=owner, data={"assigned_officer": colleague}, version=1)

    rows = OutboxMessage.objects.filter(recipient=colleague)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
    assert all(row.payload["params"] == {"case_number": case.number, "case_id": str(case.pk)} for row in rows)


def test_an_officer_without_email_gets_only_the_in_app_row(owner, colleague, django_capture_on_commit_callbacks):
    case = _open(owner)
    with django_capture_on_commit_callbacks(execute=False):
        services.case_update(case=case, actor=owner, data={"assigned_officer": colleague}, version=1)
    assert list(OutboxMessage.objects.values_list("channel", "recipient")) == [("in_app", colleague.pk)]


def test_after_commit_the_assigned_officer_finds_a_notification(owner, colleague, django_capture_on_commit_callbacks):
    case = _open(owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_update(case=case, actor=owner, data={"assigned_officer": colleague}, version=1)
    notification = Notification.objects.get(recipient=colleague)
    assert notification.kind == "case_assigned"
    assert notification.params["case_number"] == case.number
    assert notification.link == f"/cases/{case.pk}/"


def test_opening_a_case_for_another_officer_notifies_that_officer(owner, colleague, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = _open(owner, assigned_officer=colleague)
    assert Notification.objects.get(recipient=colleague).params["case_id"] == str(case.pk)


def test_nobody_is_notified_of_their_own_assignment(owner, supervisor, django_capture_on_commit_callbacks):
    case = _open(owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_update(case=case, actor=supervisor, data={"assigned_officer": supervisor}, version=1)
        services.case_update(case=_open(owner), actor=owner, data={"incident_place": "Кант"}, version=1)
    assert not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()


def test_a_refused_stale_edit_writes_no_outbox_row(owner, colleague, supervisor):
    case = _open(owner)
    services.case_update(case=case, actor=supervisor, data={"incident_place": "Кант"}, version=1)
    with pytest.raises(services.StaleEditError):
        services.case_update(case=case, actor=owner, data={"assigned_officer": colleague}, version=1)
    assert not OutboxMessage.objects.exists()


# ---------------------------------------------------------------------------
# Victims
# ---------------------------------------------------------------------------
def test_a_victim_gets_spelling_independent_search_keys(owner):
    victim = _victim(_open(owner), owner, phone="+996 555 12-34-56", id_document_number="ID 123 4567")
    latin = _victim(
        _open(owner), owner, last_name="", first_name="", last_name_latin="Asanova", first_name_latin="Ayzhan"
    )
    assert victim.name_key == latin.name_key
    # The phone and the document number are encrypted: their keys are keyed hashes (blind indexes) of the digits.
    assert victim.phone_key == phone_blind_index("0555 123 456") != "555123456"
    assert victim.document_key == document_blind_index("id-1234567") != "ID1234567"


def test_a_victim_update_recomputes_the_search_keys(owner):
    victim = _victim(_open(owner), owner)
    saved = services.victim_update(victim=victim, actor=owner, data={"phone": "0700 11 22 33"}, version=1)
    assert Victim.objects.get(pk=saved.pk).phone_key == phone_blind_index("700112233")


def test_possible_duplicates_in_another_unit_are_counted_but_not_shown(owner, outsider):
    mine = _victim(_open(owner), owner)
    _victim(_open(outsider), outsider)

    found = selectors.victim_possible_duplicates(user=owner, names=("Asanova", "Aizhan"))

    assert found.visible == [mine]
    assert found.hidden_count == 1


def test_the_same_phone_is_a_possible_duplicate_whatever_the_name(owner):
    mine = _victim(_open(owner), owner, phone="+996 555 12-34-56")
    found = selectors.victim_possible_duplicates(user=owner, names=("Бекова", "Нурай"), phone="0555123456")
    assert found.visible == [mine]


def test_a_different_person_is_not_a_possible_duplicate(owner):
    _victim(_open(owner), owner)
    found = selectors.victim_possible_duplicates(user=owner, names=("Токтогулов", "Бакыт"))
    assert (found.visible, found.hidden_count) == ([], 0)


# ---------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------
def test_an_attachment_is_stored_with_its_sha256_under_a_random_name(owner):
    case = _open(owner)
    content = b"%PDF-1.7\n" + b"x" * 5000
    attachment = services.attachment_add(
        case=case,
        actor=owner,
        upload=SimpleUploadedFile("Асанова паспорт.pdf", content),
        kind="document",
        max_bytes=10_000,
    )
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (attachment.content_type, attachment.size, attachment.original_name) == (
        "application/pdf",
        len(content),
        "Асанова паспорт.pdf",
    )
    assert "Асанова" not in attachment.file.name
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # a Windows executable renamed
        ("scan.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("photo.jpg", b"%PDF-1.4"),
        ("notes.txt", b"\x00\x01\x02binary"),
        ("tool.exe", b"%PDF-1.4"),  # even with a PDF inside: the name is not accepted
    ],
)
def test_a_file_whose_content_does_not_match_an_accepted_type_is_refused(owner, name, content):
    case = _open(owner)
    with pytest.raises(ValidationError):
        services.attachment_add(
            case=case, actor=owner, upload=SimpleUploadedFile(name, content), kind="document", max_bytes=10_000
        )
    assert not case.attachments.exists()


# ---------------------------------------------------------------------------
# Access log
# ---------------------------------------------------------------------------
@pytest.fixture
def access_row(owner):
    case = _open(owner)
    victim = _victim(case, owner)
    return services.personal_data_access_record(
        user=owner, case=case, record=victim, action="view", ip_address="10.0.0.7", user_agent="Firefox"
    )


def test_the_access_log_records_who_what_and_from_where(access_row, owner):
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.unit, row.action, row.record_type) == (owner, owner.unit, "view", "victim")
    assert (row.ip_address, row.user_agent) == ("10.0.0.7", "Firefox")


def test_an_access_log_row_cannot_be_changed(access_row):
    access_row.action = "export"
    with pytest.raises(PermissionError):
        access_row.save()
    with pytest.raises(PermissionError):
        PersonalDataAccess.objects.filter(pk=access_row.pk).update(action="export")
    assert PersonalDataAccess.objects.get().action == "view"


def test_an_access_log_row_cannot_be_deleted(access_row):
    with pytest.raises(PermissionError):
        access_row.delete()
    with pytest.raises(PermissionError):
        PersonalDataAccess.objects.all().delete()
    with pytest.raises(PermissionError):
        PersonalDataAccess.objects.filter(pk=access_row.pk).delete()
    assert PersonalDataAccess.objects.count() == 1


def test_a_stale_edit_names_the_new_officer_and_status_by_their_labels(case, owner, duty_officer):
    from django.utils import translation

    services.case_update(
        case=case, actor=duty_officer, data={"assigned_officer": duty_officer, "status": "check"}, version=1
    )
    with translation.override("en"), pytest.raises(services.StaleEditError) as stale:
        services.case_update(case=case, actor=owner, data={"incident_place": "Ош"}, version=1)
    shown = {change.field: change.new for change in stale.value.changes}
    assert shown["assigned_officer"] == str(duty_officer)
    with translation.override("en"):
        assert str(shown["status"]) == "Pre-investigation check"


# ---------------------------------------------------------------------------
# Officer's steps: undone within the undo minutes, by who recorded them
# ---------------------------------------------------------------------------
def _step_minutes_ago(case, owner, minutes: int):
    step = services.officer_step_record(case=case, actor=owner, code="interview", note="Апасы менен")
    step.done_at = timezone.now() - timedelta(minutes=minutes)
    step.save(update_fields=["done_at"])
    return step


def test_a_step_is_undone_within_the_undo_minutes_and_the_history_keeps_it(owner, case, settings):
    settings.UNDO_MINUTES = 10
    step = _step_minutes_ago(case, owner, 9)
    step_id = step.pk

    services.officer_step_undo(step=step, actor=owner)

    assert not case.steps.exists()
    gone = OfficerStep.history.filter(id=step_id).first()
    assert (gone.history_type, gone.history_user, gone.note) == ("-", owner, "Апасы менен")


def test_a_step_recorded_longer_ago_than_the_undo_minutes_stays(owner, case, settings):
    settings.UNDO_MINUTES = 10
    step = _step_minutes_ago(case, owner, 11)

    with pytest.raises(ValidationError):
        services.officer_step_undo(step=step, actor=owner)

    assert case.steps.get() == step


def test_only_who_recorded_a_step_may_undo_it(owner, supervisor, case):
    step = services.officer_step_record(case=case, actor=owner, code="interview")

    with pytest.raises(ValidationError):
        services.officer_step_undo(step=step, actor=supervisor)

    assert case.steps.get() == step


# ---------------------------------------------------------------------------
# Closing and reopening: only through their own services, each with a reason
# ---------------------------------------------------------------------------
def test_a_case_edit_cannot_close_the_case_without_a_reason(owner, case):
    with pytest.raises(ValidationError):
        services.case_update(case=case, actor=owner, data={"status": Case.Status.CLOSED}, version=case.version)

    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_a_closed_case_is_not_edited(owner, case):
    services.case_close(case=case, actor=owner, reason="Кылмыш белгилери жок.")
    case.refresh_from_db()

    with pytest.raises(ValidationError):
        services.case_update(case=case, actor=owner, data={"incident_place": "Кант"}, version=case.version)


def test_closing_needs_a_reason_and_an_open_case(owner, case):
    with pytest.raises(ValidationError):
        services.case_close(case=case, actor=owner, reason="  ")
    services.case_close(case=case, actor=owner, reason="Кылмыш белгилери жок.")

    with pytest.raises(ValidationError):
        services.case_close(case=case, actor=owner, reason="Дагы бир жолу.")

    closed = case.history.filter(status=Case.Status.CLOSED)
    assert [r.history_change_reason for r in closed] == ["closed: Кылмыш белгилери жок."]


def test_reopening_returns_the_case_to_the_status_it_had_before_closing(owner, case):
    services.case_update(case=case, actor=owner, data={"status": Case.Status.REFERRED}, version=case.version)
    services.case_close(case=case, actor=owner, reason="Текшерүү бүттү.")

    reopened = services.case_reopen(case=case, actor=owner, reason="Жаңы фактылар.")

    assert reopened.status == Case.Status.REFERRED
    assert reopened.history.first().history_change_reason == "reopened: Жаңы фактылар."
