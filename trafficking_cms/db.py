"""Read dates PostgreSQL can store but Python cannot hold, instead of failing every query that touches the row.

A time typed as year 1 in Bishkek (UTC+4:58 then) is stored as a date "BC" in UTC; psycopg2 raised ValueError on
reading it, so the case list of every unit above the case answered 500 and the case could not be opened to be fixed.
The validators and the CHECK constraints now keep such values out; rows stored before them are read as the earliest
(or latest) moment a page can still show in any time zone, which the officer sees as year 1 and corrects.
"""

from datetime import UTC, date, datetime

from psycopg2.extensions import PYDATE, PYDATETIMETZ, new_type, register_type

EARLIEST_READABLE_MOMENT = datetime(1, 1, 2, tzinfo=UTC)
LATEST_READABLE_MOMENT = datetime(9999, 12, 30, tzinfo=UTC)


def _clamped_moment(value: str | None, cursor) -> datetime | None:
    try:
        moment = PYDATETIMETZ(value, cursor)
    except ValueError:  # before year 1 or after year 9999
        return EARLIEST_READABLE_MOMENT if value and value.endswith(" BC") else LATEST_READABLE_MOMENT
    if moment is None:
        return None
    return min(max(moment, EARLIEST_READABLE_MOMENT), LATEST_READABLE_MOMENT)  # also ±infinity


def _clamped_date(value: str | None, cursor) -> date | None:
    try:
        return PYDATE(value, cursor)
    except ValueError:
        return date.min if value and value.endswith(" BC") else date.max


def read_out_of_range_dates() -> None:
    """Register the clamping readers of timestamptz and date with psycopg2, for every connection of the process."""
    register_type(new_type(PYDATETIMETZ.values, "PYDATETIMETZ_CLAMPED", _clamped_moment))
    register_type(new_type(PYDATE.values, "PYDATE_CLAMPED", _clamped_date))
