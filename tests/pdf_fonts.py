"""What the PDF tests need to know about fonts: which families a style sheet names, where their files are installed,
which characters each carries, and which fonts a PDF embeds. A glyph missing from a named font would print as a box or
fall back to another font; the tests of each document fail on either (tests/referrals/test_rights_sheet.py,
tests/reports/pdf/test_rapport_pdf_fonts.py, tests/screening/test_printable.py)."""

import functools
import io
import re
from pathlib import Path

FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]


def families_named_in(css: str) -> list[str]:
    """The font families the style sheet names in its `font-family` declarations, in order."""
    declarations = re.findall(r"font-family:\s*([^;}]+)", css)
    assert declarations, "the style sheet names no font"
    return [name.strip() for declaration in declarations for name in re.findall(r'"([^"]+)"', declaration)]


@functools.cache
def font_files(family: str) -> dict[str, Path]:
    """The installed files of a family by style ("Book", "Bold", …), read from the fonts' own name tables."""
    from fontTools.ttLib import TTFont, TTLibError

    found: dict[str, Path] = {}
    for directory in FONT_DIRS:
        for path in sorted(directory.rglob("*.[ot]tf")) if directory.is_dir() else []:
            try:
                names = TTFont(str(path), lazy=True, fontNumber=0)["name"]
            except (TTLibError, OSError, KeyError):
                continue
            if str(names.getDebugName(1)) == family:
                found.setdefault(str(names.getDebugName(2)), path)
    return found


@functools.cache
def font_cmap(family: str, style: str) -> frozenset[int]:
    """The code points the installed font of `family` in `style` has a glyph for."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(font_files(family)[style]), fontNumber=0).getBestCmap())


def embedded_fonts(pdf: bytes) -> set[str]:
    """The fonts a PDF's pages use, without the subset prefix ("ABCDEF+DejaVuSans" → "DejaVuSans")."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names
