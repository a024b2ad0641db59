"""The world of the access matrix (tests/security/test_access_matrix.py), built once per module.

District A (Аламүдүн) holds one case of every kind of record, all about one victim whose personal data are canaries:
values found nowhere else, so a response that contains one of them leaks the victim's data. District B (Сокулук) of
the same oblast holds the outsiders' own case. Organisation X («Ишеним») receives the victim's referral with consent to
identity and contacts; organisation Y («Сезим») is an outsider with its own user and API key.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts.models import ApiKey, Notification, Organisation
from accounts.roles import Role
from cases import services as case_services
from cases.models import Case, OfficerStep
from referrals import services as referral_services
from referrals import webhooks
from referrals.models import Consent, Recipient, WebhookDelivery
from reports import pdf_services
from reports import services as report_services
from reports.models import RAPPORT_ITEMS, RapportPdf
from screening.services import screening_record
from tests.factories import UnitFactory, UserFactory

# The victim's personal data: each value appears in no template, label or other record of the world.
CANARY_LAST_NAME = "Канарейкина"
CANARY_FIRST_NAME = "Зарема"
CANARY_LATIN = "Kanareikina"
CANARY_PHONE = "+996 777 314 159"
CANARY_DOCUMENT = "KX7310042"
CANARY_ADDRESS = "Канарейкин көчөсү 17"
# What is searched for in a response body (text, JSON, CSV, and the cells of an XLSX): a part of each canary.
CANARIES = ("Канарейкин", "Kanareikin", "KX7310042", "314 159", "314159", "Зарема")


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role key -> user
    api_keys: dict = field(default_factory=dict)  # role key -> the key itself
    ids: dict = field(default_factory=dict)  # URL parameter name -> {variant: id}
    objects: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)  # role key -> a signed-in test client (tests/security/conftest.py)


def build_world() -> World:
    w = World()
    ministry = UnitFactory(code="m-mvd", name="ИИМ", kind="ministry", parent=None)
    oblast = UnitFactory(code="m-chui", name="Чүй облустук ИИБ", kind="oblast", parent=ministry)
    unit_a = UnitFactory(code="m-alamudun", name="Аламүдүн ИИБ", kind="district", parent=oblast)
    unit_b = UnitFactory(code="m-sokuluk", name="Сокулук ИИБ", kind="district", parent=oblast)

    org_x = Organisation.objects.create(name="«Ишеним» кризистик борбору", kind=Organisation.Kind.CRISIS_CENTRE)
    org_y = Organisation.objects.create(name="«Сезим» борбору", kind=Organisation.Kind.NGO)
    ngo_x = Recipient.objects.create(
        kind=Recipient.Kind.CRISIS_CENTRE, organisation=org_x, region=oblast,
        agreement_categories=["identity", "contacts", "whereabouts", "health", "case_facts"], services=["shelter"],
    )  # fmt: skip
    Recipient.objects.create(
        kind=Recipient.Kind.NGO, organisation=org_y, region=None, agreement_categories=["identity", "case_facts"]
    )

    u = w.users
    # The rightful: the case's officer, the head of district A, the 1899 desk of district A, organisation X.
    u["owner"] = UserFactory(unit=unit_a, roles=[Role.INSPECTOR])
    u["head"] = UserFactory(unit=unit_a, roles=[Role.SUPERVISOR])
    u["duty"] = UserFactory(unit=unit_a, roles=[Role.DUTY_OFFICER])  # a same-unit colleague who works unit cases
    u["operator"] = UserFactory(unit=unit_a, roles=[Role.HOTLINE_OPERATOR])
    u["ngo"] = UserFactory(unit=None, roles=[Role.NGO_STAFF], organisation=org_x)
    u["superuser"] = UserFactory(unit=ministry, is_staff=True, is_superuser=True)
    # The outsiders.
    u["colleague"] = UserFactory(unit=unit_a, roles=[Role.INSPECTOR])
    u["foreign_inspector"] = UserFactory(unit=unit_b, roles=[Role.INSPECTOR])
    u["foreign_head"] = UserFactory(unit=unit_b, roles=[Role.SUPERVISOR, Role.DUTY_OFFICER])
    u["analyst"] = UserFactory(unit=ministry, roles=[Role.ANALYST])
    u["foreign_ngo"] = UserFactory(unit=None, roles=[Role.NGO_STAFF], organisation=org_y)
    u["staff"] = UserFactory(unit=ministry, is_staff=True)  # may enter the admin, holds no permission

    w.api_keys["ngo_key"] = ApiKey.objects.create_key(name="X integration", organisation=org_x)[1]
    w.api_keys["foreign_ngo_key"] = ApiKey.objects.create_key(name="Y integration", organisation=org_y)[1]

    owner, head = u["owner"], u["head"]
    now = timezone.now()
    case = case_services.case_create(
        actor=owner,
        data={
            "source": Case.Source.CITIZEN,
            "received_at": now - timedelta(hours=3),
            "incident_at": now - timedelta(days=1),
            "incident_place": "Бишкек, Ош базары",
            "summary": f"{CANARY_LAST_NAME} {CANARY_FIRST_NAME} Казакстанга жумушка убада менен алынып кеткен.",
        },
    )
    victim = case_services.victim_create(
        case=case, actor=owner,
        data={"last_name": CANARY_LAST_NAME, "first_name": CANARY_FIRST_NAME, "last_name_latin": CANARY_LATIN,
              "date_of_birth": date(1995, 4, 1), "sex": "female", "phone": CANARY_PHONE,
              "residence_address": CANARY_ADDRESS, "citizenship": "KG", "id_document_type": "паспорт",
              "id_document_number": CANARY_DOCUMENT},
    )  # fmt: skip
    representative = case_services.legal_representative_add(
        victim=victim, actor=owner, data={"full_name": "Канарейкин Марат", "relation": "father", "phone": CANARY_PHONE}
    )
    suspect = case_services.suspect_add(
        case=case, actor=owner, data={"full_name": "Бакыт", "identifying_data": f"{CANARY_LAST_NAME} айткан"}
    )
    site = case_services.exploitation_site_add(case=case, actor=owner, data={"location": CANARY_ADDRESS})
    upload = SimpleUploadedFile("scan.pdf", f"%PDF-1.4 {CANARY_DOCUMENT}".encode())
    attachment = case_services.attachment_add(case=case, actor=owner, upload=upload, kind="document", max_bytes=10**6)
    upload = SimpleUploadedFile("old.pdf", f"%PDF-1.4 {CANARY_DOCUMENT}".encode())
    removed = case_services.attachment_add(case=case, actor=owner, upload=upload, kind="document", max_bytes=10**6)
    removed = case_services.attachment_remove(attachment=removed, actor=owner, reason="Эки жолу жүктөлгөн.")
    step = case_services.officer_step_record(case=case, actor=owner, code=OfficerStep.Code.INTERVIEW, note="")
    undone = case_services.officer_step_record(case=case, actor=owner, code=OfficerStep.Code.HAND_RIGHTS_SHEET, note="")
    case_services.officer_step_undo(step=undone, actor=owner)

    facts = {"act_date": case.act_date.isoformat(), "victim_age": 30, "acts": ["recruitment"]}
    facts |= {"means": ["deception"], "purposes": ["forced_labour"]}
    screening = screening_record(case=case, actor=owner, victim=victim, facts=facts, indicators=["held"])
    # A foreign adult of the same case: the head's International Cooperation decision falls due.
    foreigner = case_services.victim_create(case=case, actor=owner, data={"citizenship": "UZ"})
    intl = screening_record(case=case, actor=owner, victim=foreigner, facts=facts)
    obligation = intl.obligations.get(code="intl_cooperation_decision")

    consent = referral_services.consent_record(
        victim=victim, recipient=ngo_x, decisions={"identity": "given", "contacts": "given"},
        given_by=Consent.GivenBy.VICTIM, informed_how=Consent.Informed.ORALLY, actor=owner,
    )[0]  # fmt: skip
    withdrawn_consent = referral_services.consent_record(
        victim=victim, recipient=ngo_x, decisions={"health": "given"},
        given_by=Consent.GivenBy.VICTIM, informed_how=Consent.Informed.ORALLY, actor=owner,
    )[0]  # fmt: skip
    withdrawn_consent = referral_services.consent_withdraw(consent=withdrawn_consent, actor=owner, note="Телефондон.")

    # A local address that refuses connections: the deliveries fail at once and stay for the matrix to read.
    with override_settings(WEBHOOK_REQUIRE_HTTPS=False, WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True):
        endpoint, _secret = webhooks.webhook_endpoint_create(
            organisation=org_x, url="http://127.0.0.1:9/x", event_types=["referral.created"], actor=u["ngo"]
        )
    referral = referral_services.referral_create(
        case=case, recipient=ngo_x, actor=owner, victim=victim, services=["shelter"], message="Баш калка керек."
    )
    referral = referral_services.referral_send(referral=referral, actor=owner)
    withdrawn = referral_services.referral_create(case=case, recipient=ngo_x, actor=owner, victim=victim)
    withdrawn = referral_services.referral_send(referral=withdrawn, actor=owner)
    withdrawn = referral_services.referral_withdraw(referral=withdrawn, actor=owner, reason="Жаңылыш жиберилген.")
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint).first() or webhooks.webhook_send_test(
        endpoint=endpoint
    )

    sheet = referral_services.rights_sheet_request(case=case, language="ru", actor=owner)

    rapport = report_services.rapport_start(case=case, actor=owner)
    data = {code: f"{CANARY_LAST_NAME}." for code in RAPPORT_ITEMS} | {"addressee": head}
    rapport = report_services.rapport_update(rapport=rapport, actor=owner, data=data, version=rapport.version)
    rapport = report_services.rapport_submit(rapport=rapport, actor=owner)
    rapport = report_services.rapport_approve(rapport=rapport, actor=head)
    pdf = pdf_services.rapport_pdf_request(rapport=rapport, language="ru", actor=head)

    call = referral_services.hotline_call_record(
        operator=u["operator"],
        data={"received_at": now - timedelta(minutes=10), "caller": "relative", "caller_name": "Канарейкина Гүл",
              "caller_phone": CANARY_PHONE, "callback_consent": True, "summary": f"{CANARY_LAST_NAME} жоголду.",
              "place": "Лебединовка", "urgency": "urgent", "district": unit_a},
    )  # fmt: skip

    closed = case_services.case_create(
        actor=owner, data={"source": Case.Source.CITIZEN, "summary": f"{CANARY_LAST_NAME}: жабылган иш."}
    )
    closed = case_services.case_close(case=closed, actor=owner, reason="Кылмыш белгилери жок.")

    # The outsiders' own records, so that their lists are not empty.
    theirs = case_services.case_create(actor=u["foreign_inspector"], data={"source": Case.Source.CITIZEN})
    case_services.victim_create(case=theirs, actor=u["foreign_inspector"], data={"last_name": "Осмонова"})

    w.objects.update(
        case=case, victim=victim, referral=referral, rapport=rapport, pdf=pdf, sheet=sheet, call=call,
        org_x=org_x, org_y=org_y, ngo_x=ngo_x, endpoint=endpoint, unit_a=unit_a, unit_b=unit_b,
    )  # fmt: skip
    ids = w.ids
    ids["case_id"] = {"own": case.pk, "closed": closed.pk}
    ids["victim_id"] = {"own": victim.pk}
    ids["attachment_id"] = {"own": attachment.pk, "removed": removed.pk}
    ids["suspect_id"] = {"own": suspect.pk}
    ids["site_id"] = {"own": site.pk}
    ids["representative_id"] = {"own": representative.pk}
    ids["step_id"] = {"own": step.pk, "undone": undone.pk}
    ids["screening_id"] = {"own": screening.pk}
    ids["obligation_id"] = {"own": obligation.pk}
    ids["referral_id"] = {"own": referral.pk, "withdrawn": withdrawn.pk}
    ids["consent_id"] = {"own": consent.pk, "withdrawn": withdrawn_consent.pk}
    ids["call_id"] = {"own": call.pk}
    ids["sheet_id"] = {"own": sheet.pk}
    ids["rapport_id"] = {"own": rapport.pk}
    ids["pdf_id"] = {"own": pdf.pk}
    ids["endpoint_id"] = {"own": endpoint.pk}
    ids["delivery_id"] = {"own": delivery.pk}
    return w


def check_world(w: World) -> None:
    """What the callbacks run after the commit must have made: the PDFs and the owner's notification."""
    assert RapportPdf.objects.filter(pk=w.ids["pdf_id"]["own"], sha256__gt="").exists(), "no rapport PDF"
    w.ids["notification_id"] = {"own": Notification.objects.filter(recipient=w.users["owner"]).first().pk}
