"""Removing the same record, or closing the same case, from two browsers at the same moment: PostgreSQL, threads."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import Attachment, Case, Suspect
from tests.factories import CaseFactory
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
