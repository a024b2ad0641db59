"""The one function that builds what a recipient sees (referrals.sharing.referral_payload): each category of a
victim's data goes only where both the data-sharing agreement and the standing consent cover it (ARCHITECTURE §5)."""

import json

import pytest
from django.utils import translation

from cases import services as case_services
from referrals import services
from referrals.models import CATEGORIES, Consent, Recipient
from referrals.sharing import referral_payload, shared_categories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _refusals_in_english():
    """The refusals are matched by their English words: the catalogues translate them into Kyrgyz, the default."""
    with translation.override("en"):
        yield


# A value of each category that must never appear in a payload when the category is not shared.
MARKERS = {
    "identity": ["Асанова", "AN1234567"],
    "contacts": ["+996 700 11 22 33"],
    "whereabouts": ["Ахунбаев 12"],
    "health": ["нуждается в осмотре"],
    "case_facts": ["Казакстанга", "Ош базары", "бир жумада"],
}


def _referral(case, victim, recipient, owner):
    referral = services.referral_create(
        case=case, recipient=recipient, actor=owner, victim=victim, message="Кыз бир жумада кайтып келген.",
        health_needs="нуждается в осмотре",
    )  # fmt: skip
    return services.referral_send(referral=referral, actor=owner)


def _consent(victim, recipient, owner, categories, **who):
    who = who or {"given_by": Consent.GivenBy.VICTIM}
    return services.consent_record(
        victim=victim, recipient=recipient, decisions=dict.fromkeys(categories, "given"),
        informed_how=Consent.Informed.ORALLY, actor=owner, **who,
    )  # fmt: skip


def _text(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)


def test_with_agreement_and_consent_for_everything_everything_is_shared(police_case, adult, ngo, owner):
    _consent(adult, ngo, owner, CATEGORIES)
    payload = referral_payload(_referral(police_case, adult, ngo, owner))

    assert payload["shared"] == sorted(CATEGORIES) and payload["withheld"] == []
    for markers in MARKERS.values():
        assert all(marker in _text(payload) for marker in markers)


@pytest.mark.parametrize("dropped", CATEGORIES)
def test_a_category_without_consent_is_dropped(dropped, police_case, adult, ngo, owner):
    _consent(adult, ngo, owner, [c for c in CATEGORIES if c != dropped])
    payload = referral_payload(_referral(police_case, adult, ngo, owner))

    assert dropped not in payload and payload["withheld"] == [dropped]
    assert not any(marker in _text(payload) for marker in MARKERS[dropped])
    for kept in set(CATEGORIES) - {dropped}:
        assert kept in payload


@pytest.mark.parametrize("dropped", CATEGORIES)
def test_a_category_outside_the_agreement_is_dropped_whatever_the_consent(dropped, police_case, adult, ngo, owner):
    ngo.agreement_categories = [c for c in CATEGORIES if c != dropped]
    ngo.save()
    _consent(adult, ngo, owner, CATEGORIES)
    payload = referral_payload(_referral(police_case, adult, ngo, owner))

    assert dropped not in payload and payload["withheld"] == [dropped]
    assert not any(marker in _text(payload) for marker in MARKERS[dropped])


@pytest.mark.parametrize("dropped", CATEGORIES)
def test_a_withdrawn_consent_drops_its_category_from_then_on(dropped, police_case, adult, ngo, owner):
    consents = _consent(adult, ngo, owner, CATEGORIES)
    referral = _referral(police_case, adult, ngo, owner)
    withdrawn = next(c for c in consents if c.category == dropped)

    services.consent_withdraw(consent=withdrawn, actor=owner, note="Телефон аркылуу баш тартты.")
    payload = referral_payload(referral)

    assert dropped not in payload
    assert not any(marker in _text(payload) for marker in MARKERS[dropped])


def test_a_refusal_shares_nothing_of_its_category(police_case, adult, ngo, owner):
    services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "refused", "case_facts": "given"},
        given_by=Consent.GivenBy.VICTIM, informed_how=Consent.Informed.WRITTEN, actor=owner,
    )  # fmt: skip
    payload = referral_payload(_referral(police_case, adult, ngo, owner))

    assert payload["shared"] == ["case_facts"]
    assert "Асанова" not in _text(payload)


def test_consent_to_one_recipient_shares_nothing_with_another(police_case, adult, ngo, other_ngo, owner):
    _consent(adult, ngo, owner, CATEGORIES)
    payload = referral_payload(_referral(police_case, adult, other_ngo, owner))

    assert payload["shared"] == [] and payload["withheld"] == list(CATEGORIES)
    assert not any(marker in _text(payload) for markers in MARKERS.values() for marker in markers)


def test_without_consent_the_recipient_still_knows_what_is_asked_and_whom_to_call(police_case, adult, ngo, owner):
    payload = referral_payload(_referral(police_case, adult, ngo, owner))

    assert payload["case_number"] == police_case.number
    assert payload["officer"]["name"] == owner.get_full_name()
    assert payload["child"] is False
    assert payload["status"] == "sent"


# -- children: through the legal representative, or the child-protection body -------------------------------------
def test_a_childs_consent_counts_through_the_legal_representative(police_case, child, mother, ngo, owner):
    _consent(child, ngo, owner, ["identity"], given_by=Consent.GivenBy.LEGAL_REPRESENTATIVE, representative=mother)

    assert shared_categories(_referral(police_case, child, ngo, owner)) == {"identity"}


def test_a_child_cannot_consent_alone(child, mother, ngo, owner):
    with pytest.raises(Exception, match="legal representative"):
        _consent(child, ngo, owner, ["identity"], given_by=Consent.GivenBy.VICTIM)


def test_a_representative_who_is_a_suspect_cannot_consent_the_child_protection_body_does(child, ngo, owner):
    father = case_services.legal_representative_add(
        victim=child, actor=owner, data={"full_name": "Токтогулов Бакыт", "relation": "father", "is_suspect": True}
    )
    with pytest.raises(Exception, match="suspect"):
        _consent(child, ngo, owner, ["identity"], given_by=Consent.GivenBy.LEGAL_REPRESENTATIVE, representative=father)

    _consent(child, ngo, owner, ["identity"], given_by=Consent.GivenBy.CHILD_PROTECTION_BODY)
    assert Consent.objects.filter(victim=child, given_by="child_protection_body").count() == 1


def test_the_child_protection_body_cannot_decide_over_a_representative_who_may_act(child, mother, ngo, owner):
    with pytest.raises(Exception, match="representative"):
        _consent(child, ngo, owner, ["identity"], given_by=Consent.GivenBy.CHILD_PROTECTION_BODY)


def test_a_consent_stops_counting_when_its_representative_turns_out_to_be_a_suspect(
    police_case, child, mother, ngo, owner
):
    _consent(child, ngo, owner, ["identity", "contacts"], given_by="legal_representative", representative=mother)
    referral = _referral(police_case, child, ngo, owner)
    assert shared_categories(referral) == {"identity", "contacts"}

    mother.is_suspect = True
    mother.save()

    assert shared_categories(referral) == set()
    assert "Токтогулова" not in _text(referral_payload(referral))


def test_an_adults_consent_must_be_their_own(adult, ngo, owner, police_case):
    mother = case_services.legal_representative_add(
        victim=adult, actor=owner, data={"full_name": "Асанова Гүлзат", "relation": "mother"}
    )
    with pytest.raises(Exception, match="adult"):
        _consent(adult, ngo, owner, ["identity"], given_by="legal_representative", representative=mother)


# -- the police -------------------------------------------------------------------------------------------------------
def test_a_police_unit_receives_everything_without_consent(police_case, adult, intl_recipient, owner):
    payload = referral_payload(_referral(police_case, adult, intl_recipient, owner))

    assert payload["shared"] == sorted(CATEGORIES)


def test_consent_is_not_recorded_for_a_police_unit(adult, intl_recipient, owner):
    with pytest.raises(Exception, match="police"):
        _consent(adult, intl_recipient, owner, ["identity"])


def test_a_new_decision_replaces_the_standing_one_and_keeps_it_in_the_record(adult, ngo, owner):
    _consent(adult, ngo, owner, ["identity"])
    services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "refused"}, given_by="victim", informed_how="orally",
        actor=owner,
    )  # fmt: skip

    rows = Consent.objects.filter(victim=adult, recipient=ngo, category="identity").order_by("decided_at")
    assert [(r.decision, r.withdrawn_at is not None) for r in rows] == [("given", True), ("refused", False)]


def test_unknown_categories_and_decisions_are_refused(adult, ngo, owner):
    with pytest.raises(Exception, match="unknown"):
        services.consent_record(
            victim=adult, recipient=ngo, decisions={"bank_account": "given"}, given_by="victim", informed_how="orally",
            actor=owner,
        )  # fmt: skip
    assert not Consent.objects.exists()


def test_the_payload_of_an_organisation_recipient_never_names_a_kind_it_was_not_given(police_case, adult, owner):
    recipient = Recipient.objects.get(pk=_recipient_without_agreement().pk)
    _consent(adult, recipient, owner, CATEGORIES)
    payload = referral_payload(_referral(police_case, adult, recipient, owner))

    assert payload["shared"] == []


def _recipient_without_agreement():
    from tests.referrals.conftest import organisation_recipient

    return organisation_recipient("Келишими жок уюм", Recipient.Kind.NGO, categories=[])
