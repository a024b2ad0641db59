"""Every form of the project, field by field, with hostile values: never a 5xx, a clear error where the value is
refused, and nothing hostile stored.

Each URL of the project is either walked here (FORM_PAGES), tested with hostile bodies elsewhere, or takes no input
(NO_INPUT): a URL added later fails `test_every_url_is_walked_or_said_to_take_no_input` until it is placed. The fields
of each form are read from the form itself, so a field added later is walked without a change here. Run it on
PostgreSQL too: NUL bytes and year-1 times fail only there.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from accounts.validators import HIDDEN_CHARACTERS
from cases import services
from cases.filters import CaseFilter
from cases.forms import (
    AttachmentForm,
    CaseForm,
    ExploitationSiteForm,
    LegalRepresentativeForm,
    OfficerStepForm,
    ReasonForm,
    SuspectForm,
    VictimForm,
)
from cases.models import Attachment, Case, ExploitationSite, LegalRepresentative, OfficerStep, Suspect, Victim
from referrals import selectors as referral_selectors
from referrals import services as referral_services
from referrals.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    DirectoryFilterForm,
    HotlineCallForm,
    ReferralFilterForm,
    ReferralForm,
    RightsSheetForm,
    ServiceUpdateForm,
)
from referrals.forms import ReasonForm as ReferralReasonForm
from referrals.models import Consent, HotlineCall, Recipient, Referral, RightsSheet, ServiceUpdate
from referrals.triage_forms import AssignForm, IntlDecisionForm
from referrals.triage_selectors import due_rows
from reports import services as report_services
from reports.forms import RapportForm, RapportRegisterForm, RapportReturnForm, RapportStartForm
from reports.forms_exports import HtcdsExportForm
from reports.models import RAPPORT_ITEMS, Rapport
from reports.stats import statistics_units_for
from reports.stats_forms import StatisticsFilterForm
from screening.forms import ObligationDoneForm, ScreeningForm
from screening.models import Screening
from screening.services import screening_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HIDDEN = {"NUL": "Асан\x00ова", "RLO": "Асан\u202eова", "LRI": "Асан\u2066ова"}
HUGE = {"huge": "ж" * 20_000}  # longer than any field's max_length; a body over the upload limit is tested below
NUMBERISH = {"40_digits": "9" * 40}
DATES = {"year_1": "0001-01-01", "1899": "1899-12-31", "year_9999": "9999-12-31"}
DATETIMES = {"year_1": "0001-01-01T00:00", "1899": "1899-12-31T23:59", "year_9999": "9999-12-31T23:59"}
PASSWORD = "correct-horse-battery-staple"
STORED = [
    Case,
    Victim,
    LegalRepresentative,
    Suspect,
    ExploitationSite,
    Attachment,
    OfficerStep,
    Screening,
    Referral,
    ServiceUpdate,
    Consent,
    HotlineCall,
    RightsSheet,
    Rapport,
]


# ---------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class FormPage:
    """A URL that takes a form: how to reach it, the form it reads, and data it accepts."""

    url: Callable[[dict], str]
    form: Callable[[dict], forms.BaseForm]
    valid: Callable[[dict], dict]
    stores: bool = True  # a valid post stores something: refused values must show an error
    method: str = "post"
    signed_in: bool = True
    as_user: Callable[[dict], object] | None = None  # another user than the case's owner (the recipient's staff)


def _local_minutes(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _as_posted(form: forms.BaseForm) -> dict:
    """What a browser posts back for a form opened and saved untouched."""
    data: dict = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = field.widget.format_value(value) or ""
    return data


def _new_case(world: dict) -> dict:
    now = timezone.now()
    return {
        "source": Case.Source.CITIZEN,
        "received_at": _local_minutes(now - timedelta(hours=1)),
        "incident_at": _local_minutes(now - timedelta(days=3)),
        "incident_place": "Бишкек, Дордой базары",
        "summary": "Кыз Москвага жумушка убада менен алынып кеткен.",
        "country_origin": "on",
        "assigned_officer": "",
    }


def _new_person(world: dict) -> dict:
    return {
        "last_name": "Токтогулова",
        "first_name": "Бермет",
        "patronymic": "",
        "last_name_latin": "Toktogulova",
        "first_name_latin": "Bermet",
        "sex": "female",
        "date_of_birth": "1990-05-05",
        "approximate_age": "",
        "citizenship": "KG",
        "residence_address": "Бишкек",
        "phone": "+996 700 11 22 33",
        "identity_established_by": "not_yet",
        "confirm_not_duplicate": "on",
    }


def _fresh(instance: models.Model) -> models.Model:
    return type(instance).objects.get(pk=instance.pk)


def _wizard(world: dict) -> dict:
    return {
        "act_date": world["case"].act_date.isoformat(),
        "victim": str(world["victim"].pk),
        "victim_age": "",
        "acts": ["recruitment"],
        "purposes": ["sexual_exploitation"],
        "sexual_violence": "no",
        "suspect_sane": "",
        "notes": "Кабыл алынды.",
    }


def _step(world: dict) -> dict:
    return {"code": OfficerStep.Code.INTERVIEW, "note": "Мыйзамдуу өкүлү менен."}


def _once(world: dict, key: str, make):
    """A record of the world made on first use (pages that correct or remove one)."""
    if key not in world:
        world[key] = make(world)
    return _fresh(world[key])


def _suspect(world: dict) -> Suspect:
    return _once(world, "suspect", lambda w: services.suspect_add(case=w["case"], actor=w["owner"], data={"age": 40}))


def _site(world: dict) -> ExploitationSite:
    return _once(
        world,
        "site",
        lambda w: services.exploitation_site_add(case=w["case"], actor=w["owner"], data={"location": "X"}),
    )


def _representative(world: dict) -> LegalRepresentative:
    data = {"full_name": "Асанов Бакыт", "relation": "father"}
    return _once(
        world,
        "representative",
        lambda w: services.legal_representative_add(victim=w["victim"], actor=w["owner"], data=data),
    )


def _attachment(world: dict) -> Attachment:
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x")
    return _once(
        world,
        "attachment",
        lambda w: services.attachment_add(
            case=w["case"], actor=w["owner"], upload=upload, kind="document", max_bytes=10**6
        ),
    )


def _closed_case(world: dict) -> Case:
    def close(w):
        case = services.case_create(actor=w["owner"], data={"source": Case.Source.CITIZEN})
        return services.case_close(case=case, actor=w["owner"], reason="Кылмыш белгилери жок.")

    return _once(world, "closed_case", close)


REASON = "Эки жолу киргизилген."


def _ngo_user(world: dict):
    """A worker of an NGO in the directory, with a referral of the world's case sent to the NGO (made once)."""
    if "ngo_user" not in world:
        organisation = Organisation.objects.create(name="«Сезим» борбору", kind=Organisation.Kind.NGO)
        recipient = Recipient.objects.create(
            kind=Recipient.Kind.NGO, organisation=organisation, agreement_categories=["case_facts"]
        )
        referral = referral_services.referral_create(case=world["case"], recipient=recipient, actor=world["owner"])
        world["referral"] = referral_services.referral_send(referral=referral, actor=world["owner"])
        world["ngo_user"] = UserFactory(roles=[Role.NGO_STAFF], organisation=organisation)
    return world["ngo_user"]


def _accepted_referral(world: dict):
    _ngo_user(world)
    referral = _fresh(world["referral"])
    if referral.status == "sent":
        referral = referral_services.referral_accept(referral=referral, actor=world["ngo_user"])
    return referral


def _notice_due(world: dict):
    """A due item of the world's case that needs a note (the notice to the КИБ), made by a screening once."""
    if "notice" not in world:
        facts = {"act_date": world["case"].act_date.isoformat(), "victim_age": 15, "acts": ["recruitment"]}
        facts["purposes"] = ["sexual_exploitation"]
        screening = screening_record(case=world["case"], actor=world["owner"], facts=facts, indicators=["held"])
        world["notice"] = screening.obligations.get(code="notify_kib")
    return world["notice"]


def _duty_officer(world: dict):
    """The duty officer of the world's unit, who gives items to people from the triage queue."""
    return _once(world, "duty_officer", lambda w: UserFactory(unit=w["owner"].unit, roles=[Role.DUTY_OFFICER]))


def _kib_officer(world: dict):
    return _once(world, "kib_officer", lambda w: UserFactory(unit=w["owner"].unit, roles=[Role.KIB_OFFICER]))


def _head(world: dict):
    return _once(world, "head", lambda w: UserFactory(unit=w["owner"].unit, roles=[Role.SUPERVISOR]))


def _intl_decision(world: dict):
    """The head's decision on International Cooperation, due after a foreign adult is screened (made once)."""

    def screen_a_foreigner(w):
        foreigner = services.victim_create(case=w["case"], actor=w["owner"], data={"citizenship": "UZ"})
        facts = {"act_date": w["case"].act_date.isoformat(), "victim_age": 30, "acts": ["recruitment"]}
        screening = screening_record(case=w["case"], actor=w["owner"], victim=foreigner, facts=facts)
        return screening.obligations.get(code="intl_cooperation_decision")

    return _once(world, "intl_decision", screen_a_foreigner)


def _assign_form(world: dict) -> AssignForm:
    _kib_officer(world)
    row = due_rows(user=_duty_officer(world), items=[_fresh(_notice_due(world))], now=timezone.now())[0]
    return AssignForm(candidates=row.candidates)


def _directory(world: dict) -> Recipient:
    """An organisation of the directory serving the whole country (made once): the police refer to it."""
    if "directory" not in world:
        organisation = Organisation.objects.create(
            name="«Ишеним» кризистик борбору", kind=Organisation.Kind.CRISIS_CENTRE
        )
        world["directory"] = Recipient.objects.create(
            kind=Recipient.Kind.CRISIS_CENTRE, organisation=organisation, agreement_categories=["identity", "health"]
        )
    return world["directory"]


def _draft(world: dict) -> Referral:
    """A draft referral of the world's case; a new one once the last was withdrawn by a valid post."""
    if "draft" not in world or _fresh(world["draft"]).status != Referral.Status.DRAFT:
        world["draft"] = referral_services.referral_create(
            case=world["case"], recipient=_directory(world), actor=world["owner"], victim=world["victim"]
        )
    return world["draft"]


def _withdrawn(world: dict) -> Referral:
    """A withdrawn referral of the world's case; withdrawn again once a valid post reopened it (as a draft)."""
    referral = world.get("withdrawn") or _draft(world)
    if _fresh(referral).status != Referral.Status.WITHDRAWN:
        referral = referral_services.referral_withdraw(referral=referral, actor=world["owner"], reason=REASON)
    world["withdrawn"] = referral
    if world.get("draft") == referral:
        del world["draft"]
    return referral


def _consent_form(world: dict) -> ConsentForm:
    return ConsentForm(victim=world["victim"], directory=referral_selectors.consent_directory(), representatives=[])


def _consent_data(world: dict) -> dict:
    """The world's person is a child with no legal representative: the child-protection body decides."""
    return {
        "recipient": str(_directory(world).pk),
        "given_by": "child_protection_body",
        "informed_how": "orally",
        "category_identity": "given",
        "category_health": "refused",
    }


def _standing_consent(world: dict) -> Consent:
    """A standing consent of the world's person; recorded again once a valid post withdrew it."""
    if "consent" not in world or _fresh(world["consent"]).withdrawn_at is not None:
        world["consent"] = referral_services.consent_record(
            victim=world["victim"], recipient=_directory(world), decisions={"identity": "given"},
            given_by="child_protection_body", informed_how="orally", actor=world["owner"],
        )[0]  # fmt: skip
    return world["consent"]


def _desk_operator(world: dict):
    """An operator of the 1899 desk in the world's district."""
    if "operator" not in world:
        world["operator"] = UserFactory(unit=world["owner"].unit, roles=[Role.HOTLINE_OPERATOR])
    return world["operator"]


def _call(world: dict) -> dict:
    return {
        "received_at": _local_minutes(timezone.now() - timedelta(minutes=10)),
        "caller": "relative",
        "caller_name": "Бекова Жылдыз",
        "caller_phone": "+996 555 12 34 56",
        "callback_consent": "on",
        "summary": "Эжеси Казакстанга жумушка кетип, байланышпай калды.",
        "place": "Лебединовка",
        "urgency": "urgent",
        "district": str(world["owner"].unit_id),
    }


# -- the rapport (reports/views.py) ------------------------------------------------------------------------------------
def _draft_rapport(world: dict) -> Rapport:
    """The draft rapport of the world's case (started once; saving it untouched keeps it a draft)."""
    return _once(world, "rapport", lambda w: report_services.rapport_start(case=w["case"], actor=w["owner"]))


def _rapport_of_new_case(world: dict, *, approve: bool) -> Rapport:
    """A complete rapport of a new, screened case of the world's unit, submitted to its head (and approved)."""
    head = _head(world)
    case = services.case_create(actor=world["owner"], data={"source": Case.Source.CITIZEN})
    facts = {"act_date": case.act_date.isoformat(), "victim_age": 30, "acts": ["recruitment"]}
    screening_record(
        case=case, actor=world["owner"], facts={**facts, "means": ["deception"], "purposes": ["forced_labour"]}
    )
    rapport = report_services.rapport_start(case=case, actor=world["owner"])
    data = {code: "Белгисиз." for code in RAPPORT_ITEMS} | {"addressee": head}
    rapport = report_services.rapport_update(rapport=rapport, actor=world["owner"], data=data, version=rapport.version)
    rapport = report_services.rapport_submit(rapport=rapport, actor=world["owner"])
    return report_services.rapport_approve(rapport=rapport, actor=head) if approve else rapport


def _submitted_rapport(world: dict) -> Rapport:
    """A submitted rapport; submitted again once a valid post returned it to draft."""
    if "submitted_rapport" not in world:
        world["submitted_rapport"] = _rapport_of_new_case(world, approve=False)
    rapport = _fresh(world["submitted_rapport"])
    if rapport.status == Rapport.Status.DRAFT:
        rapport = report_services.rapport_submit(rapport=rapport, actor=world["owner"])
    return rapport


def _approved_rapport(world: dict) -> Rapport:
    """An approved rapport; one of a new case once a valid post registered it."""
    if "approved_rapport" not in world or _fresh(world["approved_rapport"]).status != Rapport.Status.APPROVED:
        world["approved_rapport"] = _rapport_of_new_case(world, approve=True)
    return _fresh(world["approved_rapport"])


FORM_PAGES: dict[str, FormPage] = {
    "referrals:item_assign": FormPage(
        url=lambda w: reverse("referrals:item_assign", args=[_notice_due(w).pk]),
        form=_assign_form,
        valid=lambda w: {"assignee": _kib_officer(w).pk, "back": "triage"},
        as_user=_duty_officer,
    ),
    "referrals:item_done": FormPage(
        url=lambda w: reverse("referrals:item_done", args=[_notice_due(w).pk]),
        form=lambda w: ObligationDoneForm(),
        valid=lambda w: {"note": "КИБ: Осмонов М., № 12/345", "back": "my"},
    ),
    "referrals:item_intl_decision": FormPage(
        url=lambda w: reverse("referrals:item_intl_decision", args=[_intl_decision(w).pk]),
        form=lambda w: IntlDecisionForm(),
        valid=lambda w: {"inform": "no", "note": "Кыргызстандын жараны эмес деп аныкталды.", "back": "my"},
        as_user=_head,
    ),
    "referrals:new": FormPage(
        url=lambda w: (_directory(w), reverse("referrals:new", args=[w["case"].pk]))[1],
        form=lambda w: ReferralForm(
            case=w["case"],
            directory=referral_selectors.organisation_directory_for(case=w["case"]),
            victims=[w["victim"]],
        ),
        valid=lambda w: {
            "recipient": str(_directory(w).pk),
            "victim": str(w["victim"].pk),
            "services": ["shelter"],
            "message": "Баш калка керек.",
            "health_needs": "",
            "draft": "1",
        },
    ),
    "referrals:withdraw": FormPage(
        url=lambda w: reverse("referrals:withdraw", args=[_draft(w).pk]),
        form=lambda w: ReferralReasonForm(),
        valid=lambda w: {"reason": REASON},
    ),
    "referrals:reopen": FormPage(
        url=lambda w: reverse("referrals:reopen", args=[_withdrawn(w).pk]),
        form=lambda w: ReferralReasonForm(),
        valid=lambda w: {"reason": REASON},
    ),
    "referrals:consent_record": FormPage(
        url=lambda w: reverse("referrals:consent_record", args=[w["victim"].pk]),
        form=_consent_form,
        valid=_consent_data,
    ),
    "referrals:consent_withdraw": FormPage(
        url=lambda w: reverse("referrals:consent_withdraw", args=[_standing_consent(w).pk]),
        form=lambda w: ConsentWithdrawForm(),
        valid=lambda w: {"note": "Телефон аркылуу айтты."},
    ),
    "referrals:list": FormPage(
        url=lambda w: reverse("referrals:list"),
        form=lambda w: ReferralFilterForm(recipients=Recipient.objects.all()),
        valid=lambda w: {"status": "draft", "recipient": str(_draft(w).recipient_id), "overdue": "on"},
        stores=False,
        method="get",
    ),
    "referrals:hotline_call_new": FormPage(
        url=lambda w: reverse("referrals:hotline_call_new"),
        form=lambda w: HotlineCallForm(),
        valid=_call,
        as_user=_desk_operator,
    ),
    "referrals:directory": FormPage(
        url=lambda w: reverse("referrals:directory"),
        form=lambda w: DirectoryFilterForm(),
        valid=lambda w: {"kind": "ngo", "region": "", "inactive": "on"},
        stores=False,
        method="get",
    ),
    "referrals:rights_sheet_create": FormPage(
        url=lambda w: reverse("referrals:rights_sheet_create", args=[w["case"].pk]),
        form=lambda w: RightsSheetForm(),
        valid=lambda w: {"language": "ru"},
    ),
    "referrals:inbox_decline": FormPage(
        url=lambda w: (_ngo_user(w), reverse("referrals:inbox_decline", args=[w["referral"].pk]))[1],
        form=lambda w: ReferralReasonForm(),
        valid=lambda w: {"reason": "Орун жок."},
        stores=False,  # a valid reason declines it once; the hostile reasons are refused by the same form
        as_user=_ngo_user,
    ),
    "referrals:inbox_service": FormPage(
        url=lambda w: reverse("referrals:inbox_service", args=[_accepted_referral(w).pk]),
        form=lambda w: ServiceUpdateForm(),
        valid=lambda w: {"service": "shelter", "given_on": timezone.localdate().isoformat(), "note": "Баш калка."},
        as_user=_ngo_user,
    ),
    "reports:statistics": FormPage(
        url=lambda w: reverse("reports:statistics"),
        form=lambda w: StatisticsFilterForm(units=list(statistics_units_for(user=_head(w)))),
        valid=lambda w: {"date_from": "2026-01-01", "date_to": "", "unit": str(w["owner"].unit_id)},
        stores=False,
        method="get",
        as_user=_head,
    ),
    "cases:list": FormPage(
        url=lambda w: reverse("cases:list"),
        form=lambda w: CaseFilter({}, queryset=Case.objects.all(), user=w["owner"], units=None).form,
        valid=lambda w: {"q": "Асанова"},
        stores=False,
        method="get",
    ),
    # Exports (issue 11): the case list's filters, and the anonymised export's form; a refused value answers the
    # exports page with its errors (400), never a file of more than was asked for.
    "reports:cases_csv": FormPage(
        url=lambda w: reverse("reports:cases_csv"),
        form=lambda w: CaseFilter({}, queryset=Case.objects.all(), user=w["owner"], units=None).form,
        valid=lambda w: {"q": "Асанова", "received_from": "2025-01-01"},
        stores=False,
        method="get",
    ),
    "reports:cases_xlsx": FormPage(
        url=lambda w: reverse("reports:cases_xlsx"),
        form=lambda w: CaseFilter({}, queryset=Case.objects.all(), user=w["owner"], units=None).form,
        valid=lambda w: {"q": "Асанова", "received_from": "2025-01-01"},
        stores=False,
        method="get",
    ),
    "reports:htcds_export": FormPage(
        url=lambda w: reverse("reports:htcds_export"),
        form=lambda w: HtcdsExportForm(user=_head(w)),
        valid=lambda w: {"year_from": "2025", "year_to": "2030", "format": "json"},
        stores=False,
        method="get",
        as_user=_head,
    ),
    "cases:create": FormPage(
        url=lambda w: reverse("cases:create"), form=lambda w: CaseForm(unit=w["owner"].unit), valid=_new_case
    ),
    "cases:edit": FormPage(
        url=lambda w: reverse("cases:edit", args=[w["case"].pk]),
        form=lambda w: CaseForm(instance=_fresh(w["case"])),
        valid=lambda w: _as_posted(CaseForm(instance=_fresh(w["case"]))),
    ),
    "cases:victim_create": FormPage(
        url=lambda w: reverse("cases:victim_create", args=[w["case"].pk]),
        form=lambda w: VictimForm(case=w["case"]),
        valid=_new_person,
    ),
    "cases:victim_duplicates": FormPage(
        url=lambda w: reverse("cases:victim_duplicates", args=[w["case"].pk]),
        form=lambda w: VictimForm(case=w["case"]),
        valid=_new_person,
        stores=False,
    ),
    "cases:victim_edit": FormPage(
        url=lambda w: reverse("cases:victim_edit", args=[w["victim"].pk]),
        form=lambda w: VictimForm(instance=_fresh(w["victim"]), case=w["case"]),
        valid=lambda w: _as_posted(VictimForm(instance=_fresh(w["victim"]), case=w["case"])),
    ),
    "cases:representative_add": FormPage(
        url=lambda w: reverse("cases:representative_add", args=[w["victim"].pk]),
        form=lambda w: LegalRepresentativeForm(),
        valid=lambda w: {"full_name": "Асанов Бакыт", "relation": "father", "phone": "0700 123 456", "address": ""},
    ),
    "cases:suspect_add": FormPage(
        url=lambda w: reverse("cases:suspect_add", args=[w["case"].pk]),
        form=lambda w: SuspectForm(),
        valid=lambda w: {"full_name": "Белгисиз", "nickname": "Бача", "sex": "male", "armed": "unknown", "sane": "yes"},
    ),
    "cases:site_add": FormPage(
        url=lambda w: reverse("cases:site_add", args=[w["case"].pk]),
        form=lambda w: ExploitationSiteForm(),
        valid=lambda w: {"location": "Москва, Люблино", "description": "Кийим тигүүчү цех", "other_victims": "yes"},
    ),
    "cases:attachment_upload": FormPage(
        url=lambda w: reverse("cases:attachment_upload", args=[w["case"].pk]),
        form=lambda w: AttachmentForm(),
        valid=lambda w: {"kind": "document", "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x")},
    ),
    "cases:step_record": FormPage(
        url=lambda w: reverse("cases:step_record", args=[w["case"].pk]), form=lambda w: OfficerStepForm(), valid=_step
    ),
    "cases:close": FormPage(
        url=lambda w: reverse("cases:close", args=[w["case"].pk]),
        form=lambda w: ReasonForm(),
        valid=lambda w: {"reason": REASON},
    ),
    "cases:reopen": FormPage(
        url=lambda w: reverse("cases:reopen", args=[_closed_case(w).pk]),
        form=lambda w: ReasonForm(),
        valid=lambda w: {"reason": REASON},
    ),
    "cases:suspect_edit": FormPage(
        url=lambda w: reverse("cases:suspect_edit", args=[_suspect(w).pk]),
        form=lambda w: SuspectForm(instance=_suspect(w)),
        valid=lambda w: _as_posted(SuspectForm(instance=_suspect(w))),
    ),
    "cases:suspect_remove": FormPage(
        url=lambda w: reverse("cases:suspect_remove", args=[_suspect(w).pk]),
        form=lambda w: ReasonForm(versioned=True),
        valid=lambda w: {"reason": REASON, "version": _suspect(w).version},
    ),
    "cases:site_edit": FormPage(
        url=lambda w: reverse("cases:site_edit", args=[_site(w).pk]),
        form=lambda w: ExploitationSiteForm(instance=_site(w)),
        valid=lambda w: _as_posted(ExploitationSiteForm(instance=_site(w))),
    ),
    "cases:site_remove": FormPage(
        url=lambda w: reverse("cases:site_remove", args=[_site(w).pk]),
        form=lambda w: ReasonForm(versioned=True),
        valid=lambda w: {"reason": REASON, "version": _site(w).version},
    ),
    "cases:representative_edit": FormPage(
        url=lambda w: reverse("cases:representative_edit", args=[_representative(w).pk]),
        form=lambda w: LegalRepresentativeForm(instance=_representative(w)),
        valid=lambda w: _as_posted(LegalRepresentativeForm(instance=_representative(w))),
    ),
    "cases:representative_remove": FormPage(
        url=lambda w: reverse("cases:representative_remove", args=[_representative(w).pk]),
        form=lambda w: ReasonForm(versioned=True),
        valid=lambda w: {"reason": REASON, "version": _representative(w).version},
    ),
    "cases:attachment_remove": FormPage(
        url=lambda w: reverse("cases:attachment_remove", args=[_attachment(w).pk]),
        form=lambda w: ReasonForm(),
        valid=lambda w: {"reason": REASON},
    ),
    "screening:obligation_complete": FormPage(
        url=lambda w: reverse("screening:obligation_complete", args=[_notice_due(w).pk]),
        form=lambda w: ObligationDoneForm(),
        valid=lambda w: {"note": "КИБ: Осмонов М., № 12/345"},
    ),
    "screening:wizard": FormPage(
        url=lambda w: reverse("screening:wizard", args=[w["case"].pk]),
        form=lambda w: ScreeningForm(case=w["case"]),
        valid=_wizard,
    ),
    "screening:preview": FormPage(
        url=lambda w: reverse("screening:preview", args=[w["case"].pk]),
        form=lambda w: ScreeningForm(case=w["case"]),
        valid=_wizard,
        stores=False,
    ),
    "reports:rapport_start": FormPage(
        url=lambda w: reverse("reports:rapport_start", args=[w["case"].pk]),
        form=lambda w: RapportStartForm(),
        valid=lambda w: {"language": "ru"},
    ),
    "reports:rapport_save": FormPage(
        url=lambda w: reverse("reports:rapport_save", args=[_draft_rapport(w).case_id]),
        form=lambda w: RapportForm(case=w["case"], rapport=_draft_rapport(w)),
        valid=lambda w: _as_posted(RapportForm(case=w["case"], rapport=_draft_rapport(w))),
    ),
    "reports:rapport_return": FormPage(
        url=lambda w: reverse("reports:rapport_return", args=[_submitted_rapport(w).case_id]),
        form=lambda w: RapportReturnForm(),
        valid=lambda w: {"reason": REASON},
        as_user=_head,
    ),
    "reports:rapport_register": FormPage(
        url=lambda w: reverse("reports:rapport_register", args=[_approved_rapport(w).case_id]),
        form=lambda w: RapportRegisterForm(),
        valid=lambda w: {"kbr_number": "01-2026-000123", "kbr_registered_at": timezone.localdate().isoformat()},
        as_user=_head,
    ),
    "login": FormPage(
        url=lambda w: reverse("login"),
        form=lambda w: AuthenticationForm(),
        valid=lambda w: {"username": w["owner"].username, "password": PASSWORD},
        stores=False,
        signed_in=False,
    ),
}
# The language switch is Django's view, without a form class: its two fields.
LANGUAGE_SWITCH_FIELDS = {"language": "ru", "next": "/cases/"}
TESTED_ELSEWHERE = {
    "set_language": "test_the_language_switch_survives_hostile_values, below",
    # The code steps need a session that owes the code (OTP_REQUIRED on, which the walk here runs without).
    "otp_verify": "tests/accounts/test_otp.py (NUL, bidi, 10k-character codes and hostile `next`)",
    "otp_enrol": "tests/accounts/test_otp.py (NUL, bidi, 10k-character codes and hostile `next`)",
    "api-qualify": "tests/test_api.py and tests/screening/test_api.py (JSON bodies)",
    "api-referrals": "GET filters: tests/referrals/test_api.py (hostile status, updated_since, external_ref, pages)",
    "api-referral": "PATCH bodies: tests/referrals/test_api_input.py; malformed ids: tests/referrals/test_api.py",
    "api-referral-accept": "JSON bodies: tests/referrals/test_api_input.py",
    "api-referral-decline": "JSON bodies: tests/referrals/test_api_input.py",
    "api-referral-updates": "JSON bodies: tests/referrals/test_api_input.py",
    "cases:access_log": "a GET search: tests/cases/test_access_log_page.py (hostile search values)",
    "cases:case_access_log": "a GET page number: tests/cases/test_case_access_log.py (hostile page, 404 per role)",
    "api-webhook-endpoints": "JSON bodies: tests/referrals/test_webhooks_api.py (NUL, bidi, huge, malformed)",
    "api-webhook-endpoint": "JSON bodies: tests/referrals/test_webhooks_api.py (NUL, bidi, huge, malformed)",
    "reports:rapport_pdf_create": "the language field and the ids: tests/reports/pdf/test_rapport_pdf_views.py",
    "screening:result_pdf": "GET only: hostile ids and parameters, hostile text: tests/screening/test_printable.py",
}
NO_INPUT = {
    "home": "a redirect",
    "logout": "a POST without fields",
    "health": "GET only",
    "notifications": "GET only",
    "notifications_mark_read": "a POST without fields",
    "notification_mark_read": "a POST without fields",
    "cases:detail": "GET only",
    "cases:victim_detail": "GET only",
    "cases:attachment_download": "GET only",
    "cases:step_undo": "a POST without fields",
    "screening:detail": "GET only",
    "screening:obligation_undo": "a POST without fields",
    "api-schema": "GET only",
    "api-docs": "GET only",
    "referrals:inbox": "a GET filter by a status code: tests/referrals/test_inbox.py",
    "referrals:inbox_detail": "GET only",
    "referrals:inbox_accept": "a POST without fields",
    "referrals:hotline_calls": "GET only",
    "referrals:triage": "GET only",
    "referrals:my_items": "a GET tab code, read leniently (anything else lists all)",
    "referrals:item_claim": "a POST with only the list to go back to, read leniently (anything else is my due items)",
    "referrals:send": "a POST without fields",
    "referrals:dashboard": "GET only",
    "referrals:hotline_call_detail": "GET only",
    "referrals:hotline_call_close": "a POST without fields",
    "referrals:rights_sheet_status": "GET only",
    "referrals:rights_sheet_download": "GET only",
    "api-webhook-endpoint-test": "a POST without fields",
    "api-webhook-endpoint-rotate": "a POST without fields",
    "api-webhook-endpoint-deliveries": "GET only (a page number: DRF answers 404 JSON for a bad one)",
    "referrals:integration": "GET only (a page number, read leniently)",
    "referrals:webhook_endpoint_enable": "a POST without fields",
    "referrals:webhook_endpoint_test": "a POST without fields",
    "referrals:webhook_delivery_retry": "a POST without fields",
    "reports:exports": "GET only",
    "reports:rapport_pdf_status": "GET only",
    "reports:rapport_pdf_download": "GET only",
    "reports:rapport_mark_printed": "a POST without fields",
    "reports:rapport": "GET only",
    "reports:rapport_approve": "a POST without fields",
    "reports:print_queue": "GET only",
}
# Django's admin: its forms are ModelForms over the same models, whose validators refuse the same values (see
# test_the_admin_refuses_hidden_characters_too and tests/accounts/test_validators.py).
SKIPPED_NAMESPACES = {"admin"}


def _url_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace not in SKIPPED_NAMESPACES:
                names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_walked_or_said_to_take_no_input():
    placed = set(FORM_PAGES) | set(TESTED_ELSEWHERE) | set(NO_INPUT)
    assert sorted(_url_names() - placed) == []
    assert sorted(placed - _url_names()) == []


# ---------------------------------------------------------------------------
# The world every page is walked in
# ---------------------------------------------------------------------------
@pytest.fixture
def world(owner):
    case = services.case_create(
        actor=owner,
        data={
            "source": Case.Source.CITIZEN,
            "received_at": timezone.now() - timedelta(days=1),
            "incident_at": timezone.now() - timedelta(days=2),
            "incident_place": "Бишкек",
        },
    )
    victim = services.victim_create(
        case=case, actor=owner, data={"last_name": "Асанова", "first_name": "Айжан", "date_of_birth": date(2009, 1, 1)}
    )
    return {"owner": owner, "case": case, "victim": victim}


@pytest.fixture
def send(world, owner):
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(owner)
    anonymous = Client(raise_request_exception=False)

    def post(page: FormPage, data: dict):
        client = signed_in if page.signed_in else anonymous
        anonymous.logout()
        if page.as_user is not None:
            client = Client(raise_request_exception=False)
            client.force_login(page.as_user(world))
        if page.method == "get":
            return client.get(page.url(world), data)
        return client.post(page.url(world), data)

    return post


# ---------------------------------------------------------------------------
# What is hostile, what must be refused, and what must never be stored
# ---------------------------------------------------------------------------
def _is_text(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField)


def _attacks(field: forms.Field) -> dict[str, object]:
    if isinstance(field, forms.DateTimeField):
        values = {**DATETIMES, **HIDDEN}
    elif isinstance(field, forms.DateField):
        values = {**DATES, **HIDDEN}
    elif isinstance(field, forms.FileField):
        values = {
            "RLO_in_the_name": SimpleUploadedFile("scan\u202efdp.pdf", b"%PDF-1.4 x"),
            "NUL_in_the_name": SimpleUploadedFile("scan\x00.pdf", b"%PDF-1.4 x"),
            "not_a_file": "Асан\x00ова",
        }
    elif _is_text(field):
        values = {**HIDDEN, **HUGE}
    else:  # choices, numbers, check boxes
        values = {"NUL": HIDDEN["NUL"], "RLO": HIDDEN["RLO"], **HUGE, **NUMBERISH}
    if isinstance(field, forms.MultipleChoiceField):
        return {label: [value] for label, value in values.items()}
    return values


def _must_refuse(page: FormPage, field: forms.Field, label: str) -> bool:
    if not page.stores:
        return False
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return label in DATES or label in HIDDEN
    if _is_text(field):
        return label in HIDDEN or (label in HUGE and field.max_length is not None)
    return False


def _refusals(response) -> dict[str, list[str]]:
    """The errors the page shows: the form's, by field, or the error messages of a redirect ("*")."""
    form = (response.context or {}).get("form") if response.context is not None else None
    if form is not None and form.is_bound:
        return {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    return {"*": errors} if errors else {}


def _implausible(value) -> bool:
    if isinstance(value, datetime):
        return not (datetime(1900, 1, 1, tzinfo=value.tzinfo) <= value <= timezone.now() + timedelta(days=1))
    if isinstance(value, date):
        return not (date(1900, 1, 1) <= value <= timezone.localdate() + timedelta(days=1))
    return False


def _hostile_rows() -> list[str]:
    """Every stored value with a hidden character or a date outside 1900..tomorrow."""
    found = []
    for model in STORED:
        for row in model.objects.all():
            for field in model._meta.concrete_fields:
                value = getattr(row, field.attname)
                text = str(value) if isinstance(value, dict | list) else value
                hidden = isinstance(text, str) and any(c in text for c in HIDDEN_CHARACTERS)
                if hidden or _implausible(value):
                    found.append(f"{model.__name__}.{field.name}")
    return found


# ---------------------------------------------------------------------------
# The walk
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FORM_PAGES))
def test_the_valid_data_of_each_page_is_accepted(name, world, send):
    page = FORM_PAGES[name]

    response = send(page, page.valid(world))

    assert response.status_code in (200, 302)
    assert _refusals(response) == {}
    if page.stores:
        assert response.status_code == 302


@pytest.mark.parametrize("name", sorted(FORM_PAGES))
def test_every_field_of_every_form_survives_hostile_values(name, world, send):
    page = FORM_PAGES[name]
    problems = []
    for field_name, field in page.form(world).fields.items():
        for label, value in _attacks(field).items():
            if isinstance(value, SimpleUploadedFile):
                value.seek(0)
            response = send(page, {**page.valid(world), field_name: value})
            where = f"{field_name}={label}"
            refusals = _refusals(response)
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            elif _must_refuse(page, field, label) and not (refusals.get(field_name) or refusals.get("*")):
                problems.append(f"{where}: accepted (status {response.status_code})")
            elif any(not message for messages in refusals.values() for message in messages):
                problems.append(f"{where}: an empty error message")
            if stored := _hostile_rows():
                problems.append(f"{where}: stored {stored}")
                break
    assert problems == []


@pytest.mark.parametrize("field_name", sorted(LANGUAGE_SWITCH_FIELDS))
@pytest.mark.parametrize("value", [*HIDDEN.values(), *HUGE.values()], ids=[*HIDDEN, *HUGE])
def test_the_language_switch_survives_hostile_values(field_name, value):
    client = Client(raise_request_exception=False)

    response = client.post(reverse("set_language"), {**LANGUAGE_SWITCH_FIELDS, field_name: value})

    assert response.status_code < 500
    language = response.cookies.get("cms_language")
    assert language is None or language.value in ("ky", "ru", "en")
    assert all(c not in response.get("Location", "") for c in HIDDEN_CHARACTERS)


@pytest.mark.parametrize("name", sorted(n for n, page in FORM_PAGES.items() if page.method == "post"))
def test_a_body_over_the_upload_limit_never_answers_5xx(name, world, send, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    page = FORM_PAGES[name]

    response = send(page, {**page.valid(world), "padding": "ж" * 20_000})

    assert response.status_code == 400
    assert _hostile_rows() == []


def test_the_admin_refuses_hidden_characters_too(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:accounts_organisation_add"), {"name": "Иш\u202eеним", "kind": "ngo", "active": "on"}
    )

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert not Organisation.objects.exists()
