"""Every WeasyPrint render loads nothing from the network or from files outside the project's static folder.

The project renders PDFs in two places (trafficking_cms.pdf.render_pdf for the rapport and the screening result, and
referrals.rights_sheet.sheet_pdf); both are given a document that asks for `file://`, http(s), ftp and `../` resources,
and no socket is opened and no file outside static/ is read.
"""

import re
import socket
import urllib.request
from pathlib import Path

import pytest

from referrals.rights_sheet import sheet_pdf
from trafficking_cms import pdf
from trafficking_cms.pdf import STATIC_DIR, ResourceRefused, no_resources_fetcher, own_resources_fetcher, render_pdf

STATIC_CSS = STATIC_DIR / "pdf" / "document.css"
OUTSIDE = Path(pdf.__file__).resolve().parent / "settings.py"  # a project file outside static/

HOSTILE_URLS = [
    "file:///etc/passwd",
    "file:///proc/self/environ",
    OUTSIDE.as_uri(),
    f"file://{STATIC_DIR}/../trafficking_cms/settings.py",
    f"file://{STATIC_DIR}/pdf/..%2F..%2Ftrafficking_cms%2Fsettings.py",
    f"file://example.invalid{STATIC_CSS}",  # a host in a file URL: urllib would look it up, then try FTP
    f"file://127.0.0.1:9{STATIC_CSS}",
    "http://127.0.0.1:9/x.png",
    "https://example.invalid/x.css",
    "ftp://127.0.0.1/x",
    "gopher://127.0.0.1:9/_x",
    "//example.invalid/x.png",
]

HOSTILE_HTML = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="../../../../etc/passwd">
<link rel="stylesheet" href="http://127.0.0.1:9/style.css">
<style>
@import url("http://127.0.0.1:9/import.css");
@font-face { font-family: Leak; src: url("https://example.invalid/font.ttf"); }
body { background: url("file:///etc/hostname"); font-family: Leak, serif; }
</style></head><body>
<p>Текст</p>
<img src="file:///etc/passwd">
<img src="http://127.0.0.1:9/pixel.png">
<img src="https://example.invalid/pixel.png">
<img src="../../trafficking_cms/settings.py">
<img src="../../../../../../etc/passwd">
<object data="file:///etc/passwd"></object>
<embed src="http://127.0.0.1:9/embed.svg">
<iframe src="file:///etc/passwd"></iframe>
<svg><image href="file:///etc/passwd"/></svg>
</body></html>"""


@pytest.fixture
def no_way_out(monkeypatch):
    """Record (and stop) any socket connection, DNS lookup and local file opened through urllib."""
    reached: list[str] = []

    def refuse(what):
        def _refused(*args, **kwargs):
            reached.append(f"{what} {args[1:] if what == 'connect' else args}")
            raise OSError(f"test: {what} is not allowed")

        return _refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    opened_files: list[str] = []
    original = urllib.request.FileHandler.open_local_file

    def open_local_file(handler, req):
        opened_files.append(req.full_url)
        return original(handler, req)

    monkeypatch.setattr(urllib.request.FileHandler, "open_local_file", open_local_file)
    return reached, opened_files


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_documents_fetcher_refuses_what_is_not_data_or_a_static_file(no_way_out, url):
    reached, opened = no_way_out
    with pytest.raises((ResourceRefused, ValueError)):
        own_resources_fetcher().fetch(url)
    assert reached == [] and opened == []


@pytest.mark.parametrize("url", [*HOSTILE_URLS, STATIC_CSS.as_uri(), "data:text/plain,x"])
def test_the_rights_sheet_fetcher_refuses_everything(no_way_out, url):
    reached, opened = no_way_out
    with pytest.raises(ValueError):
        no_resources_fetcher().fetch(url)
    assert reached == [] and opened == []


def test_the_documents_fetcher_still_loads_a_static_file_and_a_data_url(no_way_out):
    reached, opened = no_way_out
    response = own_resources_fetcher().fetch(STATIC_CSS.as_uri())
    assert b"@page" in response.read()
    response.close()
    response = own_resources_fetcher().fetch("data:text/plain;base64,0KLQtdC60YHRgg==")
    assert response.read() == "Текст".encode()
    response.close()
    assert reached == [] and opened == [STATIC_CSS.as_uri()]


def test_a_document_asking_for_files_and_the_network_renders_and_fetches_nothing(no_way_out):
    reached, opened = no_way_out

    rendered = render_pdf(HOSTILE_HTML)

    assert rendered.content.startswith(b"%PDF-") and rendered.pages >= 1
    assert reached == []
    assert all(url.startswith(f"file://{STATIC_DIR}/") for url in opened), opened
    assert b"root:" not in rendered.content


def test_the_rights_sheet_renders_a_hostile_document_and_fetches_nothing(no_way_out):
    reached, opened = no_way_out

    content, pages = sheet_pdf(HOSTILE_HTML)

    assert content.startswith(b"%PDF-") and pages >= 1
    assert reached == [] and opened == []


def test_every_weasyprint_call_in_the_project_passes_one_of_the_two_fetchers():
    """A new HTML(...)/CSS(...) call must pass url_fetcher= one of ours (WeasyPrint's default fetches anything)."""
    root = Path(pdf.__file__).resolve().parent.parent
    calls = []
    for path in root.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text()
        if "weasyprint" not in text:
            continue
        for line in text.splitlines():
            if re.search(r"\b(HTML|CSS)\(", line) and not line.lstrip().startswith(("#", '"')):
                calls.append((path.relative_to(root).as_posix(), line.strip()))
    assert calls, "no WeasyPrint call found: has the project stopped printing?"
    unguarded = [
        call for call in calls if "own_resources_fetcher()" not in call[1] and "no_resources_fetcher()" not in call[1]
    ]
    assert unguarded == []
