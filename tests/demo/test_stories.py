"""The demo's stories (trafficking_cms/demo/): a working police district in two oblasts, loaded through the services
so that the data obeys the rules the pages enforce; every officer's first page after login shows real work."""

import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit, User
from accounts.roles import Role
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
from cases.selectors import access_log_visible_to, case_list_visible_to
from screening.models import Obligation, Screening
from screening.obligations import ScreeningContext, obligations_for, recomputed_for_incident, take_up_item
from screening.qualification import VERDICTS, qualify
from trafficking_cms.management.commands.seed_demo import DEMO_PASSWORD

# Roles whose people work on cases: their first page after login shows their work.
OFFICER_ROLES = {
    Role.INSPECTOR,
    Role.DUTY_OFFICER,
    Role.INVESTIGATOR,
    Role.KIB_OFFICER,
    Role.SUPERVISOR,
    Role.INTL_COOPERATION,
    Role.HOTLINE_OPERATOR,
}
CASE_LINK = re.compile(r'href="/cases/([0-9a-f-]{36})/"')
HISTORIES = [
    Case,
    Victim,
    LegalRepresentative,
    Suspect,
    ExploitationSite,
    Attachment,
    OfficerStep,
    Screening,
    Obligation,
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo as `make run` loads it, once for this module's tests (which only read it), rolled back after them."""
    base = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(BASE_DIR=base, MEDIA_ROOT=base / "media"),
        transaction.atomic(),
    ):
        patch.setenv("TESTING", "1")  # seed_demo refuses to run outside debug, demo or test mode
        call_command("seed_demo", stdout=io.StringIO())
        yield Demo(
            credentials=json.loads((base / "var" / "demo-credentials.json").read_text(encoding="utf-8")),
            media_root=base / "media",
        )
        transaction.set_rollback(True)


@dataclass(frozen=True)
class Demo:
    credentials: dict
    media_root: Path


@pytest.fixture
def seed(demo, db):
    """Each test reads the module's demo inside its own transaction; returns the credentials file seed_demo wrote."""
    return lambda: demo.credentials


def _cases_by_unit() -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in Case.objects.values_list("unit__code", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return counts


def test_demo_has_two_oblasts_of_two_districts_each_with_cases(seed):
    seed()
    counts = _cases_by_unit()
    oblasts = Unit.objects.filter(kind=Unit.Kind.OBLAST)
    assert oblasts.count() == 2
    for oblast in oblasts:
        districts = oblast.children.filter(kind=Unit.Kind.DISTRICT)
        assert districts.count() == 2, oblast.code
        for district in districts:
            assert counts.get(district.code, 0) >= 5, f"{district.code} has few cases"
    # The codes the browser tests, the README and outside tools know stay as they were.
    assert {"mvd", "chui", "alamudun", "sokuluk"} <= set(Unit.objects.values_list("code", flat=True))
    assert Unit.objects.get(code="alamudun").parent.code == "chui"


def test_demo_has_about_forty_cases_in_every_status_and_source(seed):
    seed()
    assert 35 <= Case.objects.count() <= 45
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert set(Case.objects.values_list("source", flat=True)) == set(Case.Source.values)
    registered = Case.objects.filter(status=Case.Status.REGISTERED)
    assert all(case.kbr_number and case.kbr_registered_at for case in registered)


def test_demo_has_adults_and_children_kyrgyz_and_foreign_women_and_men(seed):
    seed()
    victims = list(Victim.objects.select_related("case"))
    assert sum(v.is_child for v in victims) >= 6
    assert sum(not v.is_child for v in victims) >= 15
    assert sum(v.is_foreign for v in victims) >= 4
    assert {v.citizenship for v in victims if v.is_foreign} >= {"KZ", "UZ", "TJ"}
    assert {v.sex for v in victims} >= {"female", "male"}
    assert any(v.child_by_presumption for v in victims), "a child whose age is not yet known"
    assert Case.objects.filter(victims__isnull=True).exists(), "a fresh report with nobody recorded yet"
    assert LegalRepresentative.objects.filter(is_suspect=True).exists(), "a parent who is a suspect"


def test_demo_screenings_reach_every_verdict_as_the_engine_gives_it(seed):
    seed()
    screenings = list(Screening.objects.select_related("case"))
    assert {s.verdict for s in screenings} == set(VERDICTS)
    assert any("166.2.5" in s.articles for s in screenings)
    assert Screening.objects.values("case").distinct().count() >= 25
    for screening in screenings:
        result = qualify(screening.facts)
        assert (screening.verdict, screening.articles) == (result["verdict"], result["articles"])
        assert screening.victim is None or screening.victim.case_id == screening.case_id
    assert Case.objects.filter(screenings__isnull=True, victims__isnull=False).exists(), "a person not screened yet"


def test_demo_due_items_are_open_done_and_overdue_with_deadlines_the_rules_give(seed):
    seed()
    now = timezone.now()
    obligations = list(Obligation.objects.select_related("screening__victim", "case"))
    open_items = [o for o in obligations if o.status == Obligation.Status.OPEN]
    assert sum(o.due_at < now for o in open_items) >= 5, "overdue items"
    assert sum(o.due_at >= now for o in open_items) >= 5, "items still in time"
    assert sum(o.status == Obligation.Status.DONE for o in obligations) >= 10
    assert {o.code for o in obligations} >= {
        "refer_child_social_services", "notify_kib", "intl_cooperation_decision", "rapport_registration",
        "rapport_immediately", "health_information_72h", "protective_measures", "establish_means",
    }  # fmt: skip
    for obligation in obligations:
        screening = obligation.screening
        if screening is None:  # a 1899 call to take up: its deadline counts from the call
            call = obligation.case.hotline_call
            assert obligation.code == "take_up_report"
            assert obligation.due_at == take_up_item(call.received_at, call.urgency).due_at
            continue
        context = ScreeningContext(
            verdict=screening.verdict,
            child=screening.child,
            child_indicators=screening.child and bool(screening.indicators),
            foreign_victim=bool(screening.victim and screening.victim.is_foreign),
            violence_against_women=screening.violence_against_women,
            sexual_violence=screening.sexual_violence,
            high_risk=screening.high_risk,
            screened_at=screening.created_at,
            incident_at=obligation.case.incident_at,
            missing=tuple(screening.missing),
        )
        rule = recomputed_for_incident if obligation.deadline_rule == "hours_after_incident" else obligations_for
        due = {item.code: item for item in rule(context)}
        assert obligation.code in due, obligation.code
        assert (obligation.due_at, obligation.basis) == (due[obligation.code].due_at, due[obligation.code].basis)
        if obligation.status == Obligation.Status.DONE:
            assert screening.created_at <= obligation.done_at <= now
            assert obligation.done_by is not None


def test_demo_times_lie_in_the_past_in_the_order_of_the_work(seed):
    seed()
    now = timezone.now()
    for case in Case.objects.all():
        assert case.received_at <= case.created_at <= now
        assert case.incident_at is None or case.incident_at <= case.received_at
        first = case.history.earliest("history_date")
        assert (first.history_type, abs(first.history_date - case.created_at) < timedelta(seconds=1)) == ("+", True)
        for victim in case.victims.all():
            assert case.created_at <= victim.created_at <= now
        for step in case.steps.all():
            assert case.created_at <= step.done_at <= now
        for screening in case.screenings.all():
            assert case.created_at <= screening.created_at <= now
            if screening.victim:
                assert screening.victim.created_at <= screening.created_at
        if case.kbr_registered_at:
            assert case.received_at.date() <= case.kbr_registered_at <= timezone.localdate()
    for model in HISTORIES:
        dates = model.history.values_list("history_date", flat=True)
        assert max(dates) <= now, model.__name__
    assert Case.objects.filter(received_at__lt=now - timedelta(days=60)).exists(), "older, closed work too"
    assert Case.objects.filter(received_at__gt=now - timedelta(days=1)).exists(), "today's reports"


def test_demo_history_has_several_authors(seed):
    seed()
    authors = set()
    for model in HISTORIES:
        authors |= set(model.history.exclude(history_user=None).values_list("history_user__username", flat=True))
    assert len(authors) >= 10
    with_many_hands = [
        case
        for case in Case.objects.all()
        if len(
            set(case.history.values_list("history_user", flat=True))
            | set(case.steps.values_list("done_by", flat=True))
            | set(case.screenings.values_list("created_by", flat=True))
            | set(case.obligations.exclude(done_by=None).values_list("done_by", flat=True))
        )
        >= 3
    ]
    assert len(with_many_hands) >= 8


def test_demo_records_pass_their_validators_and_files_their_checksums(seed, demo, settings):
    seed()
    settings.MEDIA_ROOT = demo.media_root
    for model in (Case, Victim, LegalRepresentative, Suspect, ExploitationSite, OfficerStep):
        for record in model.objects.all():
            record.full_clean()
    attachments = list(Attachment.objects.all())
    assert len(attachments) >= 4
    assert {a.content_type for a in attachments} >= {"application/pdf", "image/png"}
    for attachment in attachments:
        attachment.full_clean()
        with attachment.file.open("rb") as stored:
            content = stored.read()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (attachment.size, attachment.sha256)


def test_heads_find_reads_of_personal_data_in_the_access_log(seed):
    seed()
    supervisor = User.objects.get(username="supervisor")
    rows = list(access_log_visible_to(user=supervisor).select_related("case"))
    assert len({row.user_id for row in rows}) >= 3
    for row in rows:
        assert row.case.received_at <= row.at <= timezone.now()
    assert PersonalDataAccess.objects.filter(action=PersonalDataAccess.Action.DUPLICATE_CHECK).exists()


def test_every_officer_signs_in_to_their_due_items_and_their_cases_are_one_click_away(seed, client):
    credentials = seed()
    officers = {entry["username"]: entry["role"] for entry in credentials["users"] if entry["role"] in OFFICER_ROLES}
    assert len(officers) >= 15
    first_pages = {Role.HOTLINE_OPERATOR: "referrals:hotline_calls", Role.INTL_COOPERATION: "referrals:inbox"}
    for username, role in sorted(officers.items()):
        client.logout()
        response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
        first_page = response.redirect_chain[-1][0]
        assert response.status_code == 200, username
        assert first_page == reverse(first_pages.get(role, "referrals:my_items")), (username, first_page)
        visible = {
            str(pk)
            for pk in case_list_visible_to(user=User.objects.get(username=username)).values_list("pk", flat=True)
        }
        assert set(CASE_LINK.findall(response.content.decode())) <= visible
        shown = set(CASE_LINK.findall(client.get(reverse("cases:list")).content.decode()))
        assert shown, f"{username} has an empty case list"
        assert shown <= visible


def test_every_inspector_has_assigned_cases_with_open_and_overdue_items(seed):
    credentials = seed()
    now = timezone.now()
    inspectors = {entry["username"] for entry in credentials["users"] if entry["role"] == Role.INSPECTOR}
    assert len(inspectors) >= 4
    for username in inspectors:
        items = Obligation.objects.filter(case__assigned_officer__username=username, status=Obligation.Status.OPEN)
        assert items.filter(due_at__lt=now).exists(), f"{username} has nothing overdue"
        assert items.filter(due_at__gte=now).exists(), f"{username} has nothing coming up"


def test_the_browser_tests_find_the_cases_they_rely_on(seed):
    seed()
    child = Victim.objects.get(last_name="Сыдыкова", first_name="Айпери")
    assert child.is_child and child.case.created_by.username == "inspector"
    assert child.case.screenings.get().verdict == "art_167"
    assert not child.case.obligations.filter(status=Obligation.Status.DONE).exists()
    foreign = Victim.objects.get(last_name="Нурланова", first_name="Алия")
    assert foreign.is_foreign and not foreign.is_child
    assert Case.objects.get(kbr_number="01-2026-004512") == foreign.case
    inspector_cases = case_list_visible_to(user=User.objects.get(username="inspector"))
    assert inspector_cases.filter(status=Case.Status.REGISTERED).count() == 1  # the status filter finds one row
    assert inspector_cases.count() <= 25, "one page of the list"
    newest = inspector_cases.order_by("-received_at").first()
    assert newest.status == Case.Status.NEW and newest.created_by.username == "hotline"
    assert Case.objects.filter(unit__code__in=["alamudun", "sokuluk"]).count() <= 25  # the oblast head's first page


# -- the referral mechanism -------------------------------------------------------------------------------------------
def test_demo_has_referrals_in_every_state_and_consents_with_withdrawals(seed):
    from referrals.models import Consent, Referral
    from referrals.sharing import referral_payload

    seed()
    states = set(Referral.objects.values_list("status", flat=True))
    assert states == set(Referral.Status.values)
    withdrawn = Consent.objects.filter(withdrawn_at__isnull=False)
    assert withdrawn.exists() and Consent.objects.filter(withdrawn_at__isnull=True, decision="given").exists()
    assert Consent.objects.filter(decision="refused").exists()
    assert all(
        c.given_by == "legal_representative" for c in Consent.objects.filter(victim__date_of_birth__isnull=False)
    )
    # the NGO of a referral with a withdrawn consent no longer receives that category
    washer = withdrawn.filter(category="contacts", recipient__organisation__code="demo-ngo-a").get()
    referral = Referral.objects.get(victim=washer.victim, recipient=washer.recipient)
    payload = referral_payload(referral)
    assert "contacts" not in payload and "identity" in payload


def test_demo_has_two_ngos_with_users_and_a_directory_for_both_oblasts(seed):
    from accounts.models import Organisation
    from referrals.models import Recipient

    seed()
    for code, username in (("demo-ngo-a", "ngo"), ("demo-ngo-b", "ngo_b")):
        organisation = Organisation.objects.get(code=code)
        assert User.objects.get(username=username).organisation == organisation
        assert organisation.recipient.referrals.exclude(status="draft").exists()
    for oblast in ("chui", "osh"):
        kinds = set(Recipient.objects.filter(region__code=oblast, active=True).values_list("kind", flat=True))
        assert {"social_protection", "child_protection", "health"} <= kinds
    assert Recipient.objects.filter(kind="duty_unit").count() == Unit.objects.filter(kind="district").count()
    assert Recipient.objects.filter(active=False).exists()


def test_the_1899_desk_has_a_call_waiting_and_one_whose_case_was_registered(seed):
    from referrals.models import HotlineCall

    seed()
    calls = list(HotlineCall.objects.select_related("case"))
    assert any(call.case.kbr_number and call.closed_at for call in calls)
    waiting = [call for call in calls if call.closed_at is None]
    assert waiting and Obligation.objects.filter(case=waiting[0].case, code="take_up_report", status="open").exists()


def test_the_demo_has_a_registered_rapport_with_its_pdfs_and_one_waiting_for_the_head(seed):
    from reports.models import Rapport, RapportPdf

    seed()
    registered = Rapport.objects.select_related("case").get(status=Rapport.Status.REGISTERED)
    assert registered.item_missing() == [] and registered.sites_unknown  # complete, one item marked not known
    assert registered.approved_by.username == "supervisor" and registered.officer.username == "investigator"
    assert registered.case.kbr_number == registered.kbr_number and registered.case.status == Case.Status.REGISTERED
    assert registered.rapport_date <= registered.kbr_registered_at < timezone.localdate()
    assert not Obligation.objects.filter(case=registered.case, code="rapport_registration", status="open").exists()
    # both PDFs asked for once the story's dates were set: rendered into MEDIA_ROOT when the demo commits (make run;
    # tests/e2e/test_rapport_flows.py downloads one)
    assert sorted(RapportPdf.objects.filter(rapport=registered).values_list("language", flat=True)) == ["ky", "ru"]

    waiting = Rapport.objects.get(status=Rapport.Status.SUBMITTED)
    assert waiting.addressee.username == "supervisor" and waiting.item_missing() == []
    assert waiting.submitted_at < timezone.now() - timedelta(hours=5)


def test_every_demo_officer_has_a_position_and_rank_in_russian_too(seed):
    seed()
    for user in User.objects.exclude(username="admin").exclude(position=""):
        assert user.position_ru, user.username
        assert bool(user.rank_ru) == bool(user.rank), user.username
