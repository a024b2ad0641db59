"""Attachments through their URLs: checked on upload by content and size, served only to who may read the case."""

import hashlib

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services
from cases.models import Attachment, PersonalDataAccess

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 3000 + b"\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>document.location='http://evil.example'</script></body></html>"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _upload(client, case, name: str, content: bytes, kind: str = "document"):
    return client.post(
        reverse("cases:attachment_upload", args=[case.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def _messages(response) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in response.context["messages"]]


@pytest.fixture
def attachment(case, owner):
    return services.attachment_add(
        case=case, actor=owner, upload=SimpleUploadedFile("Асанова паспорт.pdf", PDF), kind="document", max_bytes=10**6
    )


# ---------------------------------------------------------------------------
# Upload
# ---------------------------------------------------------------------------
def test_a_pdf_is_accepted_and_stored_with_its_sha256(client_for, english, owner, case):
    response = _upload(client_for(owner), case, "explanation.pdf", PDF, kind="statement")

    assert response.redirect_chain == [(reverse("cases:detail", args=[case.pk]), 302)]
    assert _messages(response) == [(message_levels.SUCCESS, "The file was attached.")]
    attachment = Attachment.objects.get(case=case)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (attachment.content_type, attachment.size, attachment.kind) == ("application/pdf", len(PDF), "statement")
    assert (attachment.original_name, attachment.uploaded_by) == ("explanation.pdf", owner)
    assert attachment.history.get().history_user == owner
    assert "explanation.pdf" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [("scan.pdf", EXECUTABLE), ("scan.pdf", HTML), ("photo.jpg", HTML), ("report.exe", PDF)],
    ids=["executable-named-pdf", "html-named-pdf", "html-named-jpg", "pdf-named-exe"],
)
def test_a_file_that_is_not_what_its_name_says_is_rejected_with_a_clear_message(
    client_for, english, owner, case, name, content
):
    response = _upload(client_for(owner), case, name, content)
    assert response.status_code == 200
    assert _messages(response) == [
        (message_levels.ERROR, "This kind of file is not accepted: use PDF, JPEG, PNG, DOCX or plain text.")
    ]
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_rejected(client_for, english, owner, case, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    too_big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    response = _upload(client_for(owner), case, "big.pdf", too_big)
    assert _messages(response) == [(message_levels.ERROR, "The file is too large: at most 1 MB.")]
    assert not Attachment.objects.exists()


def test_a_file_exactly_at_the_size_limit_is_accepted(client_for, owner, case, settings):
    settings.ATTACHMENT_MAX_BYTES = 4096
    at_limit = b"%PDF-1.4\n" + b"0" * (4096 - 9)
    _upload(client_for(owner), case, "limit.pdf", at_limit)
    assert Attachment.objects.get().size == 4096


def test_an_upload_without_a_file_is_refused(client_for, owner, case):
    response = client_for(owner).post(
        reverse("cases:attachment_upload", args=[case.pk]), {"kind": "document"}, follow=True
    )
    assert [level for level, _text in _messages(response)] == [message_levels.ERROR]
    assert not Attachment.objects.exists()


def test_a_plain_text_file_is_accepted(client_for, owner, case):
    _upload(client_for(owner), case, "түшүндүрмө.txt", "Мен 2025-жылы Москвага кеттим.".encode())
    assert Attachment.objects.get().content_type == "text/plain"


def test_a_reader_without_change_rights_cannot_upload(client_for, owner, outsider, case):
    services.case_grant_access(case=case, grantee=outsider, actor=owner)
    response = client_for(outsider).post(
        reverse("cases:attachment_upload", args=[case.pk]),
        {"kind": "document", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()


# ---------------------------------------------------------------------------
# Download
# ---------------------------------------------------------------------------
def test_the_owner_downloads_the_file_and_the_download_is_logged(client_for, owner, attachment):
    response = client_for(owner).get(reverse("cases:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.action, row.record_type, row.record_id) == (
        owner,
        "download",
        "attachment",
        str(attachment.pk),
    )
    assert row.case_id == attachment.case_id


def test_a_per_case_reader_may_download(client_for, owner, outsider, attachment):
    services.case_grant_access(case=attachment.case, grantee=outsider, actor=owner)
    response = client_for(outsider).get(reverse("cases:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_outsider_gets_404_and_only_the_refusal_is_logged(client_for, outsider, attachment):
    response = client_for(outsider).get(reverse("cases:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404
    [row] = PersonalDataAccess.objects.all()  # only the refusal
    assert (row.action, row.record_type, row.record_id) == ("denied", "attachment", str(attachment.pk))


def test_the_analyst_cannot_download(client_for, analyst, attachment):
    assert client_for(analyst).get(reverse("cases:attachment_download", args=[attachment.pk])).status_code == 404


def test_an_analyst_granted_the_case_can_neither_download_its_files_nor_read_their_names(
    client_for, analyst, owner, attachment
):
    # file names and contents are personal data (a passport scan, an explanation)
    services.case_grant_access(case=attachment.case, grantee=analyst, actor=owner)
    client = client_for(analyst)
    page = client.get(reverse("cases:detail", args=[attachment.case.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Асанова" not in body
    assert reverse("cases:attachment_download", args=[attachment.pk]) not in body
    assert client.get(reverse("cases:attachment_download", args=[attachment.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exclude(action="denied").exists()  # no read; each refusal is logged
    assert PersonalDataAccess.objects.filter(action="denied", record_type="attachment").count() == 1
