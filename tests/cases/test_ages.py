"""Age at a date by the project's policy: a year of age is reached only from the day after the birthday (pure code)."""

from datetime import date

import pytest

from cases.ages import ADULT_AGE, age_at


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        # the 18th birthday and the days around it
        (date(2008, 6, 15), date(2026, 6, 14), 17),
        (date(2008, 6, 15), date(2026, 6, 15), 17),  # on the birthday itself: still a child
        (date(2008, 6, 15), date(2026, 6, 16), 18),  # the day after: adult
        (date(2008, 6, 15), date(2026, 12, 31), 18),
        # across a month and a year boundary
        (date(2008, 12, 31), date(2026, 12, 31), 17),
        (date(2008, 12, 31), date(2027, 1, 1), 18),
        (date(2008, 1, 31), date(2026, 2, 1), 18),
        # born on 29 February: in a common year the birthday falls on 28 February, reached on 1 March
        (date(2008, 2, 29), date(2026, 2, 27), 17),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        # ... and in a leap year on 29 February itself, reached on 1 March
        (date(2008, 2, 29), date(2028, 2, 28), 19),
        (date(2008, 2, 29), date(2028, 2, 29), 19),
        (date(2008, 2, 29), date(2028, 3, 1), 20),
        # someone born on 28 February in a leap year is not moved
        (date(2008, 2, 28), date(2026, 2, 28), 17),
        (date(2008, 2, 28), date(2026, 3, 1), 18),
        # the first days of life
        (date(2026, 5, 1), date(2026, 5, 1), 0),
        (date(2025, 5, 1), date(2026, 5, 1), 0),
        (date(2025, 5, 1), date(2026, 5, 2), 1),
    ],
)
def test_age_is_reached_on_the_day_after_the_birthday(born, on, age):
    assert age_at(born, on) == age


def test_on_the_18th_birthday_the_person_is_still_under_the_adult_age():
    assert age_at(date(2008, 6, 15), date(2026, 6, 15)) < ADULT_AGE <= age_at(date(2008, 6, 15), date(2026, 6, 16))


def test_a_date_of_birth_after_the_date_is_an_error():
    with pytest.raises(ValueError):
        age_at(date(2026, 6, 16), date(2026, 6, 15))
