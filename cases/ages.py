"""Age at a date, by the project's policy: an age is reached from the day after the birthday.

Pure code, no ORM: the qualification engine applies the same rule.
"""

from datetime import date

ADULT_AGE = 18


def age_at(date_of_birth: date, on_date: date) -> int:
    """Return the completed years on `on_date`, counting a year as reached only from the day after the birthday.

    A birthday on 29 February falls, in a common year, on 28 February; the year is reached on 1 March.
    """
    if date_of_birth > on_date:
        raise ValueError("date of birth is after the date")
    years = on_date.year - date_of_birth.year
    birthday_month_day = (date_of_birth.month, date_of_birth.day)
    if birthday_month_day == (2, 29) and not _is_leap(on_date.year):
        birthday_month_day = (2, 28)
    if (on_date.month, on_date.day) <= birthday_month_day:
        years -= 1
    return max(years, 0)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
