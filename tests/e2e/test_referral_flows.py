"""Referrals in a real browser, with the demo users: (a) the inspector screens a child with indicators, the КИБ officer
and the duty officer each find their notice and the item on the case page, the inspector records the legal
representative's consent for the NGO and sends the referral drafted for it, and the NGO sees the notice and the
referral with only the consented data; (b) the NGO accepts a referral and records a service, the inspector sees it on
the case, and the head sees it counted on the dashboard.

The demo's directory of recipients is built by the test (another part of the demo adds its own): the demo NGO («Ишеним»)
serving Chui oblast, and a social-protection body. Checks rest on ids, URLs, data attributes and the database; the
screenshots under test-results/e2e/ are for looking at.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Notification, User
from cases import services as case_services
from cases.models import Case
from referrals import services as referral_services
from referrals.models import Consent, Recipient, Referral
from screening.models import Obligation

pytestmark = pytest.mark.browser


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _directory() -> tuple[Recipient, Recipient]:
    """The demo's crisis centre serving Chui oblast (`demo-ngo-a`), and Chui's social-protection body."""
    ngo = Recipient.objects.get(organisation__code="demo-ngo-a")
    social = Recipient.objects.get(organisation__code="chui-social")
    return ngo, social


def _child_case(inspector: User, *, last_name: str) -> tuple[Case, object, object]:
    """A new case of the inspector's with a 14-year-old girl and her mother, the legal representative."""
    case = case_services.case_create(
        actor=inspector,
        data={
            "source": Case.Source.CITIZEN,
            "received_at": timezone.now() - timedelta(hours=2),
            "incident_at": timezone.now() - timedelta(days=3),
            "incident_place": "Аламүдүн району, Лебединовка айылы",
            "summary": "Кызды Казакстанга базарда иштетүү үчүн алып кетишкен.",
        },
    )
    child = case_services.victim_create(
        case=case, actor=inspector,
        data={"last_name": last_name, "first_name": "Айзада", "sex": "female", "citizenship": "KG",
              "date_of_birth": timezone.localdate() - timedelta(days=14 * 366), "phone": "+996 555 12 34 56",
              "residence_address": "Лебединовка айылы, Садовая 14"},
    )  # fmt: skip
    mother = case_services.legal_representative_add(
        victim=child, actor=inspector, data={"full_name": f"{last_name} Гүлнара", "relation": "mother"}
    )
    return case, child, mother


def test_a_childs_screening_reaches_the_kib_and_the_duty_officer_and_the_consented_referral_reaches_the_ngo(
    login, new_context, shot, demo_data
):
    ngo, social = _directory()
    inspector = User.objects.get(username="inspector")
    case, child, mother = _child_case(inspector, last_name="Бекмуратова")
    base = demo_data.url

    # the inspector screens the girl: recruited for forced labour, held against her will (Art. 167)
    page = login(new_context().new_page(), "inspector")
    page.goto(f"{base}/cases/victims/{child.pk}/")
    _go(page, "#main-action")  # "Screen now"
    page.click(".stepper [data-step='2']")
    with page.expect_response(lambda r: r.url.endswith("/preview/")):
        page.check("#id_child_indicators_held_against_will")
    page.click(".stepper [data-step='4']")
    with page.expect_response(lambda r: r.url.endswith("/preview/")):
        page.check("#id_acts_recruitment")
    with page.expect_response(lambda r: r.url.endswith("/preview/")):
        page.check("#id_purposes_forced_labour")
    shot(page, "40-referrals-a-00-wizard-child-with-indicators")
    page.click(".stepper [data-step='6']")
    _go(page, "#save-screening")
    codes = set(case.obligations.values_list("code", flat=True))
    assert {"notify_kib", "notify_duty_officer", "inform_ngo", "refer_child_social_services"} <= codes
    ngo_referral = Referral.objects.get(case=case, recipient=ngo)
    assert ngo_referral.status == "draft" and Referral.objects.get(case=case, recipient=social).status == "draft"
    panel = page.locator("#referrals")
    expect(panel.locator(f"#referral-{ngo_referral.pk}[data-status=draft]")).to_be_visible()
    page.locator("#referrals").scroll_into_view_if_needed()
    shot(page, "40-referrals-a-01-screened-two-referrals-drafted")

    # the КИБ officer and the duty officer: the notice in the notification centre, the item on the case page
    for username, code in (("kib_officer", "notify_kib"), ("duty_officer", "notify_duty_officer")):
        officer = new_context().new_page()
        login(officer, username)
        expect(officer.locator(".mainnav a[href='/notifications/'] .badge-alert")).to_be_visible()  # the unread count
        _go(officer, ".mainnav a[href$='/notifications/']")
        notice = officer.locator(f"ul.list li a[href$='/cases/{case.pk}/']", has_text=case.number)
        expect(notice).to_have_count(1)
        shot(officer, f"40-referrals-a-02-{username}-notification-centre")
        with officer.expect_navigation():
            notice.click()
        item = Obligation.objects.get(case=case, code=code)
        expect(officer.locator(f"#obligations form[action$='/screening/obligations/{item.pk}/done/']")).to_have_count(1)
        officer.locator("#obligations").scroll_into_view_if_needed()
        shot(officer, f"40-referrals-a-03-{username}-case-page-item")
        officer.context.close()

    # the inspector records the mother's consent for the NGO: identity, contacts and case facts; not where she lives
    page.goto(f"{base}/cases/victims/{child.pk}/?consent_for={ngo.pk}#consent-form")
    form = page.locator("#consent-form")
    expect(form.locator("input[name=given_by][value=victim]")).to_have_count(0)  # a child does not decide alone
    for category, decision in (("identity", "given"), ("contacts", "given"), ("whereabouts", "refused"),
                               ("health", "refused"), ("case_facts", "given")):  # fmt: skip
        form.locator(f"input[name=category_{category}][value={decision}]").check()
    form.locator("input[name=given_by][value=legal_representative]").check()
    form.locator("#id_representative").select_option(str(mother.pk))
    form.locator("#id_informed_how").select_option("orally")
    shot(page, "40-referrals-a-04-consent-form-child")
    _go(page, "#consent-form button[type=submit]")
    standing = dict(Consent.objects.filter(victim=child, withdrawn_at__isnull=True).values_list("category", "decision"))
    assert standing == {
        "identity": "given", "contacts": "given", "whereabouts": "refused", "health": "refused", "case_facts": "given",
    }  # fmt: skip
    table = page.locator(f"table.consent-table[data-recipient='{ngo.pk}']")
    expect(table.locator("tr[data-category=whereabouts][data-decision=refused]")).to_have_count(1)
    expect(table).to_contain_text(mother.full_name)
    page.locator("#consent").scroll_into_view_if_needed()
    shot(page, "40-referrals-a-05-consent-recorded")

    # … and sends the NGO's referral from the case page
    page.goto(f"{base}/cases/{case.pk}/#referrals")
    _go(page, f"form[action$='/referrals/{ngo_referral.pk}/send/'] button")
    ngo_referral.refresh_from_db()
    assert ngo_referral.status == "sent"
    assert Obligation.objects.get(case=case, code="inform_ngo").status == Obligation.Status.DONE
    expect(page.locator(f"#referral-{ngo_referral.pk}[data-status=sent]")).to_be_visible()
    page.locator("#referrals").scroll_into_view_if_needed()
    shot(page, "40-referrals-a-06-ngo-referral-sent")

    # the NGO: the notice, then the referral with only what the mother agreed to share
    ngo_page = login(new_context().new_page(), "ngo")
    assert Notification.objects.filter(recipient__username="ngo", kind="referral_received").exists()
    _go(ngo_page, ".mainnav a[href$='/notifications/']")
    notice = ngo_page.locator(f"ul.list li a[href$='/referrals/inbox/{ngo_referral.pk}/']", has_text=case.number)
    expect(notice).to_have_count(1)
    shot(ngo_page, "40-referrals-a-07-ngo-notification")
    with ngo_page.expect_navigation():
        notice.click()
    expect(ngo_page.locator("section[aria-labelledby=section-identity]")).to_contain_text("Бекмуратова")
    expect(ngo_page.locator("section[aria-labelledby=section-contacts]")).to_contain_text("+996 555 12 34 56")
    expect(ngo_page.locator("section[aria-labelledby=section-whereabouts]")).to_have_count(0)
    expect(ngo_page.locator("section[aria-labelledby=section-health]")).to_have_count(0)
    assert "Садовая" not in ngo_page.content()
    expect(ngo_page.locator("#withheld-head")).to_be_visible()
    shot(ngo_page, "40-referrals-a-08-ngo-sees-the-consented-data")


def test_the_ngo_accepts_a_referral_and_records_a_service_and_the_head_sees_it_counted(
    login, new_context, shot, demo_data
):
    ngo, _social = _directory()
    inspector = User.objects.get(username="inspector")
    case, child, mother = _child_case(inspector, last_name="Садыкова")
    referral_services.consent_record(
        victim=child, recipient=ngo, decisions={"identity": "given", "case_facts": "given"},
        given_by="legal_representative", representative=mother, informed_how="orally", actor=inspector,
    )  # fmt: skip
    referral = referral_services.referral_create(
        case=case, recipient=ngo, actor=inspector, victim=child, services=["shelter", "psychological"],
        message="Кыз азырынча энесинде, баш калка керек.", due_at=timezone.now() + timedelta(hours=20),
    )  # fmt: skip
    referral_services.referral_send(referral=referral, actor=inspector)
    base = demo_data.url

    page = login(new_context().new_page(), "ngo")
    page.goto(f"{base}/referrals/inbox/")
    shot(page, "41-referrals-b-01-ngo-inbox")
    _go(page, f"a[href$='/referrals/inbox/{referral.pk}/']")
    shot(page, "41-referrals-b-02-ngo-referral-to-answer")
    _go(page, f"form[action$='/referrals/inbox/{referral.pk}/accept/'] button")
    referral.refresh_from_db()
    assert referral.status == "accepted"
    page.select_option("#id_service", "shelter")
    page.fill("#id_note", "Кризистик борбордо жайгаштырылды.")
    shot(page, "41-referrals-b-03-ngo-records-a-service")
    _go(page, f"form[action$='/referrals/inbox/{referral.pk}/service/'] button")
    referral.refresh_from_db()
    assert referral.status == "in_service" and referral.updates.get().service == "shelter"
    expect(page.locator("#updates-head")).to_be_visible()
    shot(page, "41-referrals-b-04-ngo-service-recorded")

    # the inspector is told, and sees the service on the case
    officer = login(new_context().new_page(), "inspector")
    assert Notification.objects.filter(recipient=inspector, kind="referral_service").exists()
    officer.goto(f"{base}/cases/{case.pk}/#referrals")
    item = officer.locator(f"#referral-{referral.pk}[data-status=in_service]")
    expect(item).to_contain_text("Кризистик борбордо жайгаштырылды.")
    item.scroll_into_view_if_needed()
    shot(officer, "41-referrals-b-05-inspector-sees-the-service")

    # the head: the dashboard counts it, and the count opens the list
    head = login(new_context().new_page(), "supervisor")
    _go(head, ".mainnav a[href$='/referrals/']")
    _go(head, "a.button[href$='/referrals/dashboard/']")
    in_service = head.locator("#by-state li[data-status=in_service]")
    expect(in_service.locator(".count")).not_to_have_text("0")
    shot(head, "41-referrals-b-06-head-dashboard")
    _go(head, "#by-state li[data-status=in_service] a")
    expect(head.locator(f"tr[data-referral='{referral.pk}']")).to_have_count(1)
    assert "Садыкова" not in head.content()
    shot(head, "41-referrals-b-07-head-list-in-service")
