"""Spelling-independent keys for names, phones and document numbers (pure code)."""

import re
import unicodedata

# Kyrgyz and Russian Cyrillic to a plain Latin skeleton, tolerant of the usual passport spellings.
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ү": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# Latin spellings that mean the same sound, folded to one form.
_LATIN_FOLDS = (
    ("kh", "h"), ("dzh", "j"), ("zh", "j"), ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"),
    ("ts", "s"), ("w", "v"), ("q", "k"), ("x", "ks"), ("y", "i"),
)  # fmt: skip


def name_key(*parts: str) -> str:
    """Return a lowercase Latin skeleton of the given name parts, comparable across Cyrillic and Latin spellings."""
    words = []
    for part in parts:
        for word in re.split(r"[\s\-']+", (part or "").lower()):
            if not word:
                continue
            latin = "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in word)
            latin = unicodedata.normalize("NFKD", latin)
            latin = "".join(ch for ch in latin if "a" <= ch <= "z")
            for old, new in _LATIN_FOLDS:
                latin = latin.replace(old, new)
            latin = re.sub(r"(.)\1+", r"\1", latin)  # doubled letters: "Alla" / "Ala"
            if latin:
                words.append(latin)
    return " ".join(sorted(words))


def digits_key(value: str, *, keep_last: int = 9) -> str:
    """Return the last digits of a phone number, so +996 555 12-34-56 and 0555123456 match."""
    digits = re.sub(r"\D", "", value or "")
    return digits[-keep_last:] if digits else ""


def document_key(value: str) -> str:
    """Return a document number without spaces or punctuation, upper case."""
    return re.sub(r"[^0-9A-ZА-ЯЁӨҮҢ]", "", (value or "").upper())


def trigrams(value: str) -> set[str]:
    """The trigrams of a text as pg_trgm counts them: per word, padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in re.findall(r"[0-9a-z]+", (value or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(first: str, second: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all distinct trigrams of both, from 0 to 1."""
    a, b = trigrams(first), trigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# Kyrgyz particles written after a surname built from the father's name ("Асан уулу", "Асан кызы"): not compared.
_PARTICLES = frozenset({"uulu", "ulu", "kizi", "kyzy"})


def phonetic_word(word: str) -> str:
    """One word of `phonetic_key`: the `name_key` skeleton, with dj/dzh/zh/j and je/ie/e folded further."""
    latin = name_key(word)
    if not latin or " " in latin:
        return latin
    latin = latin.replace("dj", "j").replace("je", "e").replace("ie", "e")  # Djumabaev, Jeenbekov, Yevgeniya
    return re.sub(r"(.)\1+", r"\1", latin)


def phonetic_key(*parts: str) -> str:
    """Return a blocking key of a name: equal for the usual Kyrgyz and Russian spellings of the same name.

    Жумабаева Айгүл, Zhumabaeva Aigul, Jumabaeva Aygul, Djumabaeva Aigyul, Dzhumabayeva Aigul and Айгүл Жумабаева (first
    and last name swapped) give one key: Cyrillic and Latin spellings (ж/zh/j/dzh/dj, ү/у/ü, ө/о/ö, ң/н, ы/и/y, е/э/ё,
    х/kh/h, я/ya/ia, ю/yu/iu, double letters) fold to one Latin skeleton, the particles уулу/кызы are dropped and the
    words are sorted. The sex ending stays (-ов/-ova, -ев/-eva): Жумабаев and Жумабаева are a brother and a sister.
    Typos (a dropped, doubled or swapped letter) are left to the trigram comparison of the keys.
    """
    words = set()
    for part in parts:
        for word in (part or "").split():
            folded = phonetic_word(word)
            for piece in folded.split():
                if piece and piece not in _PARTICLES:
                    words.add(piece)
    return " ".join(sorted(words))
