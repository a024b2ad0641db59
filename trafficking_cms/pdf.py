"""One WeasyPrint setup for every official document the system prints (the rapport, the screening result).

The font configuration and the shared style sheet (static/pdf/document.css: A4, the fonts that carry ң ө ү № « », page
numbers) are made once per process and reused by every render. Documents load nothing from outside: the URL fetcher
allows `data:` URLs and the project's own static files, and refuses `file://` elsewhere (a `../` that leads out of
static/, a file URL naming a host) and the network. Every WeasyPrint document and style sheet in the project gets
own_resources_fetcher() or no_resources_fetcher() (tests/test_pdf_fetchers.py checks it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

# The project's own static files, from this file's place (not from settings.BASE_DIR, which a test may point elsewhere).
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
DOCUMENT_CSS = STATIC_DIR / "pdf" / "document.css"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


class ResourceRefused(ValueError):
    """A document asked for a resource outside `data:` and the project's static files."""


@functools.cache
def own_resources_fetcher():
    """WeasyPrint's URL fetcher for our documents: `data:` URLs and files under static/, nothing else (no network, no
    redirects, no other file)."""
    from weasyprint.urls import URLFetcher

    class OwnResourcesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                if parsed.netloc not in ("", "localhost"):  # urllib would look the host up, then try it by FTP
                    raise ResourceRefused("documents load only the project's static files")
                path = Path(unquote(parsed.path)).resolve()
                if not (path.is_relative_to(STATIC_DIR.resolve()) and path.is_file()):
                    raise ResourceRefused("documents load only the project's static files")
            elif parsed.scheme != "data":
                raise ResourceRefused("documents load only data: URLs and the project's static files")
            return super().fetch(url, headers)

    return OwnResourcesFetcher(allowed_protocols=("data", "file"), allow_redirects=False, timeout=5)


@functools.cache
def no_resources_fetcher():
    """WeasyPrint's URL fetcher for a document that loads nothing at all (the rights sheet): every URL is refused.

    A fetcher object, not a plain function: WeasyPrint 70 reads the fetcher's settings when a fetch fails."""
    from weasyprint.urls import URLFetcher

    class NoResourcesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            raise ResourceRefused("this document loads no resource")

    return NoResourcesFetcher(allowed_protocols=(), allow_redirects=False, timeout=1)


@functools.cache
def font_config():
    """The font configuration, made once per process (it scans the system's fonts)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def document_stylesheet():
    """The shared style sheet, parsed once per process."""
    from weasyprint import CSS

    return CSS(filename=str(DOCUMENT_CSS), font_config=font_config(), url_fetcher=own_resources_fetcher())


def render_pdf(html: str, *, stylesheets: tuple = ()) -> RenderedPdf:
    """Render the HTML of a document to PDF with the shared style sheet (and any `stylesheets` after it)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(STATIC_DIR) + "/", url_fetcher=own_resources_fetcher()).render(
        font_config=font_config(), stylesheets=[document_stylesheet(), *stylesheets]
    )
    return RenderedPdf(content=document.write_pdf(), pages=len(document.pages))
