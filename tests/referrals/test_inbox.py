"""The recipient's inbox in the browser: NGO staff see their organisation's referrals, reduced by consent and
agreement, and answer them; anyone else gets 404."""

import pytest
from django.urls import reverse

from cases.models import PersonalDataAccess
from referrals import services
from referrals.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(police_case, adult, ngo, owner):
    services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "given", "whereabouts": "refused"}, given_by="victim",
        informed_how=Consent.Informed.ORALLY, actor=owner,
    )  # fmt: skip
    referral = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)
    return services.referral_send(referral=referral, actor=owner)


def test_the_ngo_sees_its_referral_with_what_the_person_agreed_to_share_and_the_read_is_logged(
    client_for, ngo_user, sent
):
    client = client_for(ngo_user)
    listing = client.get(reverse("referrals:inbox")).content.decode()
    assert sent.case.number in listing

    page = client.get(reverse("referrals:inbox_detail", args=[sent.pk])).content.decode()

    assert "Асанова" in page  # identity: agreed
    assert "Ахунбаев" not in page and "+996 700 11 22 33" not in page  # whereabouts refused, contacts not asked
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.record_id, log.action) == (ngo_user, str(sent.victim_id), "view")


def test_another_ngo_gets_404_and_sees_an_empty_inbox(client_for, other_ngo_user, sent):
    client = client_for(other_ngo_user)

    assert client.get(reverse("referrals:inbox_detail", args=[sent.pk])).status_code == 404
    assert client.post(reverse("referrals:inbox_accept", args=[sent.pk])).status_code == 404
    assert sent.case.number not in client.get(reverse("referrals:inbox")).content.decode()
    assert not PersonalDataAccess.objects.exclude(action="denied").exists()  # no read; each refusal is logged
    assert PersonalDataAccess.objects.filter(action="denied").count() == 2


@pytest.mark.parametrize("who", ["owner", "analyst", "supervisor", "outsider"])
def test_police_and_analysts_do_not_answer_for_the_ngo(who, request, client_for, sent):
    client = client_for(request.getfixturevalue(who))

    assert client.get(reverse("referrals:inbox_detail", args=[sent.pk])).status_code == 404
    assert client.post(reverse("referrals:inbox_accept", args=[sent.pk])).status_code == 404


def test_a_draft_is_not_in_the_inbox(client_for, ngo_user, police_case, adult, ngo, owner):
    draft = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)

    client = client_for(ngo_user)
    assert client.get(reverse("referrals:inbox_detail", args=[draft.pk])).status_code == 404


def test_the_ngo_accepts_and_records_a_service(client_for, ngo_user, sent):
    client = client_for(ngo_user)

    client.post(reverse("referrals:inbox_accept", args=[sent.pk]))
    response = client.post(
        reverse("referrals:inbox_service", args=[sent.pk]), {"service": "shelter", "given_on": "2026-11-29", "note": ""}
    )

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == "in_service" and sent.updates.get().service == "shelter"


def test_a_decline_without_a_reason_is_refused_in_the_users_language(client_for, ngo_user, sent):
    client = client_for(ngo_user)
    client.post(reverse("set_language"), {"language": "ru"})

    response = client.post(reverse("referrals:inbox_decline", args=[sent.pk]), {"reason": ""})

    assert response.status_code == 400
    assert "Обязательное поле" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_a_status_filter_with_a_hostile_value_is_ignored(client_for, ngo_user, sent):
    response = client_for(ngo_user).get(reverse("referrals:inbox"), {"status": "sent\x00\u202e"})

    assert response.status_code == 200 and sent.case.number in response.content.decode()


def test_an_analyst_or_police_officer_has_an_empty_inbox_page_not_an_error(client_for, analyst, sent):
    response = client_for(analyst).get(reverse("referrals:inbox"))

    assert response.status_code == 200 and sent.case.number not in response.content.decode()


def test_a_case_granted_to_a_worker_of_another_ngo_does_not_open_the_referral(client_for, other_ngo_user, sent, owner):
    from cases.services import case_grant_access

    case_grant_access(case=sent.case, grantee=other_ngo_user, actor=owner, can_change=True)
    client = client_for(other_ngo_user)

    assert client.get(reverse("referrals:inbox_detail", args=[sent.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exclude(action="denied").exists()  # no read; each refusal is logged
    assert PersonalDataAccess.objects.filter(action="denied", record_type="referral").count() == 1


def test_an_analyst_with_a_grant_sees_no_referral_of_the_case(client_for, analyst, sent, owner):
    from cases.services import case_grant_access

    case_grant_access(case=sent.case, grantee=analyst, actor=owner)

    assert client_for(analyst).get(reverse("referrals:inbox_detail", args=[sent.pk])).status_code == 404
