"""Write a demo story through the services, then give every write the time the story says it happened.

The services stamp what they write with the present (auto_now_add, history dates, `timezone.now()`): a demo loaded in
one second would show forty cases opened, screened and closed within that second. So each step of a story runs inside
`DemoBuilder._at(moment)`, which notes the span of real time it took; at the end one UPDATE per timestamp column moves
every row written in a span to that span's moment. Deadlines that count from a screening move with the screening, so
each one stays exactly what the obligation rules give (`screening.obligations`); deadlines that count from the incident
do not move. The access log is append-only: the reads a story implies are written with their time, never moved.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import DateTimeField, F, Model
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import OutboxMessage, User
from cases import services as case_services
from cases.models import (
    Attachment,
    Case,
    ExploitationSite,
    LegalRepresentative,
    OfficerStep,
    PersonalDataAccess,
    Suspect,
    Victim,
)
from cases.probes import probe_of
from referrals import services as referral_services
from referrals.models import Consent, HotlineCall, Recipient, Referral, ServiceUpdate
from reports import pdf_services as rapport_pdf_services
from reports import services as rapport_services
from reports.models import Rapport, RapportPdf
from screening import services as screening_services
from screening.models import Obligation, Screening
from screening.obligations import route_of

# Columns the services fill with the present, per model; the history of each model too (history_date).
STAMPED_COLUMNS: dict[type[Model], tuple[str, ...]] = {
    Case: ("created_at", "updated_at"),
    Victim: ("created_at", "updated_at"),
    LegalRepresentative: ("created_at",),
    Suspect: ("created_at",),
    ExploitationSite: ("created_at",),
    Attachment: ("uploaded_at",),
    OfficerStep: ("done_at",),
    Screening: ("created_at",),
    Obligation: ("created_at", "done_at"),
    OutboxMessage: ("created_at", "next_attempt_at"),
    Referral: ("created_at", "updated_at", "sent_at", "answered_at", "closed_at"),
    HotlineCall: ("closed_at",),
    Consent: ("decided_at", "withdrawn_at"),
    ServiceUpdate: ("recorded_at",),
    Rapport: ("created_at", "updated_at", "submitted_at", "approved_at", "printed_at"),
    RapportPdf: ("created_at", "rendered_at"),
}
HISTORY_OF = (
    Case,
    Victim,
    LegalRepresentative,
    Suspect,
    ExploitationSite,
    Attachment,
    OfficerStep,
    Screening,
    Obligation,
    Referral,
    Consent,
    ServiceUpdate,
    HotlineCall,
    Rapport,
)
# Deadlines that count from the incident, not from the screening: they keep their time when the screening moves.
INCIDENT_RULES = frozenset({"hours_after_incident"})
SPANS_PER_UPDATE = 200
# The first part of a КБР number in the demo, by oblast (the register's real format is not public).
KBR_REGION = {"chui": "01", "osh": "03"}
# Where the officers' browsers are, for the access log: the district departments' office network.
OFFICE_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"
PHONE_BROWSER = "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36"


# What the demo's officers wrote when they closed a case or marked a notice or referral done.
CLOSING_REASON = "Тергөөгө чейинки текшерүүнүн жыйынтыгы боюнча: материалдар тиешелүү органга өткөрүлүп берилди."
DONE_NOTES = {
    "notify_kib": "КИБ ишти кабыл алды: оперативдик текшерүү башталды, нөөмөт бөлүмүнүн журналына катталды.",
    "notify_duty_officer": "Нөөмөт бөлүмү шашылыш жардамды жана жолдомону уюштурду, журналга катталды.",
    "inform_ngo": "«Ишеним» кризистик борборуна телефон аркылуу маалымат берилди.",
    "refer_child_social_services": "Мыйзамдуу өкүлү жана психолог менен социалдык коргоо бөлүмүнө жолдомо берилди.",
}


@dataclass(frozen=True)
class _Span:
    """Writes made between `start` and `end` (real time) happened, in the story, at `moment`."""

    start: datetime
    end: datetime
    moment: datetime


class DemoBuilder:
    """Tell the demo's stories: each method is one thing an officer did, at a time in the past, through a service."""

    def __init__(self, *, users: dict[str, User], now: datetime | None = None) -> None:
        self.users = users
        self.now = (now or timezone.now()).replace(second=0, microsecond=0)
        self._spans: list[_Span] = []
        self._screenings_moved: list[tuple[Screening, timedelta]] = []
        self._reads: list[PersonalDataAccess] = []
        self._kbr_sequence = 4512
        self._rapport_pdfs: list[tuple[Rapport, str, str]] = []

    # -- time ------------------------------------------------------------------------------------------------------
    def ago(self, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
        """A moment before the demo is loaded."""
        return self.now - timedelta(days=days, hours=hours, minutes=minutes)

    @contextmanager
    def _at(self, moment: datetime) -> Iterator[None]:
        if moment >= self.now:
            raise ValueError(f"a demo event must lie in the past: {moment:%Y-%m-%d %H:%M}")
        start = timezone.now()
        yield
        self._spans.append(_Span(start=start, end=timezone.now(), moment=moment))

    def finish(self) -> None:
        """Move every write to its moment, then add the access-log rows of the story's reads."""
        self._move_stamps()
        for screening, delta in self._screenings_moved:
            Obligation.objects.filter(screening=screening).exclude(deadline_rule__in=INCIDENT_RULES).update(
                due_at=F("due_at") + delta
            )
            # a referral drafted by a routing rule is due with its item
            Referral.objects.filter(obligation__screening=screening, due_at__isnull=False).update(
                due_at=F("due_at") + delta
            )
        PersonalDataAccess.objects.bulk_create(self._reads)
        # The rapports' PDFs, asked for once every date is the story's (a PDF prints the dates of its rapport); the
        # Celery task renders them into MEDIA_ROOT when the demo's transaction commits.
        for rapport, language, by in self._rapport_pdfs:
            rapport.refresh_from_db()
            rapport_pdf_services.rapport_pdf_request(rapport=rapport, language=language, actor=self.users[by])
        self._spans, self._screenings_moved, self._reads, self._rapport_pdfs = [], [], [], []

    def _move_stamps(self) -> None:
        """One UPDATE per timestamp column: `CASE WHEN column BETWEEN start AND end THEN moment … ELSE column END`.

        Written as SQL rather than as ORM `When` objects, which take seconds to build for a few hundred spans.
        """
        columns = [(model, field) for model, fields in STAMPED_COLUMNS.items() for field in fields]
        columns += [(model.history.model, "history_date") for model in HISTORY_OF]  # type: ignore[attr-defined]
        adapt = connection.ops.adapt_datetimefield_value
        for first in range(0, len(self._spans), SPANS_PER_UPDATE):
            spans = self._spans[first : first + SPANS_PER_UPDATE]
            params = [adapt(value) for span in spans for value in (span.start, span.end, span.moment)]
            for model, field in columns:
                column = connection.ops.quote_name(model._meta.get_field(field).column)
                whens = " ".join(f"WHEN {column} BETWEEN %s AND %s THEN %s" for _ in spans)
                # Only a quoted column name of our own model goes into the text; every value is a parameter.
                moved = RawSQL(f"CASE {whens} ELSE {column} END", params, output_field=DateTimeField())  # noqa: S611
                model.objects.filter(**{f"{field}__range": (spans[0].start, spans[-1].end)}).update(**{field: moved})

    # -- cases -----------------------------------------------------------------------------------------------------
    def case(self, *, by: str, received: datetime, entered: datetime | None = None, **data: Any) -> Case:
        """Open a case (the report came in at `received`; the officer entered it a little later)."""
        entered = entered or min(received + timedelta(minutes=12), self.ago(minutes=2))
        if isinstance(data.get("assigned_officer"), str):
            data["assigned_officer"] = self.users[data["assigned_officer"]]
        with self._at(entered):
            return case_services.case_create(actor=self.users[by], data={"received_at": received, **data})

    def update(self, case: Case, *, by: str, at: datetime, reason: str = "", **data: Any) -> Case:
        """Edit a case as its form does: status, КБР registration, incident time, assigned officer; closing it goes
        through its own service, with a reason, as on the case page."""
        if isinstance(data.get("assigned_officer"), str):
            data["assigned_officer"] = self.users[data["assigned_officer"]]
        if data.get("status") == Case.Status.CLOSED:
            with self._at(at):
                closed = case_services.case_close(case=case, actor=self.users[by], reason=reason or CLOSING_REASON)
            case.__dict__.update({"status": closed.status, "version": closed.version})
            return case
        version = Case.objects.values_list("version", flat=True).get(pk=case.pk)
        with self._at(at):
            updated = case_services.case_update(case=case, actor=self.users[by], data=data, version=version)
        case.__dict__.update({name: getattr(updated, name) for name in (*data, "version")})
        return case

    def register(self, case: Case, *, by: str, at: datetime, number: str = "") -> Case:
        """Record the case's registration in the КБР: the number the register gave, the day of `at`."""
        if not number:
            self._kbr_sequence += 37
            region = KBR_REGION.get(case.unit.parent.code if case.unit.parent else "", "00")
            number = f"{region}-{timezone.localdate(at).year}-{self._kbr_sequence:06d}"
        day = timezone.localdate(at)
        return self.update(case, by=by, at=at, status=Case.Status.REGISTERED, kbr_number=number, kbr_registered_at=day)

    def grant(self, case: Case, *, to: str, by: str, at: datetime) -> None:
        with self._at(at):
            case_services.case_grant_access(case=case, grantee=self.users[to], actor=self.users[by])

    # -- people, suspects, sites, files ------------------------------------------------------------------------------
    def person(self, case: Case, *, by: str, at: datetime, **data: Any) -> Victim:
        """Add a person as the form does: the live duplicate check runs first, the person's page opens after."""
        self._read(
            case,
            by=by,
            at=at - timedelta(minutes=1),
            record=case,
            action=PersonalDataAccess.Action.DUPLICATE_CHECK,
            probe=data,
        )
        with self._at(at):
            victim = case_services.victim_create(case=case, actor=self.users[by], data=data)
        self._read(case, by=by, at=at + timedelta(seconds=20), record=victim, action=PersonalDataAccess.Action.VIEW)
        return victim

    def representative(self, victim: Victim, *, by: str, at: datetime, **data: Any) -> LegalRepresentative:
        with self._at(at):
            return case_services.legal_representative_add(victim=victim, actor=self.users[by], data=data)

    def suspect(self, case: Case, *, by: str, at: datetime, **data: Any) -> Suspect:
        with self._at(at):
            return case_services.suspect_add(case=case, actor=self.users[by], data=data)

    def site(self, case: Case, *, by: str, at: datetime, **data: Any) -> ExploitationSite:
        with self._at(at):
            return case_services.exploitation_site_add(case=case, actor=self.users[by], data=data)

    def attach(self, case: Case, *, by: str, at: datetime, name: str, content: bytes, kind: str) -> Attachment:
        upload = SimpleUploadedFile(name, content)
        with self._at(at):
            return case_services.attachment_add(
                case=case, actor=self.users[by], upload=upload, kind=kind, max_bytes=len(content) + 1
            )

    # -- the officer's work ------------------------------------------------------------------------------------------
    def steps(self, case: Case, *, by: str, at: datetime, codes: tuple[str, ...], every: timedelta) -> None:
        """Record the officer's steps one after another, `every` apart, starting at `at`."""
        for position, code in enumerate(codes):
            with self._at(at + position * every):
                case_services.officer_step_record(case=case, actor=self.users[by], code=code)

    def screen(
        self,
        case: Case,
        *,
        by: str,
        at: datetime,
        victim: Victim | None,
        facts: dict[str, Any],
        **flags: Any,
    ) -> Screening:
        """Record a screening as the wizard does: the act date and the age come from the case and the person."""
        self._read(case, by=by, at=at - timedelta(minutes=9), record=case, action=PersonalDataAccess.Action.EDIT_FORM)
        with self._at(at):
            screening = screening_services.screening_record(
                case=case,
                actor=self.users[by],
                victim=victim,
                facts={**_age_facts(case, victim), **facts},
                **flags,
            )
        self._screenings_moved.append((screening, at - screening.created_at))
        return screening

    def done(self, case: Case, *, code: str, by: str, at: datetime, note: str = "") -> Obligation:
        """Mark a due item of the case done, with a note of what was done (notices and referrals need one).

        An item whose routing rule drafted a referral is done by sending that referral, as on the case page.
        """
        obligation = Obligation.objects.get(case=case, code=code)
        draft = Referral.objects.filter(obligation=obligation, status=Referral.Status.DRAFT).first()
        if route_of(code).refer_to and draft is not None and not note:
            self.send(draft, by=by, at=at)
            return Obligation.objects.get(pk=obligation.pk)
        note = note or DONE_NOTES.get(code, "")
        with self._at(at):
            return screening_services.obligation_complete(obligation=obligation, actor=self.users[by], note=note)

    # -- the rapport (DOMAIN §7 step 7, §8) ----------------------------------------------------------------------------
    def rapport(
        self,
        case: Case,
        *,
        by: str,
        at: datetime,
        items: dict[str, str],
        unknown: tuple[str, ...] = (),
        submit_at: datetime | None = None,
        approve: tuple[str, datetime] | None = None,
        register: tuple[str, datetime] | None = None,
        number: str = "",
        pdf: tuple[str, ...] = (),
    ) -> Rapport:
        """Write the case's rapport as its page does: start it (prefilled from the case), write the items the story
        gives (the others as prefilled), mark `unknown` ones not known; then, as the story goes on, submit it, have the
        head approve it and register it in the КБР; ask for its PDFs in `pdf` languages (rendered at the end)."""
        with self._at(at):
            rapport = rapport_services.rapport_start(case=case, actor=self.users[by])
            data = {**items, **{f"{code}_unknown": True for code in unknown}, **{code: "" for code in unknown}}
            rapport = rapport_services.rapport_update(rapport=rapport, actor=self.users[by], data=data,
                                                      version=rapport.version)  # fmt: skip
        if submit_at is None:
            return rapport
        with self._at(submit_at):
            rapport = rapport_services.rapport_submit(rapport=rapport, actor=self.users[by])
        # The rapport is dated the day it was submitted, in the story.
        day = timezone.localdate(submit_at)
        Rapport.objects.filter(pk=rapport.pk).update(rapport_date=day)
        Rapport.history.filter(id=rapport.pk, rapport_date=rapport.rapport_date).update(rapport_date=day)
        rapport.rapport_date = day
        if approve is not None:
            head, moment = approve
            with self._at(moment):
                rapport = rapport_services.rapport_approve(rapport=rapport, actor=self.users[head])
        if register is not None:
            head, moment = register
            if not number:
                self._kbr_sequence += 37
                region = KBR_REGION.get(case.unit.parent.code if case.unit.parent else "", "00")
                number = f"{region}-{timezone.localdate(moment).year}-{self._kbr_sequence:06d}"
            with self._at(moment):
                rapport = rapport_services.rapport_register(
                    rapport=rapport, actor=self.users[head], kbr_number=number,
                    kbr_registered_at=timezone.localdate(moment),
                )  # fmt: skip
            case.__dict__.update(Case.objects.values("status", "version", "kbr_number").get(pk=case.pk))
        self._rapport_pdfs += [(rapport, language, by) for language in pdf]
        return rapport

    # -- referrals, consent, the 1899 desk -----------------------------------------------------------------------------
    @staticmethod
    def recipient(code: str) -> Recipient:
        """An organisation of the directory, by its code (trafficking_cms/demo/directory.py)."""
        return Recipient.objects.select_related("organisation").get(organisation__code=code)

    def routed(self, case: Case, code: str) -> Referral:
        """The referral a routing rule drafted for one of the case's due items."""
        return Referral.objects.select_related("recipient").get(case=case, rule=code)

    def send(self, referral: Referral, *, by: str, at: datetime) -> Referral:
        with self._at(at):
            return referral_services.referral_send(referral=referral, actor=self.users[by])

    def accept(self, referral: Referral, *, by: str, at: datetime) -> Referral:
        with self._at(at):
            return referral_services.referral_accept(referral=referral, actor=self.users[by])

    def decline(self, referral: Referral, *, by: str, at: datetime, reason: str) -> Referral:
        with self._at(at):
            return referral_services.referral_decline(referral=referral, actor=self.users[by], reason=reason)

    def service(
        self, referral: Referral, *, by: str, at: datetime, service: str = "", note: str = "", close: bool = False
    ) -> None:
        with self._at(at):
            referral_services.referral_record_service(
                referral=referral, actor=self.users[by], service=service, note=note, close=close,
                given_on=timezone.localdate(at),
            )  # fmt: skip

    def withdraw(self, referral: Referral, *, by: str, at: datetime, reason: str) -> Referral:
        with self._at(at):
            return referral_services.referral_withdraw(referral=referral, actor=self.users[by], reason=reason)

    def consent(
        self, victim: Victim, recipient: Recipient, *, by: str, at: datetime, given=(), refused=(), **who: Any
    ) -> list[Consent]:
        """Record what the person (or who decides for them) agreed to share with a recipient, and what not."""
        decisions = {**dict.fromkeys(given, "given"), **dict.fromkeys(refused, "refused")}
        who.setdefault("given_by", Consent.GivenBy.VICTIM)
        who.setdefault("informed_how", Consent.Informed.ORALLY)
        with self._at(at):
            return referral_services.consent_record(
                victim=victim, recipient=recipient, decisions=decisions, actor=self.users[by], **who
            )

    def withdraw_consent(self, consent: Consent, *, by: str, at: datetime, note: str) -> Consent:
        with self._at(at):
            return referral_services.consent_withdraw(consent=consent, actor=self.users[by], note=note)

    def decide_intl(self, case: Case, *, by: str, at: datetime, inform: bool, note: str) -> Referral | None:
        """The head's decision on informing International Cooperation about a foreign victim."""
        obligation = Obligation.objects.get(case=case, code="intl_cooperation_decision")
        with self._at(at):
            return referral_services.intl_cooperation_decide(
                obligation=obligation, actor=self.users[by], inform=inform, note=note
            )

    def answer(self, referral: Referral, *, at: datetime, accept: bool = True, service: str = "", close=False) -> None:
        """A state body without staff in the system answers through its own system (as through the API)."""
        organisation = referral.recipient.organisation
        with self._at(at):
            if accept:
                referral = referral_services.referral_accept(referral=referral, actor=None, organisation=organisation)
            if service or close:
                referral_services.referral_record_service(
                    referral=referral, actor=None, service=service, close=close, organisation=organisation,
                    given_on=timezone.localdate(at),
                )  # fmt: skip

    def close_call(self, call: HotlineCall, *, by: str, at: datetime) -> HotlineCall:
        with self._at(at):
            return referral_services.hotline_call_close(call=call, actor=self.users[by])

    def call(self, *, by: str, at: datetime, district: str, **data: Any) -> HotlineCall:
        """A call to the 1899 line, passed to a district's duty unit."""
        unit = self.users[by].unit.__class__.objects.get(code=district)
        with self._at(at):
            return referral_services.hotline_call_record(
                operator=self.users[by], data={"received_at": at, "district": unit, **data}
            )

    def read(self, case: Case, *, by: str, at: datetime, record: Model | None = None) -> None:
        """Someone opened a page with personal data (the case's circumstances, a person): one access-log row."""
        self._read(case, by=by, at=at, record=record or case, action=PersonalDataAccess.Action.VIEW)

    def _read(
        self, case: Case, *, by: str, at: datetime, record: Model, action: str, probe: dict | None = None
    ) -> None:
        if at >= self.now:
            raise ValueError(f"a demo read must lie in the past: {at:%Y-%m-%d %H:%M}")
        user = self.users[by]
        searched = probe_of(
            names=(probe.get("last_name", ""), probe.get("first_name", ""))
            if probe.get("last_name") or probe.get("first_name")
            else (probe.get("last_name_latin", ""), probe.get("first_name_latin", "")),
            date_of_birth=probe.get("date_of_birth"),
            phone="",  # the demo's checks search names and dates of birth only: the browser tests look numbers up
            document_number="",
        ) if probe is not None else None  # fmt: skip
        self._reads.append(
            PersonalDataAccess(
                at=at,
                user=user,
                unit_id=user.unit_id,
                case=case,
                action=action,
                purpose=case_services.access_purpose(action=action, user=user, api_key=None),
                record_type=record._meta.model_name,
                record_id=str(record.pk),
                ip_address=f"10.{20 + (user.unit_id or 0) % 200}.{1 + user.pk % 250}.{10 + user.pk % 200}",
                user_agent=PHONE_BROWSER if user.pk % 3 == 0 else OFFICE_BROWSER,
                query_kinds=",".join(searched.kinds) if searched else "",
                name_hash=searched.name_hash if searched else "",
                phone_hash=searched.phone_hash if searched else "",
                document_hash=searched.document_hash if searched else "",
            )
        )


def _age_facts(case: Case, victim: Victim | None) -> dict[str, Any]:
    """The act date and what the wizard's first step takes from the person: date of birth, age, or "appears minor"."""
    facts: dict[str, Any] = {"act_date": case.act_date.isoformat()}
    if victim is None:
        return facts
    if victim.date_of_birth:
        facts["victim_date_of_birth"] = victim.date_of_birth.isoformat()
    elif victim.approximate_age is not None:
        facts["victim_age"] = victim.approximate_age
    if victim.appears_minor:
        facts["appears_minor"] = True
    return facts


def born(years: int, days: int = 0, *, before: date) -> date:
    """A date of birth: `years` whole years and `days` days before `before`."""
    try:
        anniversary = before.replace(year=before.year - years)
    except ValueError:  # 29 February
        anniversary = before.replace(year=before.year - years, day=28)
    return anniversary - timedelta(days=days)
