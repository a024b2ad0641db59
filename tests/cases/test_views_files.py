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


# ---------------------------------------------------------------------------
# Upload: the size limit while the body streams in
# ---------------------------------------------------------------------------
class _CountingPayload:
    """Counts what Django reads of the request body (the test client's wsgi.input)."""

    def __init__(self, monkeypatch):
        from django.test import client as test_client

        self.read = 0
        original = test_client.FakePayload.read
        counter = self

        def read(payload, *args, **kwargs):
            chunk = original(payload, *args, **kwargs)
            counter.read += len(chunk)
            return chunk

        monkeypatch.setattr(test_client.FakePayload, "read", read)


def test_an_upload_declared_larger_than_the_limit_is_refused_before_its_body_is_read(
    client_for, english, owner, case, settings, monkeypatch
):
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    client = client_for(owner)
    payload = _CountingPayload(monkeypatch)

    response = _upload(client, case, "big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))

    assert payload.read == 0
    assert response.redirect_chain == [(reverse("cases:detail", args=[case.pk]), 302)]
    assert _messages(response) == [(message_levels.ERROR, "The file is too large: at most 0.06 MB.")]
    assert not Attachment.objects.exists()
    assert case.history.count() == 1  # the case untouched


def test_the_size_limit_handler_stops_reading_a_body_whose_length_does_not_give_it_away(settings):
    """A body may be larger than its declared length allows for (chunked, or a proxy that does not check): the handler
    counts the file's bytes as they stream and stops the parser at the limit."""
    import io

    from django.core.files.uploadhandler import MemoryFileUploadHandler
    from django.http.multipartparser import MultiPartParser

    from cases.files import AttachmentSizeLimit

    boundary = "BoUnDaRy"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndocument\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"%PDF-1.4\n"
        + b"0" * (4 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )

    class Counting(io.BytesIO):
        taken = 0

        def read(self, size=-1):
            chunk = super().read(size)
            Counting.taken += len(chunk)
            return chunk

    limit = AttachmentSizeLimit(max_bytes=100 * 1024)
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(len(body))}
    post, uploaded = MultiPartParser(meta, Counting(body), [limit, MemoryFileUploadHandler()]).parse()

    assert limit.refused
    assert not uploaded  # nothing kept of the file
    assert post["kind"] == "document"
    assert Counting.taken < 100 * 1024 + 4 * AttachmentSizeLimit.chunk_size  # not the 4 MB


def test_a_file_just_over_the_limit_within_the_form_margin_is_refused_while_streaming(
    client_for, english, owner, case, settings
):
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    response = _upload(client_for(owner), case, "big.pdf", b"%PDF-1.4\n" + b"0" * (64 * 1024))

    assert response.status_code == 200
    assert _messages(response) == [(message_levels.ERROR, "The file is too large: at most 0.06 MB.")]
    assert not Attachment.objects.exists()


def test_the_upload_view_still_checks_the_csrf_token(owner, case):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(
        reverse("cases:attachment_upload", args=[case.pk]),
        {"kind": "document", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_foreign_case_answers_404_before_the_body_is_read(client_for, outsider, case, monkeypatch):
    client = client_for(outsider)
    payload = _CountingPayload(monkeypatch)
    response = client.post(
        reverse("cases:attachment_upload", args=[case.pk]),
        {"kind": "document", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 404
    assert payload.read == 0


# ---------------------------------------------------------------------------
# Upload: hostile names and contents give a message, never a 500
# ---------------------------------------------------------------------------
def _raw_upload(client, case, filename: str, content: bytes):
    """A multipart body written by hand: the test client's own files cannot carry every name a browser may send."""
    boundary = "HoStIlE"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndocument\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        reverse("cases:attachment_upload", args=[case.pk]),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a" * 300 + ".pdf", PDF),
        ("../../../etc/passwd", PDF),
        ("..", PDF),
        ("..\\..\\windows\\win.ini", b"text"),
        ("CON.pdf", PDF),
        ("aux.txt", b"text"),
        ("LPT1", b"text"),
        ("scan.pdf.", PDF),
        ("empty.pdf", b""),
        ("page.pdf", HTML),
        ("notes.txt", b"text" * 1000 + b"\x00"),
        ("statement.docx", b"PK\x03\x04" + b"\x00" * 100),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("photo.jpg", b"\xff\xd8\xff" + b"<html>" * 100),
    ],
    ids=["300-chars", "traversal", "dot-dot", "windows-traversal", "con", "aux", "lpt1", "trailing-dot", "empty-pdf",
         "html-as-pdf", "nul-late-in-text", "zip-header-docx", "png-header-only", "html-behind-jpeg-magic"],
)  # fmt: skip
def test_hostile_uploads_get_an_error_message_and_store_nothing(client_for, english, owner, case, name, content):
    response = _raw_upload(client_for(owner), case, name, content)

    assert response.status_code == 200
    assert [level for level, _text in _messages(response)] == [message_levels.ERROR]
    assert not Attachment.objects.exists()


def test_a_1000_character_name_is_refused_by_djangos_parser_with_400_and_nothing_stored(client_for, owner, case):
    # A part's headers may hold at most 1024 bytes (Django's MAX_TOTAL_HEADER_SIZE): a bad request, never a 500.
    response = _raw_upload(client_for(owner), case, "а" * 1000 + ".pdf", PDF)
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_a_300_character_name_is_refused_as_too_long(client_for, english, owner, case):
    response = _raw_upload(client_for(owner), case, "a" * 300 + ".pdf", PDF)
    assert _messages(response) == [
        (
            message_levels.ERROR,
            "The file name is too long: at most 255 characters. Rename the file and upload it again.",
        )
    ]


@pytest.mark.parametrize(
    "name", ["scan\x00.pdf", "invoice\u202efdp.exe.pdf", "scan\u2066\u200f.pdf", "scan\x1b[2J.pdf", "scan&#0;.pdf"]
)
def test_hidden_characters_in_a_name_never_reach_the_stored_name(client_for, owner, case, name):
    """Django's parser drops the characters that are not printable from a file name before any code of ours sees it;
    what is left is checked like any name (and a name that ends up empty is no file at all)."""
    response = _raw_upload(client_for(owner), case, name, PDF)

    assert response.status_code == 200
    for attachment in Attachment.objects.all():
        assert attachment.original_name.isprintable(), attachment.original_name
        assert attachment.original_name.endswith(".pdf")


# ---------------------------------------------------------------------------
# Download: the headers, and no other way to the file
# ---------------------------------------------------------------------------
def test_a_cyrillic_file_name_is_sent_as_rfc_6266_filename_star(client_for, owner, attachment):
    response = client_for(owner).get(reverse("cases:attachment_download", args=[attachment.pk]))

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=utf-8''%D0%90%D1%81%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0%20" in disposition
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_stored_name_with_quotes_line_ends_or_bidi_marks_is_made_safe_in_the_header(client_for, owner, attachment):
    Attachment.objects.filter(pk=attachment.pk).update(original_name='a"b;\r\nSet-Cookie: x=1\u202e.pdf')

    response = client_for(owner).get(reverse("cases:attachment_download", args=[attachment.pk]))

    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "\u202e" not in disposition
    assert "Set-Cookie" not in response.headers or response.headers.get("Set-Cookie", "").find("x=1") < 0
    assert disposition.startswith("attachment; filename=")


def test_the_stored_file_is_not_served_under_media(client_for, owner, attachment, settings):
    client = client_for(owner)
    for url in (
        f"/media/{attachment.file.name}",
        f"/{attachment.file.name}",
        f"/static/../media/{attachment.file.name}",
    ):
        assert client.get(url).status_code == 404, url


def test_no_url_serves_files_from_a_folder():
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.views import static

    def callbacks(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from callbacks(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield pattern.callback

    assert static.serve not in set(callbacks(get_resolver().url_patterns))
    assert settings.MEDIA_URL is None
