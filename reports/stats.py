"""Statistics for heads of department and analysts (ARCHITECTURE §7): counts of the cases in the user's scope by
article, victims' sex and age group, purpose of exploitation, country role, unit and month; referral acceptance;
deadline breaches.

A handful of GROUP BY queries, whatever the number of cases. Heads see exact counts. Analysts see aggregates only,
and every count from 1 to 4 is suppressed; in a table whose rows add up to a shown total, more cells are hidden until
no suppressed count can be worked out from the total and the other cells (`protect_partition`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from accounts.roles import Role
from cases.ages import age_at
from cases.models import Case, Sex, Victim
from referrals.models import Recipient, Referral
from referrals.selectors import overdue_condition
from screening.labels import OBLIGATION_LABELS
from screening.models import Obligation, Screening
from screening.qualification import PURPOSES, label

# Counts below this, and above zero, are not shown to analysts.
THRESHOLD = 5
SMALL = "small"  # a count from 1 to 4
COMPLEMENTARY = "complementary"  # hidden so that a small count cannot be worked out by subtraction
UNBOUNDED = 10**12

# Who sees the statistics, and who sees them exactly.
STATISTICS_ROLES = (Role.SUPERVISOR, Role.ANALYST)
EXACT_COUNT_ROLES = (Role.SUPERVISOR,)

AGE_GROUPS: tuple[tuple[str, str, int, int], ...] = (
    ("0-13", _("0–13 years"), 0, 13),
    ("14-17", _("14–17 years"), 14, 17),
    ("18-25", _("18–25 years"), 18, 25),
    ("26-40", _("26–40 years"), 26, 40),
    ("41+", _("41 years and older"), 41, 10_000),
)
MINOR_AGE_UNKNOWN = "minor"
AGE_UNKNOWN = "unknown"
NOT_SCREENED = "not_screened"
ACCEPTED_STATES = (Referral.Status.ACCEPTED, Referral.Status.IN_SERVICE, Referral.Status.CLOSED)
REFERRAL_COLUMNS: tuple[tuple[str, object], ...] = (
    ("accepted", _("Accepted")),
    ("declined", _("Declined")),
    ("pending", _("Waiting for an answer")),
    ("withdrawn", _("Withdrawn by the police")),
)


# ---------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------
def user_sees_statistics(*, user: User) -> bool:
    """Heads of department and analysts with a unit, and superusers; nobody else (the menu and the pages alike)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.unit_id is not None and user.has_role(*STATISTICS_ROLES))


def user_sees_exact_counts(*, user: User) -> bool:
    """Heads see exact counts of their units; analysts (and anyone else) see small counts suppressed."""
    return user.is_superuser or user.has_role(*EXACT_COUNT_ROLES)


def statistics_units_for(*, user: User) -> QuerySet[Unit]:
    """The units whose cases the user's statistics count: the user's unit and every unit below it.

    Heads: their case scope (cases.selectors._role_scope). Analysts: `_role_scope` gives them no case to read, and
    they never read one here either; they count the cases of their unit tree in aggregates only, suppressed.
    """
    if not user_sees_statistics(user=user):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.order_by("path")
    return Unit.objects.filter(path__startswith=user.unit.path).order_by("path")


# ---------------------------------------------------------------------------
# Suppression (pure: no database)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """One count as the page may show it: `value` is None when hidden, so a template cannot leak it."""

    value: int | None
    hidden: str = ""  # "", SMALL or COMPLEMENTARY

    @property
    def shown(self) -> str:
        if self.hidden == SMALL:
            return f"<{THRESHOLD}"
        if self.hidden:
            return "×"
        return str(self.value)


def _exact(values: Iterable[int]) -> list[Cell]:
    return [Cell(value) for value in values]


def _is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def protect_cells(values: list[int], *, exact: bool) -> list[Cell]:
    """Suppress each count from 1 to 4 (for cells that add up to no shown total: a case may count in several)."""
    if exact:
        return _exact(values)
    return [Cell(None, SMALL) if _is_small(value) else Cell(value) for value in values]


def _derivable(values: list[int], small: set[int], complementary: list[int], zero_possible: bool) -> bool:
    """Tell whether some hidden cell has one possible value, knowing the total, the shown cells and the rule.

    The reader knows the sum of the hidden cells (total minus the shown ones), that a "<5" cell holds 1 to 4 and
    that a cell hidden beside it holds 5 or more (or possibly 0, once zeros had to be hidden as well).
    """
    hidden = sorted(small) + complementary
    if not hidden:
        return False
    bounds = {i: (1, THRESHOLD - 1) for i in small}
    bounds |= {i: (0 if zero_possible else THRESHOLD, UNBOUNDED) for i in complementary}
    total = sum(values[i] for i in hidden)
    for i in hidden:
        others_low = sum(bounds[j][0] for j in hidden if j != i)
        others_high = sum(bounds[j][1] for j in hidden if j != i)
        low = max(bounds[i][0], total - others_high)
        high = min(bounds[i][1], total - others_low)
        if low >= high:
            return True
    return False


def protect_partition(values: list[int], *, exact: bool) -> tuple[list[Cell], Cell, bool]:
    """Return the cells and the total of counts that add up to it, and whether the total had to be hidden too.

    For analysts: counts from 1 to 4 become "<5"; then the smallest shown counts of 5 or more are hidden beside them
    until no hidden count has only one possible value; when even that is not enough, the zeros too, and at last the
    total (the caller then hides the whole population: the same total is read from its other tables).
    """
    total = sum(values)
    if exact:
        return _exact(values), Cell(total), False
    small = {i for i, value in enumerate(values) if _is_small(value)}
    total_cell = Cell(None, SMALL) if _is_small(total) else Cell(total)
    if not small:
        return _exact(values), total_cell, False
    candidates = sorted((i for i, value in enumerate(values) if value >= THRESHOLD), key=lambda i: (values[i], i))
    complementary: list[int] = []
    zero_possible = False
    while _derivable(values, small, complementary, zero_possible) and candidates:
        complementary.append(candidates.pop(0))
    if _derivable(values, small, complementary, zero_possible):
        zeros = [i for i, value in enumerate(values) if value == 0]
        complementary += zeros
        zero_possible = bool(zeros)
    degenerate = _derivable(values, small, complementary, zero_possible)
    cells = [
        Cell(None, SMALL) if i in small else Cell(None, COMPLEMENTARY) if i in complementary else Cell(value)
        for i, value in enumerate(values)
    ]
    if degenerate:
        total_cell = Cell(None, SMALL) if _is_small(total) else Cell(None, COMPLEMENTARY)
    return cells, total_cell, degenerate


# ---------------------------------------------------------------------------
# The figures
# ---------------------------------------------------------------------------
@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]
    total: Cell | None = None
    rate: str = ""  # referral acceptance, as a percentage, when it gives no hidden count away


@dataclass
class Table:
    """A breakdown: one row per category; `additive` when the rows add up to `total` (which is then shown)."""

    key: str
    rows: list[Row]
    additive: bool
    total: Cell | None = None
    protected: bool = False  # a cell was hidden beside a small one (the page explains why)
    degenerate: bool = False  # no way to protect it but to hide its population's total

    @property
    def suppressed(self) -> bool:
        return any(cell.hidden for row in self.rows for cell in row.cells) or bool(self.total and self.total.hidden)


@dataclass
class Statistics:
    exact: bool
    cases: Cell
    victims: Cell
    by_article: Table
    by_unit: Table
    by_month: Table
    by_country_role: Table
    by_purpose: Table
    by_sex: Table
    by_age: Table
    referrals: Table
    referral_deadlines: Table
    obligations: Table
    population_hidden: set[str] = field(default_factory=set)


def _partition_table(key: str, labelled: list[tuple[str, str, int]], *, exact: bool) -> Table:
    cells, total, degenerate = protect_partition([count for _, _, count in labelled], exact=exact)
    rows = [Row(k, text, [cell]) for (k, text, _), cell in zip(labelled, cells, strict=True)]
    protected = any(cell.hidden == COMPLEMENTARY for cell in cells)
    return Table(key, rows, additive=True, total=total, protected=protected, degenerate=degenerate)


def _cells_table(key: str, labelled: list[tuple[str, str, int]], *, exact: bool) -> Table:
    cells = protect_cells([count for _, _, count in labelled], exact=exact)
    rows = [Row(k, text, [cell]) for (k, text, _), cell in zip(labelled, cells, strict=True)]
    return Table(key, rows, additive=False)


def _hide_all(table: Table) -> None:
    """Hide every count of a table (its population is too small to show to an analyst without giving one away)."""
    for row in table.rows:
        row.cells = [
            cell if cell.hidden else Cell(None, SMALL if _is_small(cell.value or 0) else COMPLEMENTARY)
            for cell in row.cells
        ]
        row.total = Cell(None, COMPLEMENTARY) if row.total is not None else None
        row.rate = ""
    if table.total is not None:
        table.total = Cell(None, COMPLEMENTARY) if not table.total.hidden else table.total
    table.protected = True


def _period_bounds(date_from: date | None, date_to: date | None) -> Q:
    """Cases whose report came in between the two days, inclusive, in the project's time zone."""
    zone = timezone.get_default_timezone()
    condition = Q()
    if date_from is not None:
        condition &= Q(received_at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to is not None:
        condition &= Q(received_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
    return condition


def statistics_cases(
    *, units: list[Unit], unit: Unit | None, date_from: date | None, date_to: date | None
) -> QuerySet[Case]:
    """The cases counted: of the chosen unit's tree (or all the user's units), reported within the period."""
    scope_ids = [u.pk for u in units]
    if unit is not None:
        scope_ids = [u.pk for u in units if u.path.startswith(unit.path)]
    return Case.objects.filter(_period_bounds(date_from, date_to), unit_id__in=scope_ids).order_by()


def _language() -> str:
    language = (get_language() or "ky")[:2]
    return language if language in ("ky", "ru", "en") else "ky"


def article_label(articles: tuple[str, ...] | None) -> str:
    """The row label of the articles of a case's latest screening."""
    if articles is None:
        return str(_("Not screened yet"))
    language = _language()
    known = {
        (): str(_("No article: elements not established, or not trafficking")),
        ("166",): label("art_166", language),
        ("166", "166.2.5"): str(_("{article}, part 2 item 5 (across the state border)")).format(
            article=label("art_166", language)
        ),
        ("167",): label("art_167", language),
        ("159", "160"): label("art_159_160", language),
    }
    return known.get(articles) or str(_("Articles {articles}")).format(articles=", ".join(articles))


def _age_group(row: dict) -> str:
    born, approximate, minor, on = row["date_of_birth"], row["approximate_age"], row["appears_minor"], row["received"]
    age = None
    if born is not None and on is not None and born <= on:
        age = age_at(born, on)
    elif approximate is not None:
        age = approximate
    if age is None:
        return MINOR_AGE_UNKNOWN if minor else AGE_UNKNOWN
    return next(code for code, _, low, high in AGE_GROUPS if low <= age <= high)


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def statistics_for(
    *,
    user: User,
    units: list[Unit],
    unit: Unit | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    now: datetime | None = None,
) -> Statistics:
    """Count the cases of the user's scope (`units`, from statistics_units_for) for the page; exact for heads only."""
    now = now or timezone.now()
    exact = user_sees_exact_counts(user=user)
    cases = statistics_cases(units=units, unit=unit, date_from=date_from, date_to=date_to)
    case_ids = cases.values("pk")

    # 1. Cases by unit and month, with the country roles: one GROUP BY.
    zone = timezone.get_default_timezone()
    by_unit: Counter = Counter()
    by_month: Counter = Counter()
    roles: Counter = Counter()
    grouped = cases.values("unit_id", month=TruncMonth("received_at", tzinfo=zone)).annotate(
        n=Count("pk"),
        origin=Count("pk", filter=Q(country_origin=True)),
        transit=Count("pk", filter=Q(country_transit=True)),
        destination=Count("pk", filter=Q(country_destination=True)),
        none=Count("pk", filter=Q(country_origin=False, country_transit=False, country_destination=False)),
    )
    for row in grouped:
        by_unit[row["unit_id"]] += row["n"]
        month = row["month"]
        by_month[month.date() if isinstance(month, datetime) else month] += row["n"]
        for role in ("origin", "transit", "destination", "none"):
            roles[role] += row[role]
    total_cases = sum(by_unit.values())

    # 2. The latest screening of each case: articles and purposes, grouped by their values.
    latest = Screening.objects.filter(case_id=OuterRef("case_id")).order_by("-created_at", "-pk").values("pk")[:1]
    screenings = (
        Screening.objects.filter(case_id__in=case_ids, pk=Subquery(latest))
        .values("articles", "facts__purposes", "facts__exploitation_occurred")
        .annotate(n=Count("pk"))
        .order_by()
    )
    articles: Counter = Counter()
    purposes: Counter = Counter()
    screened = 0
    for row in screenings:
        screened += row["n"]
        articles[tuple(sorted(str(a) for a in (row["articles"] or [])))] += row["n"]
        stated = set(row["facts__purposes"] or []) | set(row["facts__exploitation_occurred"] or [])
        for code in stated & set(PURPOSES):
            purposes[code] += row["n"]
    if total_cases - screened:
        articles[None] = total_cases - screened

    # 3. Victims by sex and age group: one GROUP BY (the age needs the project's birthday rule, applied here).
    sexes: Counter = Counter()
    ages: Counter = Counter()
    victims = (
        Victim.objects.filter(case_id__in=case_ids)
        .values(
            "sex",
            "date_of_birth",
            "approximate_age",
            "appears_minor",
            received=TruncDate("case__received_at", tzinfo=zone),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in victims:
        sexes[row["sex"]] += row["n"]
        ages[_age_group(row)] += row["n"]

    # 4. Referrals by recipient kind: acceptance and deadlines, one GROUP BY.
    referral_rows = list(
        Referral.objects.filter(case_id__in=case_ids)
        .values("recipient__kind")
        .annotate(
            accepted=Count("pk", filter=Q(status__in=ACCEPTED_STATES)),
            declined=Count("pk", filter=Q(status=Referral.Status.DECLINED)),
            pending=Count("pk", filter=Q(status=Referral.Status.SENT)),
            withdrawn=Count("pk", filter=Q(status=Referral.Status.WITHDRAWN, sent_at__isnull=False)),
            with_deadline=Count("pk", filter=Q(due_at__isnull=False)),
            overdue=Count("pk", filter=overdue_condition(now=now)),
            answered_late=Count("pk", filter=Q(answered_at__gt=F("due_at"))),
        )
        .order_by("recipient__kind")
    )

    # 5. Due items with a deadline, by kind: open past the deadline, done after it.
    obligation_rows = list(
        Obligation.objects.filter(case_id__in=case_ids, due_at__isnull=False)
        .values("code")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(status=Obligation.Status.OPEN, due_at__lt=now)),
            late=Count("pk", filter=Q(status=Obligation.Status.DONE, done_at__gt=F("due_at"))),
        )
        .order_by("code")
    )

    # The tables.
    article_keys = sorted((k for k in articles if k is not None), key=lambda k: (-articles[k], k))
    article_keys += [None] if None in articles else []
    by_article = _partition_table(
        "article",
        [("+".join(k) if k is not None else NOT_SCREENED, article_label(k), articles[k]) for k in article_keys],
        exact=exact,
    )
    unit_names = {u.pk: u for u in units}
    unit_table = _partition_table(
        "unit",
        [
            (str(pk), unit_names[pk].display_name, by_unit[pk])
            for pk in sorted(by_unit, key=lambda p: unit_names[p].path)
        ],
        exact=exact,
    )
    month_keys = _months(min(by_month), max(by_month)) if by_month else []
    month_table = _partition_table(
        "month", [(m.isoformat()[:7], m.strftime("%m.%Y"), by_month.get(m, 0)) for m in month_keys], exact=exact
    )
    country_table = _cells_table(
        "country_role",
        [
            ("origin", str(_("Kyrgyz Republic is the country of origin")), roles["origin"]),
            ("transit", str(_("Kyrgyz Republic is a transit country")), roles["transit"]),
            ("destination", str(_("Kyrgyz Republic is the country of destination")), roles["destination"]),
            ("none", str(_("No country role recorded")), roles["none"]),
        ],
        exact=exact,
    )
    language = _language()
    purpose_table = _cells_table(
        "purpose",
        [
            (code, label(code, language), purposes[code])
            for code in sorted(PURPOSES, key=lambda c: -purposes[c])
            if purposes[code]
        ],
        exact=exact,
    )
    sex_table = _partition_table("sex", [(v, str(lbl), sexes[v]) for v, lbl in Sex.choices], exact=exact)
    age_table = _partition_table(
        "age",
        [(code, str(text), ages[code]) for code, text, _, _ in AGE_GROUPS]
        + [
            (MINOR_AGE_UNKNOWN, str(_("Under 18 by appearance, age not established")), ages[MINOR_AGE_UNKNOWN]),
            (AGE_UNKNOWN, str(_("Age not known")), ages[AGE_UNKNOWN]),
        ],
        exact=exact,
    )
    referral_table = _referral_table(referral_rows, exact=exact)
    deadline_table = _deadline_table(
        "referral_deadline",
        [
            (
                r["recipient__kind"],
                _kind_label(r["recipient__kind"]),
                [r["with_deadline"], r["overdue"], r["answered_late"]],
            )
            for r in referral_rows
            if r["with_deadline"]
        ],
        exact=exact,
    )
    obligation_table = _deadline_table(
        "obligation",
        [
            (r["code"], str(OBLIGATION_LABELS.get(r["code"], r["code"])), [r["n"], r["overdue"], r["late"]])
            for r in obligation_rows
        ],
        exact=exact,
    )

    cases_total = protect_partition([total_cases], exact=exact)[1]
    victims_total = protect_partition([sum(sexes.values())], exact=exact)[1]
    statistics = Statistics(
        exact=exact,
        cases=cases_total,
        victims=victims_total,
        by_article=by_article,
        by_unit=unit_table,
        by_month=month_table,
        by_country_role=country_table,
        by_purpose=purpose_table,
        by_sex=sex_table,
        by_age=age_table,
        referrals=referral_table,
        referral_deadlines=deadline_table,
        obligations=obligation_table,
    )
    _hide_small_populations(statistics)
    return statistics


def _hide_small_populations(statistics: Statistics) -> None:
    """When one table of a population could not be protected, hide every count of that population.

    Its total is the same number in each of its tables: hiding it in one would not hide it.
    """
    if statistics.exact:
        return
    populations = {
        "cases": [statistics.by_article, statistics.by_unit, statistics.by_month],
        "victims": [statistics.by_sex, statistics.by_age],
    }
    for name, tables in populations.items():
        if any(table.degenerate for table in tables):
            statistics.population_hidden.add(name)
            for table in tables:
                _hide_all(table)
            setattr(statistics, name, Cell(None, COMPLEMENTARY))
    if "cases" in statistics.population_hidden:
        for table in (statistics.by_country_role, statistics.by_purpose):
            _hide_all(table)


def _kind_label(kind: str) -> str:
    return str(dict(Recipient.Kind.choices).get(kind, kind))


def _referral_table(rows: list[dict], *, exact: bool) -> Table:
    """Per kind of recipient: the referrals sent, by answer, and the share accepted of those answered."""
    table_rows = []
    protected = False
    for row in rows:
        values = [row[key] for key, _ in REFERRAL_COLUMNS]
        if not sum(values):
            continue
        cells, total, degenerate = protect_partition(values, exact=exact)
        protected |= any(cell.hidden == COMPLEMENTARY for cell in cells)
        accepted, declined = cells[0], cells[1]
        rate = ""
        answered = row["accepted"] + row["declined"]
        if answered and not accepted.hidden and not declined.hidden:
            rate = f"{round(100 * row['accepted'] / answered)} %"
        table_row = Row(row["recipient__kind"], _kind_label(row["recipient__kind"]), cells, total, rate)
        table_rows.append(table_row)
        if degenerate:
            single = Table("", [table_row], additive=True)
            _hide_all(single)
            protected = True
    return Table("referral", table_rows, additive=False, protected=protected)


def _deadline_table(key: str, rows: list[tuple[str, str, list[int]]], *, exact: bool) -> Table:
    """Per kind: items with a deadline, open past it, done after it (each count suppressed on its own: the rest of
    the items, on time, is not shown, so no hidden count is a difference of shown ones)."""
    return Table(key, [Row(k, text, protect_cells(values, exact=exact)) for k, text, values in rows], additive=False)


def chart_bars(table: Table) -> list[tuple[str, int | None, str]]:
    """(label, value or None, shown text) of each row's first cell, for reports.charts."""
    return [(row.label, row.cells[0].value, row.cells[0].shown) for row in table.rows]
