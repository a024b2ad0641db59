"""Exports of the case list as CSV and XLSX: the rows, their columns, the neutralised cells and the two writers.

Scope and filters are the case list's own (cases.selectors.case_list_visible_to and cases.filters.CaseFilter), so an
export holds exactly what the list shows. Columns (docs/EXPORTS.md):

- for everyone who may export: case number, unit, received at, source, status, incident date, place, verdict and
  articles of the latest screening, child flag, number of victims, next due item and when, overdue items, КБР number
  and date, referrals sent and accepted;
- only on request (`personal=1`) and only for roles that see personal data (cases.selectors.
  user_can_see_personal_data): the victims' names and dates of birth. Such an export writes one access-log row with
  the action "export" for every case it holds, before the case's row leaves the server.

NGO staff get no case-list export (404): the cases granted to them are read through their referrals, reduced by
consent. Analysts export what their list shows, without personal data.

Every text cell is neutralised against spreadsheet formula injection (OWASP "CSV injection"): hidden characters (NUL,
other C0 controls, bidi controls) are removed, and a text that starts with = + - @ (also the full-width ＝ ＋ － ＠),
a tab or a carriage return, even after leading spaces, gets a leading apostrophe. Numbers and dates stay as they are.

Memory stays bounded: the cases are read in chunks of EXPORT_CHUNK, each chunk's victims, screenings and access-log
rows in one query each; CSV is streamed; XLSX is written by openpyxl's write-only workbook into a temporary file, and
refused above XLSX_MAX_ROWS cases (CSV has no cap).
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from accounts.models import User
from accounts.readers import Reader
from accounts.roles import Role
from cases import selectors as case_selectors
from cases import services as case_services
from cases.filters import CaseFilter
from cases.models import Case, PersonalDataAccess, Victim
from referrals.models import Referral
from screening.labels import OBLIGATION_LABELS
from screening.qualification import LABELS as VERDICT_LABELS
from screening.selectors import latest_screenings_for

EXPORT_CHUNK = 500
XLSX_MAX_ROWS = 20_000
CSV_DELIMITER = ";"  # what Excel expects with Kyrgyz and Russian regional settings

# ---------------------------------------------------------------------------
# Neutralised cells
# ---------------------------------------------------------------------------
# Characters that make a spreadsheet read a cell as a formula (and full-width forms some spreadsheets fold to them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# NUL and the other C0 controls but tab, line feed and carriage return (openpyxl refuses them, Excel chokes on them),
# DEL, and the bidi controls that could show a cell other than it is.
_INVISIBLE = (
    [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\r"]
    + ["\x7f", "\u061c", "\u200e", "\u200f"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)
_WITHOUT_INVISIBLE = str.maketrans(dict.fromkeys(_INVISIBLE))

Cell = str | int | float | Decimal | date | datetime | None


def neutralise(value: object) -> Cell:
    """Return a cell that no spreadsheet runs as a formula: text cleaned and, when it starts like a formula, quoted.

    Numbers, dates and empty cells are returned as they are; anything else is made text first.
    """
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return int(value) if isinstance(value, bool) else value
    text = str(value).translate(_WITHOUT_INVISIBLE)
    if text.startswith(("\t", "\r")) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


# ---------------------------------------------------------------------------
# Columns and who may export
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    key: str
    header: Promise
    personal: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", _("Case number")),
    Column("unit", _("Unit")),
    Column("received_at", _("Received at")),
    Column("source", _("How the report came in")),
    Column("status", _("Status")),
    Column("incident_date", _("Date of the incident")),
    Column("place", _("Place of the incident")),
    Column("verdict", _("Verdict of the latest screening")),
    Column("articles", _("Articles")),
    Column("child", _("Child")),
    Column("victims", _("Number of victims")),
    Column("victim_names", _("Victims' names"), personal=True),
    Column("victim_birth_dates", _("Victims' dates of birth"), personal=True),
    Column("next_due", _("Next due item")),
    Column("next_due_at", _("Next item due at")),
    Column("overdue_items", _("Overdue items")),
    Column("kbr_number", _("КБР registration number")),
    Column("kbr_registered_at", _("КБР registration date")),
    Column("referrals_sent", _("Referrals sent")),
    Column("referrals_accepted", _("Referrals accepted")),
)
# Referral states once the recipient took the person on.
_ACCEPTED = (Referral.Status.ACCEPTED, Referral.Status.IN_SERVICE, Referral.Status.CLOSED)


def columns_for(*, with_personal_data: bool) -> list[Column]:
    return [column for column in COLUMNS if with_personal_data or not column.personal]


def user_may_export_case_list(*, user: User) -> bool:
    """Everyone signed in who reads cases, but NGO staff (their cases reach them through referrals only)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or not user.has_role(Role.NGO_STAFF)


def user_may_export_personal_data(*, user: User) -> bool:
    return user_may_export_case_list(user=user) and case_selectors.user_can_see_personal_data(user=user)


def wants_personal_data(params: QueryDict) -> bool:
    return params.get("personal", "") in ("1", "on", "true")


# Why an export with personal data is made, as the exporter states it (the access log keeps it); "export or
# reporting" when they do not say, or say something else.
EXPORT_PURPOSES = (
    PersonalDataAccess.Purpose.EXPORT,
    PersonalDataAccess.Purpose.SUPERVISION,
    PersonalDataAccess.Purpose.CASE_WORK,
    PersonalDataAccess.Purpose.REFERRAL,
)


def export_purpose(params: QueryDict) -> str:
    value = params.get("purpose", "")
    return value if value in EXPORT_PURPOSES else PersonalDataAccess.Purpose.EXPORT


# ---------------------------------------------------------------------------
# The cases of an export: the list's scope, filters and order
# ---------------------------------------------------------------------------
def case_export_filter(*, user: User, params: QueryDict, now: datetime) -> CaseFilter:
    """The case list's filter over the user's cases, bound to the request's parameters (all of them optional)."""
    visible = case_selectors.case_list_visible_to(user=user)
    units = case_selectors.unit_list_for_case_filter(user=user)
    return CaseFilter(params, queryset=visible, user=user, units=units, now=now)


def case_export_queryset(case_filter: CaseFilter, *, now: datetime) -> QuerySet[Case]:
    """The filtered cases in the list's order, annotated with their due items and referral counts."""
    cases = case_selectors.case_list_with_due_items(case_filter.qs, now=now)
    referrals = Referral.objects.filter(case_id=OuterRef("pk")).order_by().values("case_id")
    sent = referrals.exclude(status=Referral.Status.DRAFT).annotate(n=Count("pk")).values("n")
    accepted = referrals.filter(status__in=_ACCEPTED).annotate(n=Count("pk")).values("n")
    return (
        cases.annotate(
            referrals_sent=Coalesce(Subquery(sent), 0),
            referrals_accepted=Coalesce(Subquery(accepted), 0),
        )
        .select_related("unit")
        .order_by(*case_filter.ordering(), "pk")
    )


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------
def _local(moment: datetime | None) -> datetime | None:
    """The moment in the current time zone, without its zone (spreadsheets know none), to the minute."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


def chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def case_export_rows(
    cases: QuerySet[Case], *, with_personal_data: bool, reader: Reader | None = None, purpose: str = ""
) -> Iterator[list[Cell]]:
    """Yield one neutralised row per case, in the columns of `columns_for`.

    With personal data, the access-log rows of a chunk's cases are written before any of its rows is yielded.
    """
    if with_personal_data and reader is None:
        raise ValueError("an export of personal data needs its reader for the access log")
    columns = columns_for(with_personal_data=with_personal_data)
    language = (get_language() or "ky")[:2]
    for chunk in chunks(cases.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        ids = [case.pk for case in chunk]
        victims: dict = {}
        for victim in Victim.objects.filter(case_id__in=ids).order_by("created_at", "pk"):
            victims.setdefault(victim.case_id, []).append(victim)
        latest = latest_screenings_for(ids)
        if with_personal_data:
            case_services.personal_data_export_record(reader=reader, cases=chunk, purpose=purpose)
        for case in chunk:
            values = _case_values(case, victims.get(case.pk, []), latest.get(case.pk), language=language)
            yield [neutralise(values[column.key]) for column in columns]


def _case_values(case: Case, victims: list[Victim], screening, *, language: str) -> dict[str, object]:
    for victim in victims:
        victim.case = case  # the age at the act reads the case's dates: no query per person
    verdict = ""
    if screening is not None:
        verdict = VERDICT_LABELS.get(screening.verdict, {}).get(language) or screening.verdict
    child = (screening.child if screening is not None else False) or any(victim.is_child for victim in victims)
    return {
        "number": case.number,
        "unit": case.unit.display_name,
        "received_at": _local(case.received_at),
        "source": case.get_source_display(),
        "status": case.get_status_display(),
        "incident_date": timezone.localdate(case.incident_at) if case.incident_at else None,
        "place": case.incident_place,
        "verdict": verdict,
        "articles": ", ".join(screening.articles) if screening is not None else "",
        "child": str(_("Yes")) if child else str(_("No")),
        "victims": len(victims),
        "victim_names": "; ".join(victim.full_name for victim in victims if victim.full_name),
        "victim_birth_dates": "; ".join(
            victim.date_of_birth.strftime("%d.%m.%Y") for victim in victims if victim.date_of_birth
        ),
        "next_due": str(OBLIGATION_LABELS.get(case.next_due_code, case.next_due_code or "")),
        "next_due_at": _local(case.next_due_at),
        "overdue_items": case.overdue_items,
        "kbr_number": case.kbr_number,
        "kbr_registered_at": case.kbr_registered_at,
        "referrals_sent": case.referrals_sent,
        "referrals_accepted": case.referrals_accepted,
    }


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------
class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_stream(headers: list[str], rows: Iterable[list[Cell]], *, delimiter: str = CSV_DELIMITER) -> Iterator[bytes]:
    """Yield UTF-8 CSV (with a byte-order mark, so that Excel reads Cyrillic right) a line at a time."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    yield "\ufeff".encode()
    yield writer.writerow([_csv_text(neutralise(header)) for header in headers]).encode()
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row]).encode()


def xlsx_file(headers: list[str], rows: Iterable[list[Cell]], *, title: str):
    """Write a workbook of one sheet (write-only: rows go to disk as they come) and return it as an open temporary
    file at its start; the caller closes it (a FileResponse does)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=neutralise(title)[:31] or "Sheet")
    sheet.append([neutralise(header) for header in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed open to the response, which closes it
    workbook.save(output)
    output.seek(0)
    return output


def _xlsx_cell(sheet, value: Cell):
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD.MM.YYYY HH:MM"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    return value


def export_filename(stem: str, extension: str, *, now: datetime) -> str:
    """A file name of ASCII letters, digits and dashes, with the local date and time of the export."""
    return f"{stem}-{timezone.localtime(now):%Y%m%d-%H%M}.{extension}"
