"""Records can be corrected: suspects, sites and legal representatives edited or removed with a reason, attachments
removed with their file kept for the audit, a case closed with a reason and reopened with one; through the URLs."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from cases import services
from cases.models import (
    Case,
    ExploitationSite,
    LegalRepresentative,
    OfficerStep,
    PersonalDataAccess,
    Suspect,
)
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "Эки жолу киргизилген: 12-июндагы жазуунун кайталоосу."


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def suspect(owner, case):
    return services.suspect_add(case=case, actor=owner, data={"nickname": "Бай ага", "sex": "male", "age": 45})


@pytest.fixture
def site(owner, case):
    return services.exploitation_site_add(case=case, actor=owner, data={"location": "Москва, Люблино, цех"})


@pytest.fixture
def child(owner, case):
    return services.victim_create(
        case=case, actor=owner, data={"last_name": "Асанова", "first_name": "Айжан", "date_of_birth": date(2012, 1, 1)}
    )


@pytest.fixture
def representative(owner, child):
    return services.legal_representative_add(
        victim=child, actor=owner, data={"full_name": "Асанов Бакыт", "relation": "father", "is_suspect": True}
    )


@pytest.fixture
def attachment(owner, case):
    upload = SimpleUploadedFile("паспорт.pdf", b"%PDF-1.4 passport scan")
    return services.attachment_add(case=case, actor=owner, upload=upload, kind="document", max_bytes=10**6)


def summary_of(html: str) -> str:
    """The error summary at the top of a refused form."""
    return html.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]


# ---------------------------------------------------------------------------
# Suspects and exploitation sites: edit (versioned) and remove (with a reason)
# ---------------------------------------------------------------------------
RECORDS = {
    "suspect": {
        "model": Suspect,
        "edit": "cases:suspect_edit",
        "remove": "cases:suspect_remove",
        "data": {"full_name": "Бакиев Бакыт", "nickname": "Бай ага", "sex": "male", "age": "46", "armed": "no"},
        "field": "age",
        "saved": 46,
        "other": "50",
        "shown": "Бай ага",
    },
    "site": {
        "model": ExploitationSite,
        "edit": "cases:site_edit",
        "remove": "cases:site_remove",
        "data": {"location": "Москва, Люблино, кийим цехи", "description": "", "other_victims": "yes"},
        "field": "other_victims",
        "saved": "yes",
        "other": "no",
        "shown": "Москва, Люблино",
    },
}


def _form_data(kind: str, record, **changes) -> dict:
    data = {"sane": "unknown", "other_victims_notes": "", **RECORDS[kind]["data"], "version": record.version}
    data.update(changes)
    return data


@pytest.mark.parametrize("kind", RECORDS)
def test_the_case_page_links_each_record_to_its_correction(request, client_for, owner, case, kind):
    record = request.getfixturevalue(kind)

    html = client_for(owner).get(case.get_absolute_url()).content.decode()

    assert reverse(RECORDS[kind]["edit"], args=[record.pk]) in html


@pytest.mark.parametrize("kind", RECORDS)
def test_a_record_is_corrected_and_the_history_names_who(request, client_for, owner, supervisor, case, kind):
    record = request.getfixturevalue(kind)
    spec = RECORDS[kind]
    client = client_for(supervisor)
    assert client.get(reverse(spec["edit"], args=[record.pk])).status_code == 200

    response = client.post(reverse(spec["edit"], args=[record.pk]), _form_data(kind, record))

    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    record.refresh_from_db()
    assert getattr(record, spec["field"]) == spec["saved"]
    assert record.version == 2
    latest = record.history.first()
    assert (latest.history_user, latest.history_change_reason) == (supervisor, "edited")


@pytest.mark.parametrize("kind", RECORDS)
def test_a_stale_correction_answers_409_with_who_changed_what_and_overwrites_nothing(
    request, client_for, english, owner, supervisor, case, kind
):
    record = request.getfixturevalue(kind)
    spec = RECORDS[kind]
    opened_at = record.version
    client_for(supervisor).post(reverse(spec["edit"], args=[record.pk]), _form_data(kind, record))

    response = client_for(owner).post(
        reverse(spec["edit"], args=[record.pk]),
        _form_data(kind, record, version=opened_at, **{spec["field"]: spec["other"]}),
    )

    assert response.status_code == 409
    assert "someone changed this record after you opened the form" in response.content.decode()
    record.refresh_from_db()
    assert (getattr(record, spec["field"]), record.version) == (spec["saved"], 2)


@pytest.mark.parametrize("kind", RECORDS)
def test_an_invalid_correction_shows_an_error_summary_at_the_top_and_changes_nothing(
    request, client_for, english, owner, case, kind
):
    record = request.getfixturevalue(kind)
    spec = RECORDS[kind]
    wrong = {"age": "-3"} if kind == "suspect" else {"location": ""}

    response = client_for(owner).post(reverse(spec["edit"], args=[record.pk]), _form_data(kind, record, **wrong))

    assert response.status_code == 400
    html = response.content.decode()
    (field,) = wrong
    assert 'role="alert"' in summary_of(html) and f'href="#id_{field}"' in summary_of(html)
    assert html.index('class="error-summary"') < html.index('<form method="post" class="card form"')
    record.refresh_from_db()
    assert record.version == 1


@pytest.mark.parametrize("kind", RECORDS)
def test_a_record_is_removed_with_a_reason_that_the_case_history_shows(request, client_for, english, owner, case, kind):
    record = request.getfixturevalue(kind)
    spec = RECORDS[kind]
    client = client_for(owner)
    assert client.get(reverse(spec["remove"], args=[record.pk])).status_code == 200

    response = client.post(reverse(spec["remove"], args=[record.pk]), {"reason": REASON, "version": record.version})

    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert not spec["model"].objects.exists()
    gone = spec["model"].history.filter(id=record.pk).first()
    assert (gone.history_type, gone.history_user, gone.history_change_reason) == ("-", owner, f"removed: {REASON}")
    html = client.get(case.get_absolute_url()).content.decode()
    history = html.split('<ol class="timeline">', 1)[1]
    assert REASON in history
    assert spec["shown"] not in html.split('<ol class="timeline">', 1)[0]


@pytest.mark.parametrize("kind", RECORDS)
def test_a_removal_without_a_reason_is_refused_with_an_error_summary(request, client_for, english, owner, kind):
    record = request.getfixturevalue(kind)

    response = client_for(owner).post(
        reverse(RECORDS[kind]["remove"], args=[record.pk]), {"reason": "  ", "version": record.version}
    )

    assert response.status_code == 400
    assert 'href="#id_reason"' in summary_of(response.content.decode())
    assert RECORDS[kind]["model"].objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", RECORDS)
def test_removing_a_record_changed_since_the_page_was_opened_is_refused(
    request, client_for, owner, supervisor, case, kind
):
    record = request.getfixturevalue(kind)
    opened_at = record.version
    client_for(supervisor).post(reverse(RECORDS[kind]["edit"], args=[record.pk]), _form_data(kind, record))

    response = client_for(owner).post(
        reverse(RECORDS[kind]["remove"], args=[record.pk]), {"reason": REASON, "version": opened_at}
    )

    assert response.status_code == 409
    assert RECORDS[kind]["model"].objects.filter(pk=record.pk).exists()


def test_the_analyst_sees_no_removal_reason_in_the_history(client_for, owner, analyst, case, suspect):
    services.case_grant_access(case=case, grantee=analyst, actor=owner)
    services.suspect_remove(suspect=suspect, actor=owner, reason=REASON, version=suspect.version)

    html = client_for(analyst).get(case.get_absolute_url()).content.decode()

    assert REASON not in html


# ---------------------------------------------------------------------------
# Legal representatives: corrected and removed from the person's page (personal data: the read is logged)
# ---------------------------------------------------------------------------
REPRESENTATIVE = {"full_name": "Асанова Гүлнара", "relation": "mother", "phone": "0700 123 456", "address": ""}


def test_the_person_page_links_each_representative_to_its_correction(client_for, owner, child, representative):
    html = client_for(owner).get(reverse("cases:victim_detail", args=[child.pk])).content.decode()

    assert reverse("cases:representative_edit", args=[representative.pk]) in html


def test_a_representative_is_corrected_and_the_opening_of_the_form_is_logged(client_for, owner, child, representative):
    client = client_for(owner)
    url = reverse("cases:representative_edit", args=[representative.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {**REPRESENTATIVE, "version": representative.version})

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:victim_detail", args=[child.pk])
    representative.refresh_from_db()
    assert (representative.full_name, representative.is_suspect, representative.version) == (
        "Асанова Гүлнара",
        False,
        2,
    )
    logged = PersonalDataAccess.objects.filter(action=PersonalDataAccess.Action.EDIT_FORM)
    assert list(logged.values_list("record_type", "record_id")) == [("legalrepresentative", str(representative.pk))] * 2


def test_removing_the_representative_who_is_a_suspect_keeps_the_history(
    client_for, english, owner, child, representative
):
    response = client_for(owner).post(
        reverse("cases:representative_remove", args=[representative.pk]),
        {"reason": REASON, "version": representative.version},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:victim_detail", args=[child.pk])
    assert not LegalRepresentative.objects.exists()
    gone = LegalRepresentative.history.filter(id=representative.pk).first()
    assert (gone.history_type, gone.full_name, gone.history_change_reason) == (
        "-",
        "Асанов Бакыт",
        f"removed: {REASON}",
    )


def test_analysts_never_correct_a_representative_even_with_a_grant(client_for, owner, analyst, case, representative):
    services.case_grant_access(case=case, grantee=analyst, actor=owner, can_change=True)
    client = client_for(analyst)

    assert client.get(reverse("cases:representative_edit", args=[representative.pk])).status_code == 404
    assert (
        client.post(reverse("cases:representative_remove", args=[representative.pk]), {"reason": REASON}).status_code
        == 404
    )
    assert LegalRepresentative.objects.filter(pk=representative.pk).exists()


# ---------------------------------------------------------------------------
# Attachments: removed with a reason; the row and the file stay for the audit
# ---------------------------------------------------------------------------
def test_an_attachment_is_removed_with_a_reason_keeping_the_row_and_the_file(client_for, owner, case, attachment):
    client = client_for(owner)
    url = reverse("cases:attachment_remove", args=[attachment.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": REASON})

    assert response.status_code == 302
    attachment.refresh_from_db()
    assert (attachment.removed_by, attachment.removal_reason) == (owner, REASON)
    assert attachment.removed_at is not None
    with attachment.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 passport scan"
    assert attachment.history.first().history_change_reason == f"removed: {REASON}"


def test_a_removed_attachment_leaves_the_case_page_and_can_no_longer_be_downloaded(client_for, owner, case, attachment):
    services.attachment_remove(attachment=attachment, actor=owner, reason=REASON)
    client = client_for(owner)

    html = client.get(case.get_absolute_url()).content.decode()
    download = client.get(reverse("cases:attachment_download", args=[attachment.pk]))

    assert reverse("cases:attachment_download", args=[attachment.pk]) not in html
    assert "паспорт.pdf" not in html.split('<ol class="timeline">', 1)[0]
    assert download.status_code == 404


def test_a_superuser_may_still_download_a_removed_attachment_and_the_download_is_logged(
    client_for, owner, case, attachment, ministry
):
    services.attachment_remove(attachment=attachment, actor=owner, reason=REASON)
    auditor = UserFactory(unit=ministry, is_staff=True, is_superuser=True)

    response = client_for(auditor).get(reverse("cases:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 passport scan"
    assert PersonalDataAccess.objects.filter(user=auditor, action=PersonalDataAccess.Action.DOWNLOAD).count() == 1


def test_the_admin_lists_removed_attachments_with_who_and_why_for_superusers(client_for, owner, attachment, ministry):
    services.attachment_remove(attachment=attachment, actor=owner, reason=REASON)
    auditor = UserFactory(unit=ministry, is_staff=True, is_superuser=True)

    html = client_for(auditor).get(reverse("admin:cases_attachment_changelist")).content.decode()

    assert REASON in html
    assert reverse("cases:attachment_download", args=[attachment.pk]) in html


def test_a_removal_of_an_attachment_without_a_reason_is_refused(client_for, owner, attachment):
    response = client_for(owner).post(reverse("cases:attachment_remove", args=[attachment.pk]), {"reason": ""})

    assert response.status_code == 400
    attachment.refresh_from_db()
    assert attachment.removed_at is None


# ---------------------------------------------------------------------------
# Closing and reopening a case
# ---------------------------------------------------------------------------
CLOSING = "Текшерүүнүн жыйынтыгында кылмыштын белгилери табылган жок."
REOPENING = "Жабырлануучу жаңы фактыларды айтып берди."


@pytest.fixture
def checked_case(owner):
    case = CaseFactory(created_by=owner, status=Case.Status.CHECK)
    return case


def test_a_case_is_closed_with_a_reason_and_the_page_says_that_only_reopening_remains(
    client_for, english, owner, checked_case
):
    client = client_for(owner)
    assert client.get(reverse("cases:close", args=[checked_case.pk])).status_code == 200

    response = client.post(reverse("cases:close", args=[checked_case.pk]), {"reason": CLOSING})

    assert response.status_code == 302
    checked_case.refresh_from_db()
    assert checked_case.status == Case.Status.CLOSED
    html = client.get(checked_case.get_absolute_url()).content.decode()
    assert "This case is closed: nothing in it can be changed until it is reopened." in html
    assert CLOSING in html
    assert reverse("cases:reopen", args=[checked_case.pk]) in html
    assert reverse("cases:edit", args=[checked_case.pk]) not in html
    assert reverse("cases:suspect_add", args=[checked_case.pk]) not in html


def test_closing_without_a_reason_is_refused_with_an_error_summary(client_for, english, owner, checked_case):
    response = client_for(owner).post(reverse("cases:close", args=[checked_case.pk]), {"reason": ""})

    assert response.status_code == 400
    assert 'href="#id_reason"' in summary_of(response.content.decode())
    checked_case.refresh_from_db()
    assert checked_case.status == Case.Status.CHECK


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("cases:edit", "get", None),
        ("cases:suspect_add", "post", {"nickname": "Бай", "sex": "male", "armed": "unknown", "sane": "unknown"}),
        ("cases:victim_create", "get", None),
        ("cases:step_record", "post", {"code": "interview"}),
        ("screening:wizard", "get", None),
        ("cases:close", "get", None),
    ],
)
def test_a_closed_case_refuses_every_change_with_a_message_until_reopened(
    client_for, english, owner, checked_case, name, method, data
):
    services.case_close(case=checked_case, actor=owner, reason=CLOSING)
    client = client_for(owner)
    url = reverse(name, args=[checked_case.pk])

    response = client.get(url) if method == "get" else client.post(url, data)

    assert response.status_code == 403
    assert f"Case {checked_case.number} is closed" in response.content.decode()
    assert not Suspect.objects.exists() and not OfficerStep.objects.exists()


def test_a_closed_case_is_reopened_with_a_reason_at_the_status_it_had(client_for, english, owner, checked_case):
    services.case_close(case=checked_case, actor=owner, reason=CLOSING)
    client = client_for(owner)
    assert client.get(reverse("cases:reopen", args=[checked_case.pk])).status_code == 200

    response = client.post(reverse("cases:reopen", args=[checked_case.pk]), {"reason": REOPENING})

    assert response.status_code == 302
    checked_case.refresh_from_db()
    assert checked_case.status == Case.Status.CHECK
    html = client.get(checked_case.get_absolute_url()).content.decode()
    history = html.split('<ol class="timeline">', 1)[1]
    assert CLOSING in history and REOPENING in history
    assert reverse("cases:edit", args=[checked_case.pk]) in html


def test_an_open_case_cannot_be_reopened(client_for, english, owner, checked_case):
    response = client_for(owner).post(reverse("cases:reopen", args=[checked_case.pk]), {"reason": REOPENING})

    assert response.status_code == 400
    checked_case.refresh_from_db()
    assert checked_case.status == Case.Status.CHECK


def test_the_edit_form_offers_no_closed_status(client_for, owner, checked_case):
    response = client_for(owner).get(reverse("cases:edit", args=[checked_case.pk]))

    statuses = [value for value, _label in response.context["form"].fields["status"].choices]
    assert Case.Status.CLOSED not in statuses
    assert Case.Status.CHECK in statuses


def test_a_role_that_does_not_work_cases_cannot_close_one(client_for, district):
    operator = UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])
    case = CaseFactory(created_by=operator)

    response = client_for(operator).post(reverse("cases:close", args=[case.pk]), {"reason": CLOSING})

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Case.Status.NEW
    assert (
        reverse("cases:close", args=[case.pk]) not in client_for(operator).get(case.get_absolute_url()).content.decode()
    )


def test_the_case_page_of_an_open_case_offers_closing_to_who_works_it(client_for, owner, checked_case):
    html = client_for(owner).get(checked_case.get_absolute_url()).content.decode()

    assert reverse("cases:close", args=[checked_case.pk]) in html
    assert re.search(r"reopen", html) is None


def test_the_admin_shows_a_removed_attachment_read_only_without_a_public_file_address(
    client_for, owner, attachment, ministry
):
    services.attachment_remove(attachment=attachment, actor=owner, reason=REASON)
    auditor = UserFactory(unit=ministry, is_staff=True, is_superuser=True)

    response = client_for(auditor).get(reverse("admin:cases_attachment_change", args=[attachment.pk]))

    assert response.status_code == 200
    assert REASON in response.content.decode()


def test_staff_who_are_not_superusers_do_not_see_attachments_in_the_admin(client_for, owner, attachment, ministry):
    staff = UserFactory(unit=ministry, is_staff=True)

    assert client_for(staff).get(reverse("admin:cases_attachment_changelist")).status_code == 403
