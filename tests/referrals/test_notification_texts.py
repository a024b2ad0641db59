"""Every kind of notice the code emits has a subject and a body in each language, naming numbers and codes only; the
notification centre shows each with its link; an e-mail is written in the installation's language (users keep none)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Notification, OutboxMessage
from accounts.notifications import RENDERERS, render_notification
from accounts.services import outbox_deliver_message, outbox_notify_user
from referrals import services as referral_services
from referrals.models import Consent
from screening.labels import OBLIGATION_LABELS
from screening.services import screening_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NUMBER = "ALAMUDUN-2026-00042"
REFERRAL = {"referral_id": "6f1c2a4e-0000-4000-8000-000000000001", "case_number": NUMBER, "recipient": "«Ишеним»"}
# Every kind and the parameters its emitter writes (ids, numbers, codes, an organisation's or unit's name).
KINDS = {
    "case_assigned": {"case_number": NUMBER},
    "report_registered": {"case_number": NUMBER, "kbr_registered_at": "2026-11-30"},
    "report_taken_up": {"case_number": NUMBER, "unit": "Аламүдүн РИИБ"},
    "due_item": {"case_number": NUMBER, "case_id": "x", "code": "notify_kib"},
    "due_item_overdue": {"case_number": NUMBER, "case_id": "x", "code": "rapport_registration"},
    "due_item_assigned": {"case_number": NUMBER, "case_id": "x", "code": "notify_kib"},
    "referral_received": REFERRAL,
    "referral_withdrawn": REFERRAL,
    "referral_reopened": REFERRAL,
    "consent_changed": REFERRAL,
    "referral_accepted": {**REFERRAL, "case_id": "x"},
    "referral_declined": {**REFERRAL, "case_id": "x"},
    "referral_service": {**REFERRAL, "case_id": "x"},
    "referral_closed": {**REFERRAL, "case_id": "x"},
}
LINK = "/cases/6f1c2a4e-0000-4000-8000-000000000002/"
APPS = ("accounts", "cases", "screening", "referrals", "reports", "trafficking_cms")


def _emitted_kinds() -> set[str]:
    """The kinds the code passes to the outbox: `kind="…"` in a call of outbox_notify_user(s), and the kinds the
    referral services hand to their `_tell_…` helpers."""
    kinds: set[str] = set()
    for app in APPS:
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            for match in re.finditer(r"outbox_notify_users?\(", source):
                kinds |= set(re.findall(r'kind="([a-z_]+)"', source[match.end() : match.end() + 400])[:1])
            for match in re.finditer(r"_tell_(?:recipient|case_officer|active_referrals)\(([^\n]*)", source):
                kinds |= set(re.findall(r'"([a-z_]+)"', match.group(1)))
    return kinds


def test_every_kind_the_code_emits_has_its_texts():
    emitted = _emitted_kinds()

    assert {"case_assigned", "due_item", "referral_received", "referral_declined", "consent_changed"} <= emitted
    assert sorted(emitted - set(RENDERERS)) == []
    assert sorted(emitted - set(KINDS)) == []  # a kind added later is listed here, with its parameters
    assert set(KINDS) <= set(RENDERERS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_has_a_subject_and_a_body_in_each_language_with_the_number_and_the_link(kind):
    texts = {}
    for language in ("ky", "ru", "en"):
        with translation.override(language):
            subject, body = render_notification(kind=kind, params=KINDS[kind], link=LINK)
        texts[language] = (subject, body)
        assert subject and subject != "Notification" and "{" not in subject + body
        assert NUMBER in subject and NUMBER in body and body.endswith(LINK)
    assert texts["ky"][0] != texts["en"][0] and texts["ru"][0] != texts["en"][0]  # translated, not English left


def test_a_due_item_is_named_by_its_label_shortened_in_the_subject_in_full_in_the_body():
    with translation.override("en"):
        subject, body = render_notification(kind="due_item", params=KINDS["due_item"], link=LINK)
        label = str(OBLIGATION_LABELS["notify_kib"])

    assert label in body
    assert len(subject) < len(NUMBER) + 110 and subject.startswith(f"Case {NUMBER}: ")


def test_a_notice_stored_without_a_parameter_or_of_an_unknown_kind_still_renders():
    assert render_notification(kind="referral_received", params={}, link="")[0]
    assert render_notification(kind="due_item", params={"code": "no_such_code"})[0]
    assert render_notification(kind="something_new", params={"x": 1}, link=LINK)[1] == LINK


def test_the_notification_centre_shows_a_subject_and_the_link_of_every_kind(client_for, owner):
    Notification.objects.bulk_create(
        Notification(recipient=owner, kind=kind, params=params, link=f"{LINK}?{kind}") for kind, params in KINDS.items()
    )
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    page = client.get(reverse("notifications")).content.decode()

    for kind, params in KINDS.items():
        with translation.override("ru"):
            subject, _body = render_notification(kind=kind, params=params)
        assert f'<a href="{LINK}?{kind}">{subject}</a>' in page.replace("&quot;", '"').replace("&#x27;", "'")
    assert "Notification<" not in page


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_e_mailed_in_the_installations_language_whatever_the_request(
    kind, owner, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "ky"
    owner.email = "officer@police.example.kg"
    owner.save(update_fields=["email"])

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        outbox_notify_user(recipient=owner, kind=kind, params=KINDS[kind], link=LINK)

    (sent,) = mail.outbox
    with translation.override("ky"):
        subject, body = render_notification(kind=kind, params=KINDS[kind], link=LINK)
    assert (sent.subject, sent.body) == (subject, body)


def test_a_referral_sent_reaches_the_ngos_e_mail_with_the_case_number_and_no_personal_data(
    police_case, adult, ngo, ngo_user, owner, django_capture_on_commit_callbacks
):
    ngo_user.email = "staff@ishenim.example.kg"
    ngo_user.save(update_fields=["email"])
    referral_services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "given"}, given_by="victim",
        informed_how=Consent.Informed.ORALLY, actor=owner,
    )  # fmt: skip
    referral = referral_services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)

    with django_capture_on_commit_callbacks(execute=True):
        referral_services.referral_send(referral=referral, actor=owner)

    (sent,) = mail.outbox
    assert police_case.number in sent.subject and reverse("referrals:inbox_detail", args=[referral.pk]) in sent.body
    assert all(word not in sent.subject + sent.body for word in ("Асанова", "Айжан", "+996", "Ахунбаев"))
    stored = OutboxMessage.objects.get(channel="email").payload["params"]
    assert set(stored) == {"referral_id", "case_number", "recipient"}


def test_the_kib_and_the_duty_officer_are_told_of_a_childs_screening_in_their_language(
    client_for, owner, police_case, child, district
):
    kib = UserFactory(unit=district, roles=["kib_officer"])
    facts = {"victim_age": 14, "acts": ["recruitment"], "purposes": ["forced_labour"]}
    screening_record(case=police_case, actor=owner, victim=child, facts=facts, indicators=["held"])
    for row in OutboxMessage.objects.filter(recipient=kib):
        outbox_deliver_message(message_id=str(row.pk))
    client = client_for(kib)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    page = client.get(reverse("notifications")).content.decode()

    with translation.override("ru"):
        label = str(OBLIGATION_LABELS["notify_kib"])
    assert police_case.number in page and label[:40] in page
    assert f'href="{police_case.get_absolute_url()}"' in page
