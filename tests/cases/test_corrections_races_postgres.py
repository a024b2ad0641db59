"""Removing the same record, or closing the same case, from two browsers at the same moment: PostgreSQL, threads."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cases import services
from cases.models import Attachment, Case, Suspect
from tests.factories import CaseFactory, VictimFactory
from tests.screening.test_races_postgres import run_at_once

# serialized_rollback: the flush after each test must not re-create content types with new ids under the browser
# tests, which restore the serialized ones.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def refused_or_done(call, outcomes: list) -> None:
    try:
        call()
        outcomes.append("done")
    except ValidationError:
        outcomes.append("refused")


@pytest.mark.parametrize("attempt", range(4))
def test_two_officers_removing_the_same_suspect_at_once_remove_it_once(owner, supervisor, attempt):
    case = CaseFactory(created_by=owner)
    suspect = services.suspect_add(case=case, actor=owner, data={"nickname": "Бай ага"})

    run_at_once(
        lambda: services.suspect_remove(suspect=suspect, actor=owner, reason="Эки жолу.", version=1),
        lambda: services.suspect_remove(suspect=suspect, actor=supervisor, reason="Кайталоо.", version=1),
    )

    assert not Suspect.objects.exists()
    assert Suspect.history.filter(id=suspect.pk, history_type="-").count() == 1


@pytest.mark.parametrize("attempt", range(4))
def test_two_officers_removing_the_same_file_at_once_keep_the_first_reason(owner, supervisor, attempt):
    case = CaseFactory(created_by=owner)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x")
    attachment = services.attachment_add(case=case, actor=owner, upload=upload, kind="document", max_bytes=10**6)

    run_at_once(
        lambda: services.attachment_remove(attachment=attachment, actor=owner, reason="Башка иштики."),
        lambda: services.attachment_remove(attachment=attachment, actor=supervisor, reason="Ката."),
    )

    attachment = Attachment.objects.get(pk=attachment.pk)
    removals = attachment.history.filter(history_change_reason__startswith="removed: ")
    assert removals.count() == 1
    assert (attachment.removed_by, f"removed: {attachment.removal_reason}") == (
        removals.get().history_user,
        removals.get().history_change_reason,
    )


@pytest.mark.parametrize("attempt", range(4))
def test_two_officers_closing_a_case_at_once_close_it_once_and_the_other_is_told(owner, supervisor, attempt):
    case = CaseFactory(created_by=owner)
    outcomes: list[str] = []

    run_at_once(
        lambda: refused_or_done(lambda: services.case_close(case=case, actor=owner, reason="Бүттү."), outcomes),
        lambda: refused_or_done(lambda: services.case_close(case=case, actor=supervisor, reason="Жок."), outcomes),
    )

    assert sorted(outcomes) == ["done", "refused"]
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    assert case.history.filter(history_change_reason__startswith="closed: ").count() == 1


# ---------------------------------------------------------------------------
# Closing a case while a record is being added or changed in it
# ---------------------------------------------------------------------------
def _adders(case: Case, owner) -> dict:
    """Each change of a case's records, as the view calls it after its selector found the case open."""
    from screening.services import screening_record

    suspect = services.suspect_add(case=case, actor=owner, data={"nickname": "Бай ага"})
    victim = VictimFactory(case=case)
    return {
        "person": lambda: services.victim_create(case=case, actor=owner, data={"last_name": "Асанова"}),
        "suspect": lambda: services.suspect_add(case=case, actor=owner, data={"nickname": "Жолдош"}),
        "suspect-edit": lambda: services.suspect_update(
            suspect=suspect, actor=owner, data={"nickname": "Бай"}, version=suspect.version
        ),
        "site": lambda: services.exploitation_site_add(case=case, actor=owner, data={"location": "Кыштак"}),
        "representative": lambda: services.legal_representative_add(
            victim=victim, actor=owner, data={"full_name": "Асанов Бакыт", "relation": "father"}
        ),
        "file": lambda: services.attachment_add(
            case=case,
            actor=owner,
            upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x"),
            kind="document",
            max_bytes=10**6,
        ),
        "step": lambda: services.officer_step_record(case=case, actor=owner, code="check_report"),
        "screening": lambda: screening_record(case=case, actor=owner, facts={}, person_not_identified=True),
    }


@pytest.mark.parametrize(
    "change", ["person", "suspect", "suspect-edit", "site", "representative", "file", "step", "screening"]
)
def test_a_change_sent_while_the_case_is_being_closed_waits_for_the_close_and_is_refused(owner, supervisor, change):
    """The closing transaction holds the case; a change that passed the view's check meanwhile must not land in it."""
    case = CaseFactory(created_by=owner)
    adders = _adders(case, owner)
    counts_before = _record_counts(case)
    closing_holds_the_case = threading.Event()
    outcome: list[str] = []

    def close_and_hold() -> None:
        with transaction.atomic():
            services.case_close(case=case, actor=supervisor, reason="Бүттү.")
            closing_holds_the_case.set()
            time.sleep(1.0)  # the change below runs now: unless it waits for this transaction, it lands first

    def change_it() -> None:
        assert closing_holds_the_case.wait(timeout=10)
        try:
            adders[change]()
            outcome.append("done")
        except PermissionDenied:
            outcome.append("refused")

    run_at_once(close_and_hold, change_it)

    assert outcome == ["refused"]
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    assert _record_counts(case) == counts_before


def _record_counts(case: Case) -> dict:
    from screening.models import Screening

    return {
        "people": case.victims.count(),
        "suspects": list(Suspect.objects.filter(case=case).values_list("nickname", flat=True)),
        "sites": case.sites.count(),
        "files": Attachment.objects.filter(case=case).count(),
        "steps": case.steps.count(),
        "screenings": Screening.objects.filter(case=case).count(),
        "representatives": sum(victim.legal_representatives.count() for victim in case.victims.all()),
    }
