"""Display helpers of case pages that need no database."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from cases.templatetags.case_tags import due_in


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (timedelta(hours=5, minutes=30), "in 5 h"),  # rounded down: the time left is never overstated
        (timedelta(minutes=40, seconds=30), "in 40 min"),
        (timedelta(hours=47, minutes=30), "in 47 h"),
        (timedelta(days=3, hours=5), "in 3 d"),
        (-timedelta(hours=2, minutes=30), "2 h overdue"),
        (-timedelta(minutes=15, seconds=30), "15 min overdue"),
        (-timedelta(days=4, hours=1), "4 d overdue"),
        (timedelta(seconds=30), "due now"),
    ],
)
def test_a_due_time_reads_as_time_left_or_time_late(offset, expected):
    with override("en"):
        assert due_in(timezone.now() + offset) == expected


def test_a_due_time_reads_in_kyrgyz_and_russian():
    moment = timezone.now() + timedelta(hours=5, minutes=30)
    late = timezone.now() - timedelta(hours=2, minutes=30)

    with override("ky"):
        assert (due_in(moment), due_in(late)) == ("5 сааттан кийин", "мөөнөтү 2 саатка өттү")
    with override("ru"):
        assert (due_in(moment), due_in(late)) == ("через 5 ч", "просрочено на 2 ч")


def test_no_due_time_reads_as_nothing():
    assert due_in(None) == ""
