"""Every user-visible string has a Kyrgyz and a Russian translation: none empty, fuzzy or left in English."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
# Strings that read the same in every language (codes, abbreviations, formats).
SAME_IN_EVERY_LANGUAGE = {"SHA-256", "ID", "API", "PDF", "КБР", "1899"}


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_every_string_is_translated(language):
    po = catalogue(language)
    assert len(po) > 300
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_no_translation_is_left_in_english(language):
    left_in_english = [
        entry.msgid
        for entry in catalogue(language).translated_entries()
        if not entry.msgid_plural
        and entry.msgstr == entry.msgid
        and re.search(r"[A-Za-z]{3,}", entry.msgid)
        and entry.msgid not in SAME_IN_EVERY_LANGUAGE
    ]
    assert left_in_english == []


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_placeholders_are_kept(language):
    pattern = re.compile(r"%\(\w+\)s|\{\w+\}")
    broken = []
    for entry in catalogue(language).translated_entries():
        expected = sorted(pattern.findall(entry.msgid))
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        broken += [entry.msgid for text in translations if sorted(pattern.findall(text)) != expected]
    assert broken == []
