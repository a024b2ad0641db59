"""Due times in words, in each language, with the plural forms of each."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from screening.labels import due_in_words

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "left", "words"),
    [
        ("en", timedelta(hours=5, minutes=59), "in 5 hours"),
        ("en", timedelta(hours=1), "in 1 hour"),
        ("en", timedelta(minutes=40), "in 40 minutes"),
        ("en", timedelta(seconds=20), "in 1 minute"),
        ("en", timedelta(days=3, hours=2), "in 3 days"),
        ("en", -timedelta(hours=2, minutes=10), "2 hours overdue"),
        ("en", -timedelta(days=1, hours=1), "25 hours overdue"),
        ("en", -timedelta(days=2), "2 days overdue"),
        ("ru", timedelta(hours=1), "через 1 час"),
        ("ru", timedelta(hours=2), "через 2 часа"),
        ("ru", timedelta(hours=5), "через 5 часов"),
        ("ru", timedelta(hours=21), "через 21 час"),
        ("ru", timedelta(minutes=22), "через 22 минуты"),
        ("ru", -timedelta(hours=2), "просрочено на 2 часа"),
        ("ru", -timedelta(days=5), "просрочено на 5 дней"),
        ("ky", timedelta(hours=5), "5 сааттан кийин"),
        ("ky", timedelta(minutes=1), "1 мүнөттөн кийин"),
        ("ky", -timedelta(hours=2), "мөөнөтү 2 саатка өттү"),
        ("ky", -timedelta(days=3), "мөөнөтү 3 күнгө өттү"),
    ],
)
def test_a_due_time_reads_as_time_left_or_time_overdue(language, left, words):
    with translation.override(language):
        assert due_in_words(NOW + left, now=NOW) == words
