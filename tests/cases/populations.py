"""Generated people for the duplicate-check tests: many share a name, each has their own date of birth and numbers."""

import random
from datetime import date, timedelta

from cases.models import Case, Victim
from cases.names import name_key, phonetic_key
from cases.probes import document_blind_index, phone_blind_index

SURNAMES = ("Асанова", "Токтогулова", "Сыдыкова", "Жумабаева", "Мамытова")
FIRST_NAMES = ("Айжан", "Бермет", "Гүлнара", "Жылдыз", "Нургүл", "Мээрим", "Асель", "Динара", "Чолпон", "Айпери")
_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ү": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def shared_name_population(cases: list[Case], *, people: int, names: int, rng: random.Random) -> list[Victim]:
    """Save `people` women over the given cases, `names` full names shared evenly, and return them."""
    full_names = [(last, first) for last in SURNAMES for first in FIRST_NAMES][:names]
    victims = []
    for index in range(people):
        last, first = full_names[index % len(full_names)]
        phone = f"55{rng.randrange(10**7):07d}"
        document = f"ID{rng.randrange(10**7):07d}"
        victims.append(
            Victim(
                case=cases[index % len(cases)],
                last_name=last,
                first_name=first,
                sex="female",
                date_of_birth=date(1965, 1, 1) + timedelta(days=rng.randrange(45 * 365)),
                phone=phone,
                id_document_number=document,
                name_key=name_key(last, first),
                name_phonetic=phonetic_key(last, first),
                phone_key=phone_blind_index(phone),
                document_key=document_blind_index(document),
            )
        )
    return Victim.objects.bulk_create(victims)


def latin(name: str) -> str:
    """The name in Latin letters, as a passport would write it."""
    text = "".join(_LATIN.get(ch, ch) for ch in name.lower())
    return text.capitalize()


def misspelt(name: str, rng: random.Random) -> str:
    """The name with one letter (not the first) replaced by another of the same kind and script."""
    vowels = "аеиоуыэөү" if any("а" <= ch <= "я" or ch in "өүң" for ch in name.lower()) else "aeiouy"
    consonants = "бвгдзклмнпрст" if vowels[0] == "а" else "bvgdzklmnprst"
    position = rng.randrange(1, len(name))
    letter = name[position].lower()
    pool = vowels if letter in vowels else consonants
    return name[:position] + rng.choice([ch for ch in pool if ch != letter]) + name[position + 1 :]
