"""The wizard's help texts from the law (DOMAIN §2), checked against the handbook's terms in every language."""

import pytest
from django.utils.translation import override

from screening.help_texts import ACT_HELP, MEANS_HELP, PURPOSE_HELP
from screening.qualification import ACTS, MEANS, PURPOSES


def in_language(text, language: str) -> str:
    with override(language):
        return str(text)


@pytest.mark.parametrize(
    ("help_texts", "code", "language", "terms"),
    [
        pytest.param(ACT_HELP, "transportation", "en", ["travel documents"], id="transportation_en"),
        pytest.param(ACT_HELP, "transportation", "ky", ["жол жүрүү документтерин"], id="transportation_ky"),
        pytest.param(ACT_HELP, "transportation", "ru", ["проездных документов"], id="transportation_ru"),
        pytest.param(ACT_HELP, "harbouring", "en", ["law-enforcement bodies"], id="harbouring_en"),
        pytest.param(ACT_HELP, "harbouring", "ky", ["укук коргоо органдарынан"], id="harbouring_ky"),
        pytest.param(ACT_HELP, "harbouring", "ru", ["правоохранительных органов"], id="harbouring_ru"),
        pytest.param(MEANS_HELP, "blackmail", "en", ["relatives", "property", "secret"], id="blackmail_en"),
        pytest.param(MEANS_HELP, "blackmail", "ky", ["жакын туугандарына", "мүлкүн", "сыр"], id="blackmail_ky"),
        pytest.param(MEANS_HELP, "blackmail", "ru", ["близким родственникам", "имуществ", "тайн"], id="blackmail_ru"),
        pytest.param(MEANS_HELP, "threat", "ky", ["139-берене", "реалдуу"], id="threat_ky"),
        pytest.param(MEANS_HELP, "abduction", "ky", ["165-берене"], id="abduction_ky"),
    ],
)
def test_help_texts_use_the_handbooks_terms(help_texts, code, language, terms):
    text = in_language(help_texts[code], language)

    for term in terms:
        assert term in text


@pytest.mark.parametrize(
    ("help_texts", "code", "language", "wrong"),
    [
        pytest.param(ACT_HELP, "transportation", "en", "ticket", id="transportation_en_tickets"),
        pytest.param(ACT_HELP, "transportation", "ky", "билет", id="transportation_ky_tickets"),
        pytest.param(ACT_HELP, "transportation", "ru", "билет", id="transportation_ru_tickets"),
        pytest.param(ACT_HELP, "harbouring", "en", "the police", id="harbouring_en_police_only"),
        pytest.param(ACT_HELP, "harbouring", "ky", "милиция", id="harbouring_ky_militia_only"),
        pytest.param(ACT_HELP, "harbouring", "ru", "милиции", id="harbouring_ru_militia_only"),
    ],
)
def test_help_texts_do_not_narrow_the_handbook(help_texts, code, language, wrong):
    assert wrong not in in_language(help_texts[code], language)


@pytest.mark.parametrize(
    ("help_texts", "codes"),
    [(ACT_HELP, ACTS), (MEANS_HELP, ("threat", "force", "blackmail", "abduction", "deception")), (PURPOSE_HELP, None)],
    ids=["acts", "means_the_handbook_explains", "purposes"],
)
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_handbooks_explanations_have_help_texts_translated(help_texts, codes, language):
    codes = codes or ("sexual_exploitation", "forced_labour", "organ_removal", "forced_begging", "child_pornography")

    for code in codes:
        assert code in help_texts, code
        assert in_language(help_texts[code], language) != in_language(help_texts[code], "en"), code


def test_help_texts_are_keyed_by_known_codes():
    assert set(ACT_HELP) <= set(ACTS)
    assert set(MEANS_HELP) <= set(MEANS)
    assert set(PURPOSE_HELP) <= set(PURPOSES)
