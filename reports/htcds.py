"""The anonymised export for international reporting: one row per victim, in the field names of the Counter-Trafficking
Data Collaborative's global victim dataset (CTDC, run by IOM), which the Human Trafficking Case Data Standard (HTCDS,
github.com/UNMigration/HTCDS) describes field by field.

Field by field (docs/EXPORTS.md has the same mapping as a table); HTCDS names in brackets:

- recordId (ours): a keyed hash of the person's id under a key drawn for this export only, so rows of two exports
  cannot be joined and no case number leaves;
- yearOfRegistration: the year the report came in (received at, local time), the year only;
- Datasource: "Hotline" for reports of the 1899 line, else "Case Management" (the CTDC values);
- gender [prs_Gender]: Female, Male or Unknown (HTCDS value names);
- ageBroad [from prs_Birthdate]: the age at the act in CTDC's bands 0--8, 9--17, 18--20, 21--23, 24--26, 27--29,
  30--38, 39--47, 48+; empty when unknown. Never the date of birth;
- majorityStatus: Minor or Adult on the day the report came in; majorityStatusAtExploit: at the act (a person who
  appears to be a minor counts as Minor, DOMAIN §3.2); empty when unknown;
- citizenship [prs_Nationality]: the ISO 3166 two-letter code;
- meansOfControl* [vic_MethodsOfControl]: from the latest screening's means and indicators (MEANS_OF_CONTROL), with
  meansOfControlNotSpecified and meansOfControlConcatenated;
- isAbduction [vic_MethodOfRecruitment = Abduction]: the means "abduction";
- isForcedLabour, isSexualExploit, isOtherExploit, isSexAndLabour, isForcedMarriage, isOrganRemoval and
  typeOfExploitConcatenated: the purposes of the latest screening (PURPOSE_FLAGS);
- typeOfLabourBegging [vic_TypeOfLabourExploitation = Begging], typeOfSexPornography [vic_TypeOfSexExploitation =
  Pornography]: the purposes "forced begging" and "use of a child in pornography";
- kgVerdict, kgArticles (ours): the verdict code and the articles of the Criminal Code of the KR.

Flags are 1 or 0; they are empty when the person was never screened. The latest screening of a person is the newest one
made for that person, else the newest one of the case made for nobody in particular.

Nothing else leaves: no names, documents, contacts, addresses, dates of birth, case numbers, units, places, free text
(circumstances, notes, explanations) or exact dates. Small cells are not suppressed here (the statistics pages do
that); the recipient of the file must apply its own disclosure control (CTDC k-anonymises before publishing).

Who may run it: heads of department (their units' cases, as the case list) and analysts (the cases of their unit and
every unit below it); superusers all.
"""

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Unit, User
from accounts.roles import Role
from cases import selectors as case_selectors
from cases.ages import ADULT_AGE, age_at
from cases.models import Case, Sex, Victim
from screening.models import Screening

from .exports import EXPORT_CHUNK, chunks, neutralise

AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 8, "0--8"),
    (9, 17, "9--17"),
    (18, 20, "18--20"),
    (21, 23, "21--23"),
    (24, 26, "24--26"),
    (27, 29, "27--29"),
    (30, 38, "30--38"),
    (39, 47, "39--47"),
    (48, None, "48+"),
)
GENDERS = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.UNKNOWN: "Unknown"}

# The CTDC means-of-control fields, and which of our means (ARCHITECTURE §4) and indicators (screening.indicators)
# set each. The Palermo means and CTDC's means of control overlap, they are not the same list: what has no match
# counts as Other.
MEANS_OF_CONTROL: dict[str, tuple[str, ...]] = {
    "meansOfControlThreats": ("threat", "blackmail"),
    "meansOfControlPhysicalAbuse": ("force",),
    "meansOfControlFalsePromises": ("fraud", "deception"),
    "meansOfControlTakesEarnings": ("indicator:no_access_to_earnings",),
    "meansOfControlRestrictsMovement": ("indicator:held_against_will",),
    "meansOfControlOther": ("coercion", "abuse_of_power", "abuse_of_vulnerability", "payment_to_controller"),
}
# Purposes of exploitation → CTDC type-of-exploitation flags.
PURPOSE_FLAGS: dict[str, tuple[str, ...]] = {
    "isForcedLabour": ("forced_labour", "forced_begging"),
    "isSexualExploit": ("sexual_exploitation", "child_pornography"),
    "isForcedMarriage": ("forced_marriage",),
    "isOrganRemoval": ("organ_removal",),
    "isOtherExploit": ("slavery", "servitude", "illegal_adoption", "other"),
}
EXPLOIT_LABELS = {
    "isForcedLabour": "Forced labour",
    "isSexualExploit": "Sexual exploitation",
    "isForcedMarriage": "Forced marriage",
    "isOrganRemoval": "Organ removal",
    "isOtherExploit": "Other",
}

FIELDS: tuple[str, ...] = (
    "recordId",
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "citizenship",
    *MEANS_OF_CONTROL,
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "isAbduction",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isOrganRemoval",
    "typeOfExploitConcatenated",
    "typeOfLabourBegging",
    "typeOfSexPornography",
    "kgVerdict",
    "kgArticles",
)


# ---------------------------------------------------------------------------
# Who and which cases
# ---------------------------------------------------------------------------
def user_may_run_htcds_export(*, user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.unit_id is not None and user.has_role(Role.SUPERVISOR, Role.ANALYST))


def htcds_cases_for(*, user: User) -> QuerySet[Case]:
    """The cases a user may report on anonymously: a head's as in the case list, an analyst's unit tree."""
    if not user_may_run_htcds_export(user=user):
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    scope = Q(pk__in=[])
    if user.has_role(Role.SUPERVISOR):
        scope |= Q(pk__in=case_selectors.case_list_visible_to(user=user).values("pk"))
    if user.has_role(Role.ANALYST):
        scope |= Q(unit__path__startswith=user.unit.path)
    return Case.objects.filter(scope)


def htcds_units_for(*, user: User) -> QuerySet[Unit]:
    """The units a user may narrow the export to: their unit and the units below it (all for a superuser)."""
    if not user_may_run_htcds_export(user=user):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.order_by("path")
    return Unit.objects.filter(path__startswith=user.unit.path).order_by("path")


def htcds_victims(cases: QuerySet[Case], *, year_from: int | None = None, year_to: int | None = None):
    """The people of the cases registered in the given years (local time), in the random order of their ids."""
    victims = Victim.objects.filter(case__in=cases)
    if year_from is not None:
        victims = victims.filter(case__received_at__year__gte=year_from)
    if year_to is not None:
        victims = victims.filter(case__received_at__year__lte=year_to)
    return victims.select_related("case").order_by("pk")


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------
def age_band(age: int | None) -> str:
    if age is None:
        return ""
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return ""


def _majority(age: int | None) -> str:
    if age is None:
        return ""
    return "Minor" if age < ADULT_AGE else "Adult"


def _age_at_registration(victim: Victim) -> int | None:
    received = timezone.localdate(victim.case.received_at)
    if victim.date_of_birth and victim.date_of_birth <= received:
        return age_at(victim.date_of_birth, received)
    return victim.approximate_age if victim.date_of_birth is None else None


def htcds_rows(victims: QuerySet[Victim], *, key: bytes | None = None) -> Iterator[dict[str, object]]:
    """Yield one anonymised record per person; the screenings of each chunk are read in one query."""
    key = key or secrets.token_bytes(32)
    for chunk in chunks(victims.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        screenings = _latest_screenings_of(chunk)
        for victim in chunk:
            yield _record(victim, screenings.get(victim.pk), key=key)


def _latest_screenings_of(victims: list[Victim]) -> dict:
    """{person id: the latest screening made for the person, else the case's latest made for nobody}."""
    case_ids = {victim.case_id for victim in victims}
    own: dict = {}
    of_case: dict = {}
    screenings = Screening.objects.filter(case_id__in=case_ids).order_by("-created_at", "pk")
    for screening in screenings.only("case_id", "victim_id", "verdict", "articles", "facts", "indicators"):
        if screening.victim_id is None:
            of_case.setdefault(screening.case_id, screening)
        else:
            own.setdefault(screening.victim_id, screening)
    return {victim.pk: own.get(victim.pk) or of_case.get(victim.case_id) for victim in victims}


def _record(victim: Victim, screening: Screening | None, *, key: bytes) -> dict[str, object]:
    case = victim.case
    age_at_act = victim.age_at_act
    record: dict[str, object] = {
        "recordId": hmac.new(key, str(victim.pk).encode(), hashlib.sha256).hexdigest()[:16],
        "yearOfRegistration": timezone.localtime(case.received_at).year,
        "Datasource": "Hotline" if case.source == Case.Source.HOTLINE_1899 else "Case Management",
        "gender": GENDERS.get(victim.sex, "Unknown"),
        "ageBroad": age_band(age_at_act),
        "majorityStatus": _majority(_age_at_registration(victim)),
        "majorityStatusAtExploit": "Minor" if victim.is_child else _majority(age_at_act),
        "citizenship": (victim.citizenship or "").upper()[:2],
    }
    record.update(_screening_fields(screening))
    return {field: neutralise(record.get(field, "")) for field in FIELDS}


def _screening_fields(screening: Screening | None) -> dict[str, object]:
    if screening is None:
        return {}
    facts = screening.facts if isinstance(screening.facts, dict) else {}
    means = set(_codes(facts.get("means")))
    purposes = set(_codes(facts.get("purposes"))) | set(_codes(facts.get("exploitation_occurred")))
    found = means | {f"indicator:{code}" for code in _codes(screening.indicators)}
    fields: dict[str, object] = {}
    controls = [name for name, codes in MEANS_OF_CONTROL.items() if found & set(codes)]
    for name in MEANS_OF_CONTROL:
        fields[name] = int(name in controls)
    fields["meansOfControlNotSpecified"] = int(not controls)
    fields["meansOfControlConcatenated"] = "; ".join(name.removeprefix("meansOfControl") for name in controls)
    fields["isAbduction"] = int("abduction" in means)
    exploits = [name for name, codes in PURPOSE_FLAGS.items() if purposes & set(codes)]
    for name in PURPOSE_FLAGS:
        fields[name] = int(name in exploits)
    fields["isSexAndLabour"] = int("isForcedLabour" in exploits and "isSexualExploit" in exploits)
    fields["typeOfExploitConcatenated"] = "; ".join(EXPLOIT_LABELS[name] for name in exploits)
    fields["typeOfLabourBegging"] = int("forced_begging" in purposes)
    fields["typeOfSexPornography"] = int("child_pornography" in purposes)
    fields["kgVerdict"] = screening.verdict
    fields["kgArticles"] = "; ".join(str(article) for article in screening.articles or [])
    return fields


def _codes(value) -> list[str]:
    return [str(code) for code in value] if isinstance(value, list) else []


# ---------------------------------------------------------------------------
# Writers (CSV through reports.exports.csv_stream, with commas: the file is for other systems, not for Excel)
# ---------------------------------------------------------------------------
def htcds_csv_rows(records: Iterator[dict[str, object]]) -> Iterator[list]:
    for record in records:
        yield [record[field] for field in FIELDS]


def htcds_json_stream(records: Iterator[dict[str, object]]) -> Iterator[bytes]:
    """Yield a JSON array of the records, one record at a time."""
    yield b"["
    first = True
    for record in records:
        yield (b"\n" if first else b",\n") + json.dumps(record, ensure_ascii=False).encode()
        first = False
    yield b"\n]\n"
