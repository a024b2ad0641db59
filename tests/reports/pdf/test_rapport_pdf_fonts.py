"""The rapport's fonts: the style sheets name DejaVu (fonts-dejavu-core), the named fonts are installed and carry
every letter of Kyrgyz and Russian and the signs № « », and the PDF embeds no other font. A letter that would fall
back to a missing-glyph box fails here (the approach of tests/referrals/test_rights_sheet.py, with fontTools)."""

import re
from html.parser import HTMLParser

import pytest

from reports.documents import RAPPORT_CSS, rapport_html, render_rapport
from tests.pdf_fonts import embedded_fonts, families_named_in, font_cmap, font_files
from trafficking_cms.pdf import DOCUMENT_CSS

pytestmark = pytest.mark.django_db

KYRGYZ = "АБВГДЕЁЖЗИЙКЛМНҢОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"
RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
SIGNS = "№«»—–…"
LETTERS = {*KYRGYZ, *KYRGYZ.lower(), *RUSSIAN, *RUSSIAN.lower(), *SIGNS}
NAMED = {"DejaVu Serif", "DejaVu Sans", "DejaVu Sans Mono"}
STYLES = ("Book", "Bold")  # fonts-dejavu-core has these two of each family; the CSS uses no italic


def _named_families() -> set[str]:
    return set(families_named_in(DOCUMENT_CSS.read_text(encoding="utf-8") + RAPPORT_CSS.read_text(encoding="utf-8")))


def _missing_glyphs(text: str) -> dict[str, list[str]]:
    """The characters of `text` some named font lacks (they would print as a box or in another font), by font."""
    missing = {}
    for family in sorted(NAMED):
        for style in STYLES:
            lacking = sorted({c for c in text if not c.isspace() and ord(c) not in font_cmap(family, style)})
            if lacking:
                missing[f"{family} {style}"] = lacking
    return missing


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def test_the_style_sheets_name_only_dejavu_and_each_named_font_is_installed_in_book_and_bold():
    assert _named_families() == NAMED
    for family in NAMED:
        files = font_files(family)
        assert set(STYLES) <= set(files), f"{family!r} is not installed: apt-get install fonts-dejavu-core ({files})"


def test_the_named_fonts_carry_every_kyrgyz_and_russian_letter_and_the_signs():
    assert _missing_glyphs("".join(sorted(LETTERS)) + "ңөүҢӨҮ№«»") == {}


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_every_character_the_rapport_prints_is_in_the_named_fonts(language, rapport):
    text = _visible_text(rapport_html(rapport=rapport, language=language, verification_code="0123456789abcdef"))

    assert {"ң", "ө", "ү", "№", "«", "»"} & set(text)
    assert _missing_glyphs(text) == {}


def test_the_check_finds_a_letter_the_fonts_lack():
    assert _missing_glyphs("Ош 漢") == {f"{family} {style}": ["漢"] for family in sorted(NAMED) for style in STYLES}


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_pdf_embeds_only_the_named_fonts_so_no_glyph_fell_back(language, rapport):
    rapport.sites = "«ӨҢҮ» цехи №1, Жаңы-Жер көч., «Үмүт» — Ёлка, ёж, Ъ ъ, Щ щ, Э э, Ю ю"
    rapport.save()

    fonts = embedded_fonts(render_rapport(rapport=rapport, language=language).content)

    assert fonts, "no font found in the PDF"
    # WeasyPrint names an embedded font after its family, spaces as hyphens, then the style: "DejaVu-Serif-Bold".
    named = re.compile(r"DejaVu-(Serif|Sans|Sans-Mono)(-Bold)?")
    assert [font for font in fonts if not named.fullmatch(font)] == [], fonts
