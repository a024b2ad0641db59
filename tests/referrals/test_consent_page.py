"""Consent on the person's page: the standing decisions per recipient and kind of data (who decided, how the person
was told, who recorded it, when), the form that records them by the rules of who decides (an adult; a child through
the legal representative; the child-protection body when the representative is a suspect), withdrawal and history."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import OutboxMessage
from accounts.roles import Role
from cases import services as case_services
from cases.models import PersonalDataAccess
from referrals import services
from referrals.models import Consent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _in_russian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    return client


def _post(client, victim, **data):
    return client.post(reverse("referrals:consent_record", args=[victim.pk]), data)


def _decisions(**categories) -> dict:
    return {f"category_{category}": decision for category, decision in categories.items()}


def _standing(victim) -> dict:
    return dict(Consent.objects.filter(victim=victim, withdrawn_at__isnull=True).values_list("category", "decision"))


# ---------------------------------------------------------------------------
# An adult decides for themselves
# ---------------------------------------------------------------------------
def test_an_adults_decisions_are_recorded_per_kind_of_data_and_shown_with_who_and_how(client_for, owner, adult, ngo):
    client = client_for(owner)

    response = _post(
        client, adult, recipient=ngo.pk, given_by="victim", informed_how="written",
        **_decisions(identity="given", contacts="given", health="refused", whereabouts=""),
    )  # fmt: skip

    assert response.status_code == 302 and response["Location"].endswith("#consent")
    assert _standing(adult) == {"identity": "given", "contacts": "given", "health": "refused"}
    consent = Consent.objects.get(category="identity")
    assert (consent.given_by, consent.informed_how, consent.recorded_by) == ("victim", "written", owner)
    page = _in_russian(client).get(reverse("cases:victim_detail", args=[adult.pk])).content.decode()
    table = page.split('class="table compact consent-table"')[1].split("</table>")[0]
    assert ngo.display_name in page and "Согласен" in table and "Отказывается" in table
    assert "Прочитал(а) письменное уведомление" in table or "письменн" in table
    assert owner.get_full_name() in table or str(owner) in table


def test_the_form_offers_an_adult_no_one_else_to_decide(client_for, owner, adult, ngo):
    client = client_for(owner)

    form = client.get(reverse("cases:victim_detail", args=[adult.pk])).content.decode().split('id="consent-form"')[1]
    assert 'value="victim"' in form and 'value="legal_representative"' not in form

    response = _post(
        client, adult, recipient=ngo.pk, given_by="legal_representative", informed_how="orally",
        **_decisions(identity="given"),
    )  # fmt: skip
    assert response.status_code == 400 and "given_by" in response.context["form"].errors
    assert not Consent.objects.exists()


def test_nothing_decided_or_not_told_how_is_refused_in_the_users_language(client_for, owner, adult, ngo):
    client = _in_russian(client_for(owner))

    response = _post(client, adult, recipient=ngo.pk, given_by="victim", informed_how="", **_decisions(identity=""))

    assert response.status_code == 400
    form = response.context["form"]
    assert "informed_how" in form.errors
    page = response.content.decode()
    assert 'id="error-summary"' in page
    response = _post(client, adult, recipient=ngo.pk, given_by="victim", informed_how="orally")
    assert response.status_code == 400
    assert "Укажите" in str(response.context["form"].errors)  # "say for at least one kind of data…", in Russian
    assert not Consent.objects.exists()


def test_a_police_unit_is_not_offered_consent(client_for, owner, adult, district):
    services.internal_recipients_ensure()
    kib = services.Recipient.objects.get(unit=district, kind="kib")

    response = _post(
        client_for(owner), adult, recipient=kib.pk, given_by="victim", informed_how="orally",
        **_decisions(identity="given"),
    )  # fmt: skip

    assert response.status_code == 400 and "recipient" in response.context["form"].errors


# ---------------------------------------------------------------------------
# A child: the legal representative, or the child-protection body when the representative is a suspect
# ---------------------------------------------------------------------------
def test_a_childs_legal_representative_decides_and_is_named(client_for, owner, child, mother, ngo):
    client = client_for(owner)
    page = client.get(reverse("cases:victim_detail", args=[child.pk])).content.decode()
    form = page.split('id="consent-form"')[1]
    assert 'value="victim"' not in form and mother.full_name in form
    assert "мыйзамдуу өкүл" in page.lower() or "legal representative" in page.lower()

    response = _post(
        client, child, recipient=ngo.pk, given_by="legal_representative", representative=mother.pk,
        informed_how="orally", **_decisions(identity="given", health="given"),
    )  # fmt: skip

    assert response.status_code == 302
    consent = Consent.objects.get(category="identity")
    assert (consent.given_by, consent.representative) == ("legal_representative", mother)
    table = client.get(reverse("cases:victim_detail", args=[child.pk])).content.decode()
    assert mother.full_name in table.split('class="table compact consent-table"')[1]


def test_a_child_cannot_decide_alone_nor_the_body_while_a_representative_may_act(client_for, owner, child, mother, ngo):
    client = _in_russian(client_for(owner))

    alone = _post(
        client, child, recipient=ngo.pk, given_by="victim", informed_how="orally", **_decisions(identity="given")
    )
    body = _post(
        client, child, recipient=ngo.pk, given_by="child_protection_body", informed_how="orally",
        **_decisions(identity="given"),
    )  # fmt: skip
    nobody_named = _post(
        client, child, recipient=ngo.pk, given_by="legal_representative", informed_how="orally",
        **_decisions(identity="given"),
    )  # fmt: skip

    assert alone.status_code == 400 and "given_by" in alone.context["form"].errors
    assert body.status_code == 400
    assert "законный представитель" in str(body.context["form"].errors["given_by"]).lower()
    assert nobody_named.status_code == 400 and "representative" in nobody_named.context["form"].errors
    assert not Consent.objects.exists()


def test_a_representative_who_is_a_suspect_may_not_decide_the_child_protection_body_does(client_for, owner, child, ngo):
    father = case_services.legal_representative_add(
        victim=child, actor=owner, data={"full_name": "Токтогулов Бакыт", "relation": "father", "is_suspect": True}
    )
    client = _in_russian(client_for(owner))
    form = client.get(reverse("cases:victim_detail", args=[child.pk])).content.decode().split('id="consent-form"')[1]
    assert re.search(r'<input type="radio" name="given_by" value="child_protection_body"[^>]* checked', form)

    refused = _post(
        client, child, recipient=ngo.pk, given_by="legal_representative", representative=father.pk,
        informed_how="orally", **_decisions(identity="given"),
    )  # fmt: skip
    assert refused.status_code == 400
    assert "подозреваем" in str(refused.context["form"].errors["representative"]).lower()

    accepted = _post(
        client, child, recipient=ngo.pk, given_by="child_protection_body", informed_how="orally",
        **_decisions(identity="given"),
    )  # fmt: skip
    assert accepted.status_code == 302
    assert Consent.objects.get().given_by == "child_protection_body"


def test_only_this_childs_representatives_are_offered_and_accepted(client_for, owner, police_case, child, mother, ngo):
    sibling = case_services.victim_create(
        case=police_case, actor=owner, data={"last_name": "Токтогулов", "first_name": "Азамат", "approximate_age": 9}
    )
    aunt = case_services.legal_representative_add(
        victim=sibling, actor=owner, data={"full_name": "Жээнбекова Айгүл", "relation": "relative"}
    )
    client = client_for(owner)

    form = client.get(reverse("cases:victim_detail", args=[child.pk])).content.decode().split('id="consent-form"')[1]
    assert mother.full_name in form and aunt.full_name not in form
    response = _post(
        client, child, recipient=ngo.pk, given_by="legal_representative", representative=aunt.pk,
        informed_how="orally", **_decisions(identity="given"),
    )  # fmt: skip
    assert response.status_code == 400 and "representative" in response.context["form"].errors


def test_a_consent_that_no_longer_counts_is_marked(client_for, owner, child, mother, ngo):
    services.consent_record(
        victim=child, recipient=ngo, decisions={"identity": "given"}, given_by="legal_representative",
        representative=mother, informed_how="orally", actor=owner,
    )  # fmt: skip
    case_services.legal_representative_update(
        representative=mother, actor=owner, data={"is_suspect": True}, version=mother.version
    )

    page = client_for(owner).get(reverse("cases:victim_detail", args=[child.pk])).content.decode()

    table = page.split('class="table compact consent-table"')[1].split("</table>")[0]
    assert 'class="error"' in table  # "does not count: who decided may not decide for this person now"


# ---------------------------------------------------------------------------
# Changing one's mind: a later decision replaces, a withdrawal needs a note; both kept as history
# ---------------------------------------------------------------------------
def test_a_later_decision_replaces_the_standing_one_and_the_form_can_start_from_it(client_for, owner, adult, ngo):
    client = client_for(owner)
    _post(client, adult, recipient=ngo.pk, given_by="victim", informed_how="orally", **_decisions(identity="given"))

    prefilled = client.get(reverse("cases:victim_detail", args=[adult.pk]), {"consent_for": ngo.pk})
    form = prefilled.context.get("form")
    page = prefilled.content.decode().split('id="consent-form"')[1]
    assert f'value="{ngo.pk}" selected' in page
    assert form is None or form.is_bound is False

    _post(client, adult, recipient=ngo.pk, given_by="victim", informed_how="written", **_decisions(identity="refused"))

    assert _standing(adult) == {"identity": "refused"}
    history = client.get(reverse("cases:victim_detail", args=[adult.pk])).content.decode().split("consent-history")[1]
    assert "replaced by a later decision" in history


def test_a_consent_is_withdrawn_with_a_note_and_the_recipient_is_told(client_for, owner, adult, ngo, ngo_user):
    consent, *_ = services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "given"}, given_by="victim", informed_how="orally",
        actor=owner,
    )  # fmt: skip
    referral = services.referral_create(case=adult.case, recipient=ngo, actor=owner, victim=adult)
    services.referral_send(referral=referral, actor=owner)
    client = _in_russian(client_for(owner))
    url = reverse("referrals:consent_withdraw", args=[consent.pk])

    refused = client.post(url, {"note": ""})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert f'href="#consent-{consent.pk}-note"' in page and f'id="consent-{consent.pk}-note"' in page
    assert "<details open>" in page

    assert client.post(url, {"note": "Телефон аркылуу айтты"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawal_note == "Телефон аркылуу айтты"
    assert OutboxMessage.objects.filter(recipient=ngo_user, kind="consent_changed").exists()
    history = client.get(reverse("cases:victim_detail", args=[adult.pk])).content.decode().split("consent-history")[1]
    assert "Телефон аркылуу айтты" in history


# ---------------------------------------------------------------------------
# Who may
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["outsider", "colleague", "analyst", "ngo_user", "hotline"])
def test_who_does_not_work_the_case_neither_records_nor_withdraws_consent(
    who, request, client_for, owner, adult, ngo, district
):
    consent, *_ = services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "given"}, given_by="victim", informed_how="orally",
        actor=owner,
    )  # fmt: skip
    if who == "hotline":
        user = UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])
        case_services.case_grant_access(case=adult.case, grantee=user, actor=owner, can_change=True)
    else:
        user = request.getfixturevalue(who)
    client = client_for(user)

    recorded = _post(
        client, adult, recipient=ngo.pk, given_by="victim", informed_how="orally", **_decisions(health="given")
    )
    withdrawn = client.post(reverse("referrals:consent_withdraw", args=[consent.pk]), {"note": "Жок"})

    assert (recorded.status_code, withdrawn.status_code) == (404, 404)
    assert _standing(adult) == {"identity": "given"}


def test_a_reader_who_may_not_change_the_case_sees_the_decisions_but_no_form(client_for, owner, adult, ngo, district):
    reader = UserFactory(unit=district, roles=[Role.INSPECTOR])
    case_services.case_grant_access(case=adult.case, grantee=reader, actor=owner)
    services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "given"}, given_by="victim", informed_how="orally",
        actor=owner,
    )  # fmt: skip

    page = client_for(reader).get(reverse("cases:victim_detail", args=[adult.pk])).content.decode()

    assert 'class="table compact consent-table"' in page
    assert 'id="consent-form"' not in page
    assert reverse("referrals:consent_withdraw", args=[Consent.objects.get().pk]) not in page


def test_reading_the_decisions_is_part_of_the_logged_read_of_the_person(client_for, owner, adult, ngo):
    services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "given"}, given_by="victim", informed_how="orally",
        actor=owner,
    )  # fmt: skip
    client_for(owner).get(reverse("cases:victim_detail", args=[adult.pk]))

    assert PersonalDataAccess.objects.filter(user=owner, record_id=str(adult.pk), action="view").exists()
