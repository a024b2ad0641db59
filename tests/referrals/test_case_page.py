"""Referrals on the case page: the panel (what each recipient sees, the state in a word, the buttons its state allows
for those who work the case), send / withdraw / reopen with a reason, and the new-referral page with the directory of
the case's region; a due item whose referral nobody drafted links to it."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import OutboxMessage
from accounts.roles import Role
from cases import services as case_services
from referrals import services
from referrals.models import Consent, Recipient, Referral
from screening.models import Obligation
from screening.services import screening_record
from tests.factories import UserFactory

from .conftest import organisation_recipient

pytestmark = pytest.mark.django_db

CHILD_FACTS = {"victim_age": 14, "acts": ["recruitment"], "purposes": ["forced_labour"]}


def _page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _in_russian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    return client


@pytest.fixture
def draft(police_case, adult, ngo, owner):
    return services.referral_create(
        case=police_case, recipient=ngo, actor=owner, victim=adult, services=["shelter", "legal"]
    )


@pytest.fixture
def far_ngo(far_district):
    """An NGO of another oblast (Osh): not in the Chui case's directory unless the whole country is asked for."""
    return organisation_recipient("«Ош аялдары» борбору", Recipient.Kind.NGO, region=far_district.parent)


# ---------------------------------------------------------------------------
# The panel
# ---------------------------------------------------------------------------
def test_the_panel_lists_each_referral_with_its_state_in_a_word_and_what_the_recipient_sees(
    client_for, owner, police_case, adult, ngo, draft
):
    services.consent_record(
        victim=adult, recipient=ngo, decisions={"identity": "given", "health": "refused"}, given_by="victim",
        informed_how="orally", actor=owner,
    )  # fmt: skip

    page = _page(_in_russian(client_for(owner)), police_case)

    assert 'id="referrals"' in page and ngo.display_name in page
    assert "Черновик" in page  # the state as a word
    assert "Приют, временное размещение" in page  # the services asked for
    assert "личность" in page and "здоровье" not in page.split('class="shared"')[1].split("</dd>")[0]
    assert reverse("referrals:send", args=[draft.pk]) in page
    assert reverse("referrals:withdraw", args=[draft.pk]) in page
    assert reverse("referrals:new", args=[police_case.pk]) in page


def test_an_analyst_granted_the_case_sees_the_referral_but_no_person_no_reason_and_no_button(
    client_for, analyst, owner, police_case, adult, draft
):
    services.referral_withdraw(referral=draft, actor=owner, reason="Асанова Айжан баш тартты")
    case_services.case_grant_access(case=police_case, grantee=analyst, actor=owner)

    page = _page(client_for(analyst), police_case)

    assert f'id="referral-{draft.pk}"' in page
    assert "Асанова" not in page and "А. А." not in page
    assert reverse("referrals:reopen", args=[draft.pk]) not in page
    assert reverse("referrals:new", args=[police_case.pk]) not in page


# ---------------------------------------------------------------------------
# Send, withdraw, reopen
# ---------------------------------------------------------------------------
def test_sending_a_draft_tells_the_ngo_and_lands_on_the_panel(client_for, owner, draft, ngo_user):
    response = client_for(owner).post(reverse("referrals:send", args=[draft.pk]))

    assert response.status_code == 302 and response["Location"].endswith("#referrals")
    draft.refresh_from_db()
    assert draft.status == Referral.Status.SENT
    assert OutboxMessage.objects.filter(recipient=ngo_user, kind="referral_received").exists()


def test_a_withdrawal_without_a_reason_is_refused_beside_the_referral_in_the_users_language(client_for, owner, draft):
    client = _in_russian(client_for(owner))

    response = client.post(reverse("referrals:withdraw", args=[draft.pk]), {"reason": "  "})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page and f'href="#referral-{draft.pk}-reason"' in page
    assert f'id="referral-{draft.pk}-reason"' in page
    assert "Обязательное поле" in page or "Укажите причину" in page
    draft.refresh_from_db()
    assert draft.status == Referral.Status.DRAFT


def test_a_sent_referral_is_withdrawn_with_a_reason_and_reopened_as_a_draft_with_another(
    client_for, owner, draft, ngo_user
):
    services.referral_send(referral=draft, actor=owner)
    client = client_for(owner)

    assert client.post(reverse("referrals:withdraw", args=[draft.pk]), {"reason": "Үй-бүлөсүнө кайтты"}).status_code
    draft.refresh_from_db()
    assert (draft.status, draft.reason) == (Referral.Status.WITHDRAWN, "Үй-бүлөсүнө кайтты")
    assert OutboxMessage.objects.filter(recipient=ngo_user, kind="referral_withdrawn").exists()
    assert reverse("referrals:reopen", args=[draft.pk]) in _page(client, draft.case)

    client.post(reverse("referrals:reopen", args=[draft.pk]), {"reason": "Кайра кайрылды"})
    draft.refresh_from_db()
    assert (draft.status, draft.reason) == (Referral.Status.DRAFT, "Кайра кайрылды")


def test_a_closed_referral_reopens_in_service_and_the_ngo_is_told(client_for, owner, draft, ngo_user):
    services.referral_send(referral=draft, actor=owner)
    services.referral_accept(referral=draft, actor=ngo_user)
    services.referral_record_service(referral=draft, actor=ngo_user, service="shelter", close=True)

    response = client_for(owner).post(reverse("referrals:reopen", args=[draft.pk]), {"reason": "Дагы жардам керек"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Referral.Status.IN_SERVICE and draft.closed_at is None
    assert OutboxMessage.objects.filter(recipient=ngo_user, kind="referral_reopened").exists()


def test_a_change_refused_by_the_state_is_said_not_crashed(client_for, owner, draft):
    services.referral_withdraw(referral=draft, actor=owner, reason="Эки жолу")

    response = client_for(owner).post(reverse("referrals:send", args=[draft.pk]), follow=True)

    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    draft.refresh_from_db()
    assert draft.status == Referral.Status.WITHDRAWN


@pytest.mark.parametrize("who", ["outsider", "colleague", "analyst", "ngo_user", "hotline"])
@pytest.mark.parametrize("action", ["send", "withdraw", "reopen"])
def test_anyone_who_does_not_work_the_case_gets_404(who, action, request, client_for, owner, draft, district):
    if who == "hotline":
        user = UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])
        case_services.case_grant_access(case=draft.case, grantee=user, actor=owner, can_change=True)
    else:
        user = request.getfixturevalue(who)
    if action == "reopen":
        draft = services.referral_withdraw(referral=draft, actor=owner, reason="Эки жолу")

    response = client_for(user).post(reverse(f"referrals:{action}", args=[draft.pk]), {"reason": "Себеп"})

    assert response.status_code == 404
    assert Referral.objects.get(pk=draft.pk).status == draft.status


def test_the_head_of_the_unit_works_the_referrals_of_its_cases(client_for, supervisor, draft):
    response = client_for(supervisor).post(reverse("referrals:send", args=[draft.pk]))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Referral.Status.SENT


def test_a_referral_of_a_closed_case_is_not_changed(client_for, owner, draft):
    case_services.case_close(case=draft.case, actor=owner, reason="Кылмыш белгилери жок")

    assert client_for(owner).post(reverse("referrals:send", args=[draft.pk])).status_code == 404


# ---------------------------------------------------------------------------
# A new referral
# ---------------------------------------------------------------------------
def test_the_new_referral_page_offers_the_organisations_of_the_case_region_and_the_whole_country(
    client_for, owner, police_case, adult, ngo, other_ngo, far_ngo, kib_officer
):
    services.internal_recipients_ensure()
    client = client_for(owner)

    page = client.get(reverse("referrals:new", args=[police_case.pk])).content.decode()

    assert ngo.display_name in page and other_ngo.display_name in page
    assert far_ngo.display_name not in page
    assert "КИБ" not in page.split('id="id_recipient"')[1].split("</fieldset>")[0]  # police units are not offered
    everywhere = client.get(reverse("referrals:new", args=[police_case.pk]), {"everywhere": "1"}).content.decode()
    assert far_ngo.display_name in everywhere


def test_a_new_referral_is_kept_as_a_draft_or_sent_at_once(client_for, owner, police_case, adult, ngo, ngo_user):
    client = client_for(owner)
    url = reverse("referrals:new", args=[police_case.pk])
    data = {"recipient": ngo.pk, "victim": adult.pk, "services": ["shelter", "psychological"], "message": "Шашылыш"}

    assert client.post(url, {**data, "draft": "1"}).status_code == 302
    draft = Referral.objects.get()
    assert (draft.status, draft.services, draft.message, draft.created_by) == (
        "draft", ["shelter", "psychological"], "Шашылыш", owner,
    )  # fmt: skip

    response = client.post(url, {**data, "send": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#referrals")
    sent = Referral.objects.exclude(pk=draft.pk).get()
    assert sent.status == "sent"
    assert OutboxMessage.objects.filter(recipient=ngo_user, kind="referral_received").count() == 1


def test_a_new_referral_needs_a_recipient_and_the_person_and_says_so(client_for, owner, police_case, adult, ngo):
    client = _in_russian(client_for(owner))

    response = client.post(reverse("referrals:new", args=[police_case.pk]), {"send": "1"})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"recipient", "victim"}
    assert "Обязательное поле" in str(errors["recipient"])
    assert not Referral.objects.exists()


def test_a_police_unit_or_another_cases_person_is_refused(client_for, owner, police_case, adult, district):
    services.internal_recipients_ensure()
    kib = Recipient.objects.get(unit=district, kind="kib")
    other_case = case_services.case_create(actor=owner, data={"source": "citizen"})
    stranger = case_services.victim_create(case=other_case, actor=owner, data={"last_name": "Бекова"})

    response = client_for(owner).post(
        reverse("referrals:new", args=[police_case.pk]), {"recipient": kib.pk, "victim": stranger.pk, "send": "1"}
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"recipient", "victim"}


@pytest.mark.parametrize("who", ["outsider", "colleague", "analyst", "ngo_user"])
def test_the_new_referral_page_answers_404_to_who_does_not_work_the_case(who, request, client_for, police_case, ngo):
    client = client_for(request.getfixturevalue(who))
    url = reverse("referrals:new", args=[police_case.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"recipient": ngo.pk, "send": "1"}).status_code == 404
    assert not Referral.objects.exists()


def test_a_due_item_whose_referral_nobody_drafted_links_to_a_new_one_preselected(
    client_for, owner, police_case, child, oblast
):
    screening = screening_record(case=police_case, actor=owner, victim=child, facts=CHILD_FACTS, indicators=["held"])
    inform_ngo = screening.obligations.get(code="inform_ngo")
    assert not Referral.objects.exists()  # the directory has no NGO: nothing drafted
    client = client_for(owner)
    link = f"{reverse('referrals:new', args=[police_case.pk])}?obligation={inform_ngo.pk}"
    assert link in _page(client, police_case)

    ngo = organisation_recipient("«Ишеним» кризистик борбору", Recipient.Kind.CRISIS_CENTRE, region=oblast)
    page = client.get(link)
    form = page.context["form"]
    assert form.initial["recipient"] == ngo.pk and form.initial["victim"] == child.pk
    assert form.initial["services"] == ["shelter", "psychological", "legal"]

    client.post(link, {"recipient": ngo.pk, "victim": child.pk, "services": ["shelter"], "send": "1"})

    referral = Referral.objects.get()
    assert (referral.obligation, referral.rule, referral.due_at) == (inform_ngo, "inform_ngo", inform_ngo.due_at)
    inform_ngo.refresh_from_db()
    assert inform_ngo.status == Obligation.Status.DONE  # sending it did the item
    assert link not in _page(client, police_case)


def test_a_due_item_with_a_drafted_referral_offers_no_link(client_for, owner, police_case, child, ngo):
    screening = screening_record(case=police_case, actor=owner, victim=child, facts=CHILD_FACTS, indicators=["held"])
    inform_ngo = screening.obligations.get(code="inform_ngo")
    assert inform_ngo.referrals.get().recipient == ngo  # drafted by the routing rule

    page = _page(client_for(owner), police_case)

    assert f"?obligation={inform_ngo.pk}" not in page


def test_an_unknown_or_foreign_obligation_in_the_link_is_ignored(client_for, owner, police_case, adult, ngo):
    client = client_for(owner)
    url = reverse("referrals:new", args=[police_case.pk])

    for value in ("nonsense", "00000000-0000-0000-0000-000000000000", "\x00"):
        response = client.get(url, {"obligation": value})
        assert response.status_code == 200 and response.context["obligation"] is None


def test_consent_decides_what_the_recipient_of_a_new_referral_will_see(client_for, owner, police_case, adult, ngo):
    services.consent_record(
        victim=adult, recipient=ngo, decisions={"contacts": "given"}, given_by="victim",
        informed_how=Consent.Informed.WRITTEN, actor=owner,
    )  # fmt: skip
    client = client_for(owner)
    client.post(reverse("referrals:new", args=[police_case.pk]), {"recipient": ngo.pk, "victim": adult.pk, "draft": 1})

    shared = _page(_in_russian(client), police_case).split('class="shared"')[1].split("</dd>")[0]

    assert "контакты" in shared and "личность" not in shared
