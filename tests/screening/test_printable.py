"""The printable screening result (issue 11 item 6): the PDF read back in Kyrgyz, Russian and English says the verdict,
the article, the explanation and the ticked facts on one page; only the readers of the screening page get it, each
download is in the access log; the fonts carry ң ө ү № « »."""

import io
import re
from datetime import date
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from pypdf import PdfReader

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import PersonalDataAccess
from screening import indicators
from screening.printable import FITS, result_content, result_html, verification_code
from screening.qualification import LABELS
from screening.selectors import ScreeningShown
from screening.services import screening_record
from screening.summary import screening_entries
from tests.factories import CaseFactory, UserFactory, VictimFactory
from tests.pdf_fonts import embedded_fonts, font_files

pytestmark = pytest.mark.django_db

ACT_DATE = "2025-03-01"
ADULT_FACTS = {
    "act_date": ACT_DATE,
    "victim_date_of_birth": "1990-05-05",
    "acts": ["recruitment", "transportation"],
    "means": ["deception"],
    "purposes": ["forced_labour"],
    "moved_across_kr_border": True,
}
CHILD_FACTS = {"act_date": ACT_DATE, "victim_age": 15, "acts": ["recruitment"], "purposes": ["sexual_exploitation"]}
GLYPHS = "ңөүҢӨҮ№«»"


@pytest.fixture
def unit(district):
    district.name = "№2 «Сокулук» райондук ички иштер бөлүмү"  # №, « » on every page, in each language
    district.name_ru = "№2 «Сокулукский» районный отдел внутренних дел"
    district.save()
    return district


@pytest.fixture
def case(owner, unit):
    return CaseFactory(created_by=owner, unit=unit)


@pytest.fixture
def victim(case):
    return VictimFactory(case=case, last_name="Үсөнова", first_name="Мөңкүл", date_of_birth=date(1990, 5, 5))


@pytest.fixture
def screening(case, owner, victim):
    return screening_record(
        case=case, actor=owner, facts=ADULT_FACTS, victim=victim,
        indicators=list(indicators.ADULT_INDICATORS)[:2],
    )  # fmt: skip


@pytest.fixture
def ngo_user():
    organisation = Organisation.objects.create(name="«Ишеним» борбору", kind=Organisation.Kind.values[0])
    return UserFactory(unit=None, roles=[Role.NGO_STAFF], organisation=organisation)


def pdf_url(screening) -> str:
    return reverse("screening:result_pdf", args=[screening.pk])


def download(client, user, screening, language: str):
    client.force_login(user)
    client.cookies["cms_language"] = language
    return client.get(pdf_url(screening))


def articles_line(articles: list[str], language: str) -> str:
    """The articles as the verdict box prints them, in `language`."""
    with override(language):
        return " + ".join(
            gettext("Art. 166 part 2 item 5")
            if article == "166.2.5"
            else gettext("Art. %(article)s") % {"article": article}
            for article in articles
        )


def pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def squeezed(text: str) -> str:
    """Text without whitespace: the PDF's lines break where the page is full, not where the source did."""
    return re.sub(r"\s+", "", text)


# -- what the PDF says -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_pdf_says_the_verdict_article_explanation_and_ticked_facts_in_the_readers_language(
    client, owner, screening, language
):
    response = download(client, owner, screening, language)

    assert response.status_code == 200
    text, pages = pdf_text(response.content)
    flat = squeezed(text)
    assert pages == 1
    assert screening.articles == ["166", "166.2.5"]
    assert squeezed(LABELS["art_166"][language]) in flat
    assert squeezed(articles_line(screening.articles, language)) in flat
    assert squeezed(screening.explanation(language)) in flat
    with override(language):
        entries = screening_entries(screening, language)
    ticked = [value for entry in entries for value in entry.values]
    assert ticked, "the screening ticked nothing"
    for entry in entries:
        assert squeezed(entry.label) in flat
    for value in ticked:
        assert squeezed(value) in flat
    assert screening.case.number in text
    assert "Үсөнова" in text


def test_the_kyrgyz_and_russian_results_differ_and_carry_their_headings(client, owner, screening):
    ky, _ = pdf_text(download(client, owner, screening, "ky").content)
    ru, _ = pdf_text(download(client, owner, screening, "ru").content)

    assert "Алгачкы баалоонун жыйынтыгы" in ky and "Купуя" in ky.title()
    assert "Результат первичной оценки" in ru and "Конфиденциально" in ru.title()
    assert "Кылмыштуу иш-аракет" in ky and "Результат первичной оценки" not in ky


def test_a_child_result_names_art_167_the_child_and_the_missing_and_warnings(client, owner, case):
    screening = screening_record(case=case, actor=owner, facts={**CHILD_FACTS, "purposes": []})
    text, _ = pdf_text(download(client, owner, screening, "ru").content)

    assert screening.missing == ["purpose"]
    assert "Не установлено: цель эксплуатации" in text
    child = screening_record(
        case=case, actor=owner, facts={**CHILD_FACTS, "exploitation_occurred": ["sexual_exploitation"]}
    )
    text, _ = pdf_text(download(client, owner, child, "ru").content)
    flat = squeezed(text)
    assert squeezed(articles_line(["167"], "ru")) in flat
    assert "ребёнок" in text
    assert "Предупреждения" in text
    assert child.warnings and all(squeezed(w) in flat for w in _warning_sentences(child, "ru"))


def _warning_sentences(screening, language):
    from screening.qualification_texts import WARNING_SENTENCES

    return [WARNING_SENTENCES[code][language] for code in screening.warnings]


def test_the_pdf_has_a_signature_line_page_number_and_a_verification_code_of_its_content(client, owner, screening):
    first = pdf_text(download(client, owner, screening, "en").content)[0]
    again = pdf_text(download(client, owner, screening, "en").content)[0]
    russian = pdf_text(download(client, owner, screening, "ru").content)[0]

    code = re.search(r"Verification code: ([0-9a-f]{12})", first).group(1)
    assert f"Verification code: {code}" in again  # the same content gives the same code
    assert code not in russian  # the Russian text is other content
    assert "Signature" in first and "Position, special rank" in first
    assert "1 / 1" in first
    shown = ScreeningShown(
        screening=screening, explanation=screening.explanation("en"), notes="", personal_data_hidden=False
    )
    assert code == verification_code(result_content(shown, language="en"))


def test_the_code_changes_when_what_the_document_says_changes(owner, screening):
    shown = ScreeningShown(
        screening=screening, explanation=screening.explanation("en"), notes="", personal_data_hidden=False
    )
    content = result_content(shown, language="en")

    changed = {**content, "verdict_label": content["verdict_label"] + "."}

    assert verification_code(content) != verification_code(changed)
    assert re.fullmatch(r"[0-9a-f]{12}", verification_code(content))


def test_many_ticked_facts_still_fit_on_one_page(client, owner, case, victim):
    screening = screening_record(
        case=case, actor=owner, victim=victim,
        facts={**ADULT_FACTS, "means": ["threat", "force", "coercion", "deception", "fraud", "abuse_of_power"],
               "acts": ["recruitment", "transportation", "harbouring", "receipt", "transfer"],
               "purposes": ["sexual_exploitation", "forced_labour", "servitude", "forced_begging"],
               "exploitation_occurred": ["forced_labour"], "suspect_age": 40},
        indicators=list(indicators.ADULT_INDICATORS),
        vulnerability=list(indicators.ALL_VULNERABILITY),
        vulnerability_kinds=list(indicators.VULNERABILITY_KINDS),
        vulnerability_factors=list(indicators.VULNERABILITY_FACTORS),
        violence_against_women=True, high_risk=True,
    )  # fmt: skip

    for language in ("ky", "ru"):
        text, pages = pdf_text(download(client, owner, screening, language).content)
        assert pages == 1, language
        assert squeezed(screening.explanation(language)) in squeezed(text)


def test_each_fit_is_tighter_than_the_one_before(owner, screening):
    shown = ScreeningShown(
        screening=screening, explanation=screening.explanation("ky"), notes="", personal_data_hidden=False
    )
    content = result_content(shown, language="ky")

    classes = [re.search(r'<body class="(\w+)"', result_html(content, code="0" * 12, fit=fit)).group(1) for fit in FITS]

    assert classes == list(FITS)


# -- who gets it -------------------------------------------------------------------------------------------------------
def test_the_response_is_a_pdf_attachment_not_kept_in_any_cache(client, owner, screening):
    response = download(client, owner, screening, "ky")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("reader", ["owner", "supervisor", "oblast_head"])
def test_a_reader_of_the_screening_page_downloads_it_and_the_download_is_logged(client, reader, request, screening):
    user = request.getfixturevalue(reader)

    response = download(client, user, screening, "ru")

    assert response.status_code == 200
    row = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.DOWNLOAD)
    assert (row.user, row.case) == (user, screening.case)
    assert "Үсөнова" in pdf_text(response.content)[0]


@pytest.mark.parametrize("intruder", ["outsider", "colleague", "analyst", "ngo_user"])
def test_someone_who_cannot_open_the_screening_gets_404_and_nothing_is_logged(client, intruder, request, screening):
    response = download(client, request.getfixturevalue(intruder), screening, "ky")

    assert response.status_code == 404
    assert not PersonalDataAccess.objects.filter(action=PersonalDataAccess.Action.DOWNLOAD).exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, screening):
    response = client.get(pdf_url(screening))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_or_malformed_screening_id_is_404(client, owner, screening):
    client.force_login(owner)

    assert client.get(reverse("screening:result_pdf", args=[uuid4()])).status_code == 404
    for bad in ("0", "%00", "..%2F..%2Fetc%2Fpasswd", "\u202e" + str(screening.pk), str(screening.pk)[:-1] + "'"):
        assert client.get(f"/screening/{bad}/result.pdf").status_code == 404
    assert client.get(f"{pdf_url(screening)}?lang=xx&screening_id=%00").status_code == 200  # parameters are ignored
    assert client.post(pdf_url(screening)).status_code == 405


def test_hostile_text_in_the_record_is_printed_as_text_and_fetches_nothing(client, owner, case):
    victim = VictimFactory(case=case, last_name='<img src="http://example.invalid/x.png">', first_name="\u202eнамА")
    screening = screening_record(case=case, actor=owner, facts=CHILD_FACTS, victim=victim)

    response = download(client, owner, screening, "ky")

    assert response.status_code == 200
    assert "<img" in pdf_text(response.content)[0]


def test_the_screening_page_links_the_printable_result(client, owner, screening):
    client.force_login(owner)

    html = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()

    assert f'href="{pdf_url(screening)}"' in html


# -- the fonts ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_pdf_embeds_only_dejavu_so_no_kyrgyz_letter_or_sign_fell_back(client, owner, screening, language):
    response = download(client, owner, screening, language)
    text, _ = pdf_text(response.content)

    assert all(glyph in text for glyph in "№«»"), "the unit's name should print № « »"
    assert all(glyph in text for glyph in "ңөүҮ"), "the person's name should print ң ө ү Ү"
    fonts = embedded_fonts(response.content)
    assert fonts
    assert [font for font in fonts if not re.fullmatch(r"DejaVu-(Sans|Serif|Sans-Mono)(-\w+)?", font)] == [], fonts


@pytest.mark.parametrize("family", ["DejaVu Serif", "DejaVu Sans"])
def test_the_fonts_the_result_names_are_installed_and_cover_every_kyrgyz_letter_and_sign(family):
    from fontTools.ttLib import TTFont

    files = font_files(family)
    assert {"Book", "Bold"} <= set(files), f"{family!r} is not installed: install fonts-dejavu-core ({files})"
    for style in ("Book", "Bold"):
        cmap = TTFont(str(files[style]), fontNumber=0).getBestCmap()
        assert [c for c in GLYPHS if ord(c) not in cmap] == [], files[style].name
