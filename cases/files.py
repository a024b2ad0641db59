"""What a case's attachment may be: checked by its whole content, with its metadata stripped, before it is stored.

- The size: an upload handler (AttachmentSizeLimit) counts the file's bytes while the body streams in and stops the
  parser past the limit; the upload view refuses a body whose declared length is already too large before reading it.
- The name: no control or format character (NUL, escape, bidi override), at most 255 characters, not a Windows device
  name (CON, NUL, COM1...), an extension that names one of the accepted kinds.
- The content, to its last byte: plain text is UTF-8 throughout without control characters; a .docx is a zip with
  word/document.xml and [Content_Types].xml, no path that leaves its folder, no symbolic link, no macros, and unpacks
  (really unpacked, not as its headers say) to a bounded size and ratio; a PDF starts as a PDF; an image opens in
  Pillow as the kind its name says, with a bounded number of pixels.
- The metadata: JPEG and PNG images are re-encoded without EXIF (GPS, camera, author), comments and text chunks; a
  .docx loses its author fields (docProps/core.xml creator and last-modified-by, docProps/app.xml company and manager).
  A PDF is stored as uploaded (its metadata is not stripped).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".txt": TEXT, ".docx": DOCX}
DEFAULT_EXTENSION = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TEXT: ".txt", DOCX: ".docx"}

CHUNK_SIZE = 64 * 1024
FILE_NAME_MAX_LENGTH = 255
# What a form's other fields, the boundaries and the part headers add to the file in a multipart body (the CSRF token,
# the kind, a long file name): a body declared longer than the limit and this is refused before it is read.
FORM_MARGIN = 16 * 1024
DOCX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
DOCX_MAX_RATIO = 100  # unpacked size / packed size, counted once the document unpacks to more than 1 MB
DOCX_RATIO_FROM = 1024 * 1024
DOCX_MAX_MEMBERS = 2000
IMAGE_MAX_PIXELS = 40_000_000  # 40 megapixels: a phone photo is 12 to 50; each pixel costs 3 to 4 bytes to decode

WINDOWS_DEVICE_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(10)]
)
TEXT_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # tab, line ends and form feed are text
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|ms-office\.activeX", re.IGNORECASE)
# Author fields of a Word document's properties, whatever their namespace prefix (an element and its content).
CORE_PEOPLE = ("creator", "lastModifiedBy")
APP_PEOPLE = ("Company", "Manager")

NOT_ACCEPTED = _("This kind of file is not accepted: use PDF, JPEG, PNG, DOCX or plain text.")
TOO_LARGE = _("The file is too large: at most {size} MB.")
EMPTY = _("The file is empty.")
NAME_TOO_LONG = _("The file name is too long: at most {count} characters. Rename the file and upload it again.")
NAME_NOT_USABLE = _(
    "The file name cannot be used: it holds hidden or control characters, is a reserved device name or ends with a "
    "dot or a space. Rename the file and upload it again."
)
NOT_TEXT = _(
    "The file is not valid text: save it as plain text in UTF-8 without control characters, or as PDF, and upload it "
    "again."
)
NOT_DOCX = _("The file is not a valid Word document (.docx): save it again in Word, or as PDF, and upload it again.")
MACROS = _("Word documents with macros are not accepted: save it as a .docx without macros, or as PDF.")
DOCX_TOO_MUCH = _("The Word document unpacks to too much data: save it again in Word, or as PDF.")
NOT_IMAGE = _("The file is not a valid image of the kind its name says: save it again as JPEG or PNG.")
IMAGE_TOO_LARGE = _("The image is too large: at most {count} megapixels.")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: its name, its kind and the content to store (stripped where possible)."""

    name: str
    content_type: str
    content: File
    size: int


def refuse(message) -> ValidationError:
    return ValidationError({"file": message})


def megabytes(size: int) -> str:
    """The limit in MB as people read it: 15, 1, 0.06."""
    return f"{round(size / (1024 * 1024), 2):g}"


def too_large(max_bytes: int) -> ValidationError:
    return refuse(TOO_LARGE.format(size=megabytes(max_bytes)))


# ---------------------------------------------------------------------------
# Size, while the body streams in
# ---------------------------------------------------------------------------
def declared_too_large(meta: dict, max_bytes: int) -> bool:
    """Whether the request's declared length already passes the limit (and the form's margin): refused unread."""
    try:
        return int(meta.get("CONTENT_LENGTH") or 0) > max_bytes + FORM_MARGIN
    except ValueError:
        return False  # Django's parser refuses a malformed length itself


class AttachmentSizeLimit(FileUploadHandler):
    """Put first among the request's upload handlers: counts the files' bytes as they arrive and stops reading the body
    as soon as they pass `max_bytes` (the handlers after it never see the excess; nothing is kept)."""

    chunk_size = CHUNK_SIZE

    def __init__(self, request=None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.refused = False
        self.names: list[str] = []

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.names.append(file_name)  # as sent, before Django cuts a long name to 255 characters

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.refused = True
            raise StopUpload(connection_reset=True)  # stop: do not read (or exhaust) the rest of the body
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


# ---------------------------------------------------------------------------
# The name
# ---------------------------------------------------------------------------
def check_name(name: str) -> str:
    """The file's name as the browser sent it (Django keeps only its last path part), or a ValidationError."""
    if len(name) > FILE_NAME_MAX_LENGTH:
        raise refuse(NAME_TOO_LONG.format(count=FILE_NAME_MAX_LENGTH))
    stem = name.split(".", 1)[0]
    if (
        not stem.strip()
        or any(unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp") for character in name)
        or "/" in name
        or "\\" in name
        or name.endswith((".", " "))
        or stem.strip().upper() in WINDOWS_DEVICE_NAMES
    ):
        raise refuse(NAME_NOT_USABLE)
    return name


def content_type_for(name: str) -> str | None:
    return EXTENSIONS.get(os.path.splitext(name.lower())[1])


def safe_download_name(name: str, content_type: str) -> str:
    """A name for Content-Disposition: no control, format or path characters, the extension of the stored kind."""
    cleaned = "".join(
        "_" if character in '"\\/:*?<>|;' else character
        for character in name
        if unicodedata.category(character) not in ("Cc", "Cf", "Zl", "Zp")
    ).strip(" .")[:FILE_NAME_MAX_LENGTH]
    extension = DEFAULT_EXTENSION.get(content_type, "")
    if content_type_for(cleaned) != content_type:
        cleaned = f"{cleaned or 'file'}{extension}"
    return cleaned


# ---------------------------------------------------------------------------
# The content
# ---------------------------------------------------------------------------
def check_upload(upload: UploadedFile, *, max_bytes: int) -> CheckedFile:
    """Check an upload by its name, size and whole content; return what to store, or raise ValidationError."""
    name = check_name(upload.name or "")
    content_type = content_type_for(name)
    if content_type is None:
        raise refuse(NOT_ACCEPTED)
    if not upload.size:
        raise refuse(EMPTY)
    if upload.size > max_bytes:
        raise too_large(max_bytes)
    upload.seek(0)
    try:
        content = CHECKS[content_type](upload)
    finally:
        upload.seek(0)
    if content is None:  # stored as uploaded
        return CheckedFile(name=name, content_type=content_type, content=upload, size=upload.size)
    return CheckedFile(name=name, content_type=content_type, content=ContentFile(content), size=len(content))


def _check_pdf(upload: UploadedFile) -> None:
    if upload.read(5) != b"%PDF-":
        raise refuse(NOT_ACCEPTED)
    return None


def _check_text(upload: UploadedFile) -> None:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    try:
        for chunk in upload.chunks(CHUNK_SIZE):
            if TEXT_CONTROL_CHARACTERS.search(decoder.decode(chunk)):
                raise refuse(NOT_TEXT)
        decoder.decode(b"", final=True)  # a character cut at the very end
    except UnicodeDecodeError:
        raise refuse(NOT_TEXT) from None
    return None


def _safe_member_name(name: str) -> bool:
    if not name or len(name) > 1024 or "\\" in name or ":" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = name.rstrip("/").split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _check_docx(upload: UploadedFile) -> bytes:
    try:
        with zipfile.ZipFile(upload.file) as archive:
            members = archive.infolist()
            _check_docx_members(archive, members)
            _unpack_within_bounds(archive, members, packed_size=upload.size)
            if MACRO_CONTENT_TYPE.search(archive.read("[Content_Types].xml")):
                raise refuse(MACROS)
            return _without_author_fields(archive, members)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError, KeyError):
        raise refuse(NOT_DOCX) from None
    except RuntimeError:  # an encrypted member
        raise refuse(NOT_DOCX) from None


def _check_docx_members(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > DOCX_MAX_MEMBERS:
        raise refuse(NOT_DOCX)
    seen: set[str] = set()
    for member in members:
        if (
            not _safe_member_name(member.filename)
            or member.filename.lower() in seen
            or member.flag_bits & 0x1
            or stat.S_ISLNK(member.external_attr >> 16)
        ):
            raise refuse(NOT_DOCX)  # a path out of the folder, a name twice, an encrypted member, a symbolic link
        seen.add(member.filename.lower())
        if member.filename.lower().rsplit("/", 1)[-1] in MACRO_PARTS:
            raise refuse(MACROS)
    if "word/document.xml" not in seen or "[content_types].xml" not in seen:
        raise refuse(NOT_DOCX)
    if {"word/document.xml", "[Content_Types].xml"} - set(archive.namelist()):
        raise refuse(NOT_DOCX)


def _unpack_within_bounds(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], *, packed_size: int) -> None:
    """Unpack every member, counting the bytes really produced (a header's sizes may lie): refuse a zip bomb before
    it is all unpacked. The zip module checks each member's CRC as it reaches its end."""

    def excessive(size: int) -> bool:
        return size > DOCX_MAX_UNCOMPRESSED or (size > DOCX_RATIO_FROM and size > DOCX_MAX_RATIO * packed_size)

    if excessive(sum(member.file_size for member in members)):
        raise refuse(DOCX_TOO_MUCH)
    total = 0
    for member in members:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK_SIZE):
                total += len(chunk)
                if excessive(total):
                    raise refuse(DOCX_TOO_MUCH)


def _remove_elements(xml: bytes, local_names: tuple[str, ...]) -> bytes:
    """Remove the elements of these local names (any namespace prefix) with their content, by pattern (no XML parser:
    nothing to expand)."""
    for local_name in local_names:
        tag = rb"(?:[\w.-]+:)?" + local_name.encode()
        xml = re.sub(rb"<" + tag + rb"\b[^>]*/>", b"", xml)
        xml = re.sub(rb"<(" + tag + rb")\b[^>]*>.*?</\1\s*>", b"", xml, flags=re.DOTALL)
    return xml


def _without_author_fields(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> bytes:
    """The same document written again, its properties without the author fields."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as clean:
        for member in members:
            data = archive.read(member)
            if member.filename == "docProps/core.xml":
                data = _remove_elements(data, CORE_PEOPLE)
            elif member.filename == "docProps/app.xml":
                data = _remove_elements(data, APP_PEOPLE)
            copy = zipfile.ZipInfo(member.filename, date_time=member.date_time)
            copy.compress_type = (
                zipfile.ZIP_STORED if member.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
            )
            copy.external_attr = 0o600 << 16
            clean.writestr(copy, data)
    return output.getvalue()


def _open_image(upload: UploadedFile, kind: str):
    from PIL import Image

    try:
        image = Image.open(upload.file, formats=[kind])
    except Image.DecompressionBombError:
        raise refuse(IMAGE_TOO_LARGE.format(count=IMAGE_MAX_PIXELS // 1_000_000)) from None
    except (OSError, SyntaxError, ValueError, TypeError, EOFError):
        raise refuse(NOT_IMAGE) from None
    if image.width * image.height > IMAGE_MAX_PIXELS:  # before any pixel is decoded
        raise refuse(IMAGE_TOO_LARGE.format(count=IMAGE_MAX_PIXELS // 1_000_000))
    try:
        image.load()  # decodes every pixel: a truncated or corrupt image fails here
    except (OSError, SyntaxError, ValueError, TypeError, EOFError, Image.DecompressionBombError):
        raise refuse(NOT_IMAGE) from None
    return image


def _check_jpeg(upload: UploadedFile) -> bytes:
    from PIL import ImageOps

    if upload.read(3) != b"\xff\xd8\xff":
        raise refuse(NOT_ACCEPTED)
    upload.seek(0)
    with _open_image(upload, "JPEG") as image:
        icc_profile = image.info.get("icc_profile")
        output = io.BytesIO()
        if image.getexif().get(0x0112, 1) not in (1, None):  # turned by its EXIF orientation: turn the pixels
            turned = ImageOps.exif_transpose(image)
            turned.info = {}
            turned.save(output, "JPEG", quality=92, icc_profile=icc_profile)
        else:
            image.info = {}  # the comment, EXIF, XMP and other application segments go with it
            try:
                image.save(output, "JPEG", quality="keep", icc_profile=icc_profile)
            except (ValueError, OSError):  # a JPEG variant whose tables cannot be kept (multi-picture, ...)
                output = io.BytesIO()
                image.save(output, "JPEG", quality=92, icc_profile=icc_profile)
    return output.getvalue()


def _check_png(upload: UploadedFile) -> bytes:
    if upload.read(8) != b"\x89PNG\r\n\x1a\n":
        raise refuse(NOT_ACCEPTED)
    upload.seek(0)
    with _open_image(upload, "PNG") as image:
        kept = {key: image.info[key] for key in ("transparency", "icc_profile") if key in image.info}
        clean = image.copy()
        clean.info = dict(kept)  # the text chunks (tEXt, iTXt, zTXt), eXIf and the rest go
        output = io.BytesIO()
        clean.save(output, "PNG", **kept)
    return output.getvalue()


CHECKS = {PDF: _check_pdf, TEXT: _check_text, DOCX: _check_docx, JPEG: _check_jpeg, PNG: _check_png}
