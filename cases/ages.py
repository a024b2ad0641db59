"""Age at a date, by the project's policy: an age is reached from the day after the birthday.

Pure standard-library code: the qualification engine (screening/qualification.py) applies the same functions.
"""

import calendar
from datetime import date

ADULT_AGE = 18


def birthday_in(date_of_birth: date, year: int) -> date:
    """Return the birthday in `year`; 29 February falls on 28 February in a non-leap year (project policy)."""
    if (date_of_birth.month, date_of_birth.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return date_of_birth.replace(year=year)


def age_at(date_of_birth: date, on_date: date) -> int:
    """Return the age on `on_date`, an age being reached the day after the birthday (project policy)."""
    if on_date < date_of_birth:
        raise ValueError("on_date is before date_of_birth")
    years = on_date.year - date_of_birth.year
    if on_date <= birthday_in(date_of_birth, on_date.year):
        years -= 1
    return max(years, 0)
