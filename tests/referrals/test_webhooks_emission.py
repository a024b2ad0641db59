"""Which referral changes emit which webhook events, to which endpoints, with what (thin) payload."""

import json

import pytest

from referrals import services, webhooks
from referrals.models import WebhookDelivery

pytestmark = pytest.mark.django_db

ALL = ("referral.created", "referral.updated", "referral.withdrawn")


def _events(endpoint=None) -> list[tuple[str, str]]:
    deliveries = WebhookDelivery.objects.select_related("outbox_message").order_by("created_at")
    if endpoint is not None:
        deliveries = deliveries.filter(endpoint=endpoint)
    return [(d.event_type, d.outbox_message.payload["data"].get("change", "")) for d in deliveries]


@pytest.fixture
def sent(police_case, adult, ngo, owner):
    def make():
        referral = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)
        return services.referral_send(referral=referral, actor=owner)

    return make


def test_each_referral_change_emits_its_event_with_its_change_code(sent, ngo, ngo_user, owner, adult, endpoint_of):
    endpoint, _secret = endpoint_of(ngo, "http://127.0.0.1:9/hooks")

    referral = sent()
    referral = services.referral_accept(referral=referral, actor=ngo_user)
    services.referral_record_service(referral=referral, actor=ngo_user, service="shelter")
    services.consent_record(
        victim=adult, recipient=ngo, decisions={"contacts": "given"}, given_by="victim", informed_how="orally",
        actor=owner,
    )  # fmt: skip
    services.referral_record_service(referral=referral, actor=None, close=True, organisation=ngo.organisation)
    services.referral_reopen(referral=referral, actor=owner, reason="Кайра жардам керек")
    services.referral_withdraw(referral=referral, actor=owner, reason="Башка жакка көчтү")
    declined = services.referral_decline(referral=sent(), actor=ngo_user, reason="Орун жок")

    assert _events(endpoint) == [
        ("referral.created", "sent"), ("referral.updated", "accepted"), ("referral.updated", "service_recorded"),
        ("referral.updated", "consent_changed"), ("referral.updated", "closed"), ("referral.updated", "reopened"),
        ("referral.withdrawn", "withdrawn"), ("referral.created", "sent"), ("referral.updated", "declined"),
    ]  # fmt: skip
    last = WebhookDelivery.objects.filter(referral=declined).order_by("created_at").last()
    assert last.outbox_message.payload["data"]["status"] == "declined"


def test_storing_the_organisations_reference_emits_an_update_and_storing_the_same_again_nothing(sent, ngo, endpoint_of):
    endpoint, _secret = endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    referral = sent()

    services.referral_set_external_ref(referral=referral, external_ref="NGO-42", organisation=ngo.organisation)
    services.referral_set_external_ref(referral=referral, external_ref="NGO-42", organisation=ngo.organisation)

    assert _events(endpoint) == [("referral.created", "sent"), ("referral.updated", "external_ref")]


def test_withdrawing_a_draft_emits_nothing_the_recipient_never_saw_it(police_case, adult, ngo, owner, endpoint_of):
    endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    draft = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)

    services.referral_withdraw(referral=draft, actor=owner, reason="Жаңылыштык")

    assert _events() == []


def test_only_the_subscribed_active_endpoints_of_the_recipients_organisation_receive_the_event(
    sent, ngo, other_ngo, ngo_user, endpoint_of
):
    created_only, _ = endpoint_of(ngo, "http://127.0.0.1:9/a", events=["referral.created"])
    updates_only, _ = endpoint_of(ngo, "http://127.0.0.1:9/b", events=["referral.updated"])
    disabled, _ = endpoint_of(ngo, "http://127.0.0.1:9/c", events=ALL)
    webhooks.webhook_endpoint_disable(endpoint=disabled, reason="turned_off")
    elsewhere, _ = endpoint_of(other_ngo, "http://127.0.0.1:9/d", events=ALL)

    referral = sent()
    services.referral_accept(referral=referral, actor=ngo_user)

    assert _events(created_only) == [("referral.created", "sent")]
    assert _events(updates_only) == [("referral.updated", "accepted")]
    assert _events(disabled) == [] and _events(elsewhere) == []


def test_an_inactive_organisation_gets_no_events(sent, ngo, endpoint_of):
    endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    ngo.organisation.active = False
    ngo.organisation.save()

    sent()

    assert _events() == []


def test_a_police_unit_recipient_has_no_endpoints_and_gets_no_events(
    police_case, adult, intl_recipient, owner, ngo, endpoint_of
):
    endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    referral = services.referral_create(case=police_case, recipient=intl_recipient, actor=owner, victim=adult)

    services.referral_send(referral=referral, actor=owner)

    assert _events() == []


def test_the_payload_is_thin_ids_states_and_times_and_no_personal_data(police_case, adult, ngo, owner, endpoint_of):
    endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    services.consent_record(
        victim=adult, recipient=ngo, decisions={c: "given" for c in ("identity", "contacts", "whereabouts")},
        given_by="victim", informed_how="orally", actor=owner,
    )  # fmt: skip
    referral = services.referral_create(
        case=police_case, recipient=ngo, actor=owner, victim=adult, message="Асанова Айжанга баш калка керек",
        health_needs="Дарыгер керек",
    )  # fmt: skip

    services.referral_send(referral=referral, actor=owner)

    payload = WebhookDelivery.objects.get().outbox_message.payload
    assert set(payload) == {"type", "timestamp", "data"}
    assert set(payload["data"]) == {"referral_id", "organisation", "status", "change", "updated_at"}
    text = json.dumps(payload, ensure_ascii=False)
    for personal in ("Асанова", "Айжан", "700 11 22 33", "Ахунбаев", "AN1234567", "Дарыгер", police_case.number):
        assert personal not in text


def test_the_organisation_is_named_by_its_code_when_it_has_one(sent, ngo, endpoint_of):
    ngo.organisation.code = "demo-ngo-a"
    ngo.organisation.save()
    endpoint_of(ngo, "http://127.0.0.1:9/hooks")

    sent()

    assert WebhookDelivery.objects.get().outbox_message.payload["data"]["organisation"] == "demo-ngo-a"


def test_an_event_is_written_in_the_changes_transaction_and_rolled_back_with_it(sent, ngo, ngo_user, endpoint_of):
    endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    referral = sent()

    with pytest.raises(services.TransitionRefused):
        services.referral_record_service(referral=referral, actor=ngo_user, service="shelter")  # not accepted yet

    assert _events() == [("referral.created", "sent")]
