"""What an attachment is, checked by its whole content (not its name, not its first bytes), and what is stripped.

The checks live in cases.files and run in services.attachment_add; the views' tests are in test_views_files.py.
"""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, PngImagePlugin

from cases import files, services
from cases.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)
DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
    b'2006/main"><w:body><w:p><w:r><w:t>\xd0\x9c\xd0\xb5\xd0\xbd</w:t></w:r></w:p></w:body></w:document>'
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Түшүндүрмө</dc:title><dc:creator>Асанова Айгүл</dc:creator>"
    "<cp:lastModifiedBy>Токтогулов Б.</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-30T10:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
).encode()
APP = b'<?xml version="1.0"?><Properties><Company>\xd0\x9e\xd0\x92\xd0\x94 \xd0\x9e\xd1\x88</Company></Properties>'


def docx(extra: dict[str, bytes] | None = None, *, leave_out: tuple[str, ...] = ()) -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "word/document.xml": DOCUMENT,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if name not in leave_out:
                archive.writestr(name, content)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Asanova Aigul"
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (42.0, 52.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (74.0, 36.0, 10.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"taken at the safe house", quality=90)
    return buffer.getvalue()


def png_with_text() -> bytes:
    image = Image.new("RGBA", (20, 20), (0, 120, 200, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Asanova Aigul")
    info.add_itxt("Comment", "Бишкек, Ош көчөсү 12")
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Asanova Aigul"
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, exif=exif)
    return buffer.getvalue()


def add(case, owner, name: str, content: bytes, max_bytes: int = 10**7) -> Attachment:
    return services.attachment_add(
        case=case, actor=owner, upload=SimpleUploadedFile(name, content), kind="document", max_bytes=max_bytes
    )


def refused(case, owner, name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        add(case, owner, name, content)
    assert not case.attachments.exists()
    return " ".join(caught.value.message_dict["file"])


def stored(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


# ---------------------------------------------------------------------------
# Plain text: the whole file
# ---------------------------------------------------------------------------
def test_a_text_file_is_checked_to_its_end_not_only_its_first_bytes(case, owner):
    clean = "Мен 2025-жылы Москвага кеттим.\n".encode() * 400  # about 20 KB
    assert "not valid text" in refused(case, owner, "notes.txt", clean + b"\x00\x01MZ")
    assert "not valid text" in refused(case, owner, "notes.txt", clean + b"\xff\xfe broken utf-8")
    assert "not valid text" in refused(case, owner, "notes.txt", clean + b"\x1b[31m escape")


def test_a_utf8_character_cut_between_two_chunks_is_still_text(case, owner):
    text = ("ң" * (files.CHUNK_SIZE // 2 + 1)).encode()  # two bytes a letter: one falls across a chunk's end
    assert add(case, owner, "long.txt", text).content_type == "text/plain"


def test_a_text_file_cut_inside_its_last_character_is_refused(case, owner):
    assert "not valid text" in refused(case, owner, "cut.txt", "Мен".encode()[:-1])


def test_tabs_line_ends_and_a_byte_order_mark_are_text(case, owner):
    content = "\ufeffАты\tЖөнү\r\nАсанова\tАйгүл\n".encode()
    attachment = add(case, owner, "list.txt", content)
    assert (attachment.content_type, stored(attachment)) == ("text/plain", content)


# ---------------------------------------------------------------------------
# DOCX: a real Word document, no macros, no traversal, no bomb
# ---------------------------------------------------------------------------
def test_a_word_document_is_accepted_and_its_author_fields_are_removed(case, owner):
    attachment = add(case, owner, "түшүндүрмө.docx", docx())

    content = stored(attachment)
    assert attachment.content_type == files.DOCX
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.read("word/document.xml") == DOCUMENT
        core = archive.read("docProps/core.xml").decode()
        app = archive.read("docProps/app.xml").decode()
    assert "Асанова" not in core and "Токтогулов" not in core
    assert "Түшүндүрмө" in core  # the title is the document's, not a person's
    assert "ОВД" not in app
    assert attachment.size == len(content) and attachment.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"PK\x03\x04" + b"\x00" * 200, "not a valid Word document"),
        (docx(leave_out=("word/document.xml",)), "not a valid Word document"),
        (docx(leave_out=("[Content_Types].xml",)), "not a valid Word document"),
        (docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "macros"),
        (docx({"WORD/VBAPROJECT.BIN": b"macro"}), "macros"),
        (docx({"../../etc/cron.d/job": b"* * * * * root sh"}), "not a valid Word document"),
        (docx({"/abs/path.xml": b"x"}), "not a valid Word document"),
        (docx({"word\\..\\..\\evil.xml": b"x"}), "not a valid Word document"),
    ],
    ids=["zip-header-only", "no-document-xml", "no-content-types", "macro", "macro-upper-case", "traversal",
         "absolute", "backslash-traversal"],
)  # fmt: skip
def test_a_docx_that_is_not_a_plain_word_document_is_refused(case, owner, content, why):
    assert why in refused(case, owner, "statement.docx", content)


def test_a_docx_holding_a_symbolic_link_is_refused(case, owner):
    buffer = io.BytesIO(docx())
    with zipfile.ZipFile(buffer, "a") as archive:
        link = zipfile.ZipInfo("word/media/image1.png")
        link.external_attr = (0o120777 << 16) | 0x20  # a symlink, as Info-ZIP stores one made on Unix
        archive.writestr(link, "/etc/passwd")
    assert "not a valid Word document" in refused(case, owner, "statement.docx", buffer.getvalue())


def test_a_zip_bomb_named_docx_is_refused_without_unpacking_it_all(case, owner, settings):
    bomb = docx({"word/media/blob.xml": b"\x00" * (files.DOCX_MAX_UNCOMPRESSED + 1)})
    assert len(bomb) < 1024 * 1024  # a small upload that unpacks past the bound
    assert "too much" in refused(case, owner, "statement.docx", bomb)


def test_a_docx_that_expands_a_thousand_times_is_refused(case, owner):
    bomb = docx({"word/media/blob.xml": b"A" * (4 * 1024 * 1024)})  # 4 MB of one letter: a few KB packed
    assert "too much" in refused(case, owner, "statement.docx", bomb)


def test_a_docx_whose_headers_understate_the_unpacked_size_is_refused(case, owner):
    """The headers say 10 bytes; the member unpacks to 4 MB: the unpacking stops at what was declared, the check sum
    fails, and the document is refused (the declared sizes alone are never trusted)."""
    import struct

    content = bytearray(docx({"word/media/blob.xml": b"\x00" * (4 * 1024 * 1024)}))
    # (signature, offset of the unpacked size, of the name's length, of the name) in a local and a central header
    for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (start := content.find(signature, start)) != -1:
            (length,) = struct.unpack_from("<H", content, start + length_at)
            if content[start + name_at : start + name_at + length] == b"word/media/blob.xml":
                struct.pack_into("<I", content, start + size_at, 10)
            start += 4
    assert "not a valid Word document" in refused(case, owner, "statement.docx", bytes(content))


def test_a_macro_enabled_document_renamed_docx_is_refused(case, owner):
    macro_types = CONTENT_TYPES.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    assert "macros" in refused(case, owner, "statement.docx", docx({"[Content_Types].xml": macro_types}))


# ---------------------------------------------------------------------------
# Images: opened with Pillow, re-encoded without their metadata
# ---------------------------------------------------------------------------
def test_a_photo_is_stored_without_its_exif_gps_and_comment(case, owner):
    original = jpeg_with_gps()
    assert b"Asanova" in original and b"safe house" in original  # the fixture does carry them

    attachment = add(case, owner, "photo.jpg", original)

    content = stored(attachment)
    assert attachment.content_type == "image/jpeg"
    assert b"Exif" not in content and b"Asanova" not in content and b"safe house" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG" and image.size == (40, 30)
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert attachment.sha256 == hashlib.sha256(content).hexdigest() and attachment.size == len(content)


def test_a_turned_photo_keeps_its_orientation_when_its_exif_is_removed(case, owner):
    image = Image.new("RGB", (40, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shown turned 90°
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)

    content = stored(add(case, owner, "turned.jpeg", buffer.getvalue()))

    with Image.open(io.BytesIO(content)) as stripped:
        assert stripped.size == (20, 40)
        assert ExifTags.Base.Orientation not in stripped.getexif()


def test_a_png_is_stored_without_its_text_chunks_and_exif(case, owner):
    original = png_with_text()
    assert b"Asanova" in original

    content = stored(add(case, owner, "scan.png", original))

    assert b"Asanova" not in content and "Ош көчөсү".encode() not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "PNG" and image.size == (20, 20) and image.mode == "RGBA"
        assert image.text == {} if hasattr(image, "text") else True
        assert dict(image.getexif()) == {}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 300),  # a JPEG header and nothing an image has
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 300),
        ("photo.jpg", png_with_text()),  # a real image, but the name says another kind
        ("photo.png", jpeg_with_gps()),
    ],
    ids=["jpeg-header-only", "png-header-only", "png-named-jpg", "jpeg-named-png"],
)
def test_an_image_pillow_cannot_open_or_of_another_kind_is_refused(case, owner, name, content):
    assert "not accepted" in refused(case, owner, name, content) or "not a valid image" in refused(
        case, owner, name, content
    )


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(case, owner):
    image = Image.new("1", (files.IMAGE_MAX_PIXELS // 1000 + 1, 1000))  # a bilevel PNG: tiny file, huge canvas
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert len(buffer.getvalue()) < 100_000
    assert "too large" in refused(case, owner, "big.png", buffer.getvalue())


# ---------------------------------------------------------------------------
# PDF: by its header; stored as uploaded
# ---------------------------------------------------------------------------
def test_a_pdf_is_stored_byte_for_byte(case, owner):
    attachment = add(case, owner, "scan.pdf", PDF)
    assert stored(attachment) == PDF and attachment.sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    "content",
    [b"<html><body>not a pdf</body></html>", b" %PDF-1.4 with a space first", b""],
    ids=["html", "space", "empty"],
)
def test_a_file_named_pdf_must_start_as_a_pdf(case, owner, content):
    refused(case, owner, "scan.pdf", content)


# ---------------------------------------------------------------------------
# File names
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "scan\x00.pdf",
        "invoice\u202efdp.exe.pdf",  # right-to-left override: shows as "invoiceexe.pdf" reversed
        "scan\u2066.pdf",
        "CON.pdf",
        "nul.txt",
        "com1.docx",
        "LPT9.pdf",
        "scan.pdf.",
        "scan\x1b[2J.pdf",
        ".pdf",
    ],
    ids=["nul", "rlo", "isolate", "con", "nul-name", "com1", "lpt9", "trailing-dot", "escape", "no-stem"],
)
def test_a_hostile_file_name_is_refused_with_a_message(case, owner, name):
    message = refused(case, owner, name, PDF if ".pdf" in name else b"text")
    assert "file name" in message


def test_a_name_longer_than_255_characters_is_refused():
    with pytest.raises(ValidationError, match="too long"):
        files.check_name("a" * 256 + ".pdf")
    assert files.check_name("а" * 251 + ".pdf") == "а" * 251 + ".pdf"


def test_a_name_with_a_path_keeps_only_its_last_part_and_the_file_is_stored_under_a_random_name(case, owner):
    attachment = add(case, owner, "../../etc/passwd.pdf", PDF)
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.name == f"attachments/{case.pk}/{attachment.pk}"


# ---------------------------------------------------------------------------
# Size
# ---------------------------------------------------------------------------
def test_an_empty_file_is_refused(case, owner):
    assert "empty" in refused(case, owner, "empty.txt", b"")


def test_the_stream_limit_handler_stops_reading_past_the_limit():
    from django.core.files.uploadhandler import StopUpload

    handler = files.AttachmentSizeLimit(max_bytes=100)
    handler.new_file("file", "a.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x" * 60, 60)
    assert stopped.value.connection_reset and handler.refused
