"""The screening wizard, its live preview, the screening page, the obligations and the officer's steps, through URLs."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import override

from cases.models import OfficerStep
from screening.labels import OBLIGATION_LABELS
from screening.models import Obligation, Screening
from screening.services import screening_record
from tests.cases.test_views_cases import edit_data
from tests.factories import CaseFactory, VictimFactory

pytestmark = pytest.mark.django_db

BISHKEK = ZoneInfo("Asia/Bishkek")
INCIDENT = datetime(2025, 3, 1, 14, 0, tzinfo=BISHKEK)
ACT_DATE = "2025-03-01"
BORN_16_YEARS_BEFORE = date(2008, 6, 1)  # 16 at the act
BORN_ADULT = date(1990, 5, 5)
PROJECT_POLICY_CODES = {
    "refer_child_social_services",
    "notify_kib",  # the handbook says "at the same time" as the referral, whose deadline is project policy
    "notify_duty_officer",
    "inform_ngo",
    "intl_cooperation_decision",
    "rapport_registration",  # the law says "without delay"; the hours are project policy
}
CHILD_FACTS = {"act_date": ACT_DATE, "victim_age": 15, "acts": ["recruitment"], "purposes": ["sexual_exploitation"]}
ADULT_FACTS = {
    "act_date": ACT_DATE,
    "victim_age": 30,
    "acts": ["recruitment"],
    "means": ["deception"],
    "purposes": ["forced_labour"],
}
HTMX = {"HTTP_HX_REQUEST": "true"}
POLICY_BADGE = '<span class="badge badge-policy">project policy</span>'


@pytest.fixture
def case(owner):
    return CaseFactory(created_by=owner, incident_at=INCIDENT)


@pytest.fixture
def browse(client):
    """Log a user in, in English, and return the client."""

    def login(user):
        client.force_login(user)
        client.cookies["cms_language"] = "en"
        return client

    return login


def wizard_url(case) -> str:
    return reverse("screening:wizard", args=[case.pk])


def preview_url(case) -> str:
    return reverse("screening:preview", args=[case.pk])


def form_data(**changes) -> dict:
    """What the wizard posts for a 15-year-old recruited for sexual exploitation, with `changes` applied."""
    data = {
        "victim": "not_identified",
        "act_date": ACT_DATE,
        "victim_date_of_birth": "",
        "victim_age": "15",
        "acts": ["recruitment"],
        "purposes": ["sexual_exploitation"],
        "sexual_violence": "no",  # asked in step 4 for a child with a sexual purpose
        "suspect_sane": "",
        "notes": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def adult_data(**changes) -> dict:
    return form_data(victim_age="30", **changes)


def local_minutes(moment) -> str:
    return timezone.localtime(moment, BISHKEK).strftime("%d.%m.%Y %H:%M")


def local_input(moment) -> str:
    """A moment as the case form's datetime-local input sends it."""
    return timezone.localtime(moment, BISHKEK).strftime("%Y-%m-%dT%H:%M")


def obligation_items(html: str) -> dict[str, str]:
    """The case page's obligation list items, keyed by obligation code (found through the English label)."""
    chunks = html.split('<li class="obligation ')[1:]
    items = {}
    with override("en"):
        labels = {code: escape(str(label)) for code, label in OBLIGATION_LABELS.items()}
    for chunk in chunks:
        chunk = chunk.split("</li>")[0]
        (code,) = [code for code, label in labels.items() if label in chunk]
        items[code] = chunk
    return items


def field_is_marked(html: str, field: str) -> bool:
    """Whether the wizard marks the field as wrong and shows its message next to it."""
    marked = re.findall(r'<div class="field has-error[^"]*">(.*?)</div>', html, flags=re.S)
    return any(f'name="{field}"' in block and 'class="errorlist' in block for block in marked)


def screening_column(html: str) -> str:
    """The 'Screening' cell of the only row of the case list."""
    (cell,) = re.findall(r'<td data-label="Screening">(.*?)</td>', html, flags=re.S)
    return cell


# -- who may open the wizard -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["owner", "supervisor"])
def test_owner_and_supervisor_open_the_wizard(browse, case, user, request):
    response = browse(request.getfixturevalue(user)).get(wizard_url(case))

    assert response.status_code == 200
    assert 'id="screening-form"' in response.content.decode()


@pytest.mark.parametrize("intruder", ["outsider", "colleague", "analyst"])
def test_someone_without_the_case_gets_404_from_the_wizard(browse, case, intruder, request):
    client = browse(request.getfixturevalue(intruder))

    assert client.get(wizard_url(case)).status_code == 404
    assert client.post(wizard_url(case), form_data()).status_code == 404
    assert client.post(preview_url(case), form_data(), **HTMX).status_code == 404
    assert not Screening.objects.exists()


def test_anonymous_visitor_is_sent_to_the_login_page(client, case):
    for response in (client.get(wizard_url(case)), client.post(preview_url(case), form_data())):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# -- what the wizard shows --------------------------------------------------------------------------------------------


def test_for_a_16_year_old_the_wizard_shows_the_child_note_instead_of_the_means(browse, owner, case):
    victim = VictimFactory(case=case, date_of_birth=BORN_16_YEARS_BEFORE)
    client = browse(owner)
    client.get(wizard_url(case))

    # the officer chooses the person: the live preview brings in their date of birth and the child's blocks
    data = form_data(victim=str(victim.pk), ui_person="", victim_age="", acts=[], purposes=[], ui_child="0")
    html = client.post(preview_url(case), data, **HTMX).content.decode()

    assert 'id="means-child-note"' in html
    assert "an act and a purpose of exploitation are enough (Art. 167)" in html
    assert 'name="means"' not in html
    assert 'name="child_indicators"' in html
    assert 'name="adult_indicators"' not in html
    assert 'name="ui_child" value="1"' in html


def test_for_an_adult_the_wizard_asks_for_the_means(browse, owner, case):
    VictimFactory(case=case, date_of_birth=BORN_ADULT)

    html = browse(owner).get(wizard_url(case)).content.decode()

    assert 'id="means-child-note"' not in html
    assert 'name="means" value="threat"' in html
    assert 'name="means" value="abuse_of_vulnerability"' in html
    assert 'name="adult_indicators"' in html
    assert 'name="free_consent_prostitution"' in html
    assert 'name="ui_child" value="0"' in html


def test_the_wizard_starts_from_the_case_and_lets_the_officer_choose_the_person(browse, owner, case):
    VictimFactory(case=case, date_of_birth=BORN_16_YEARS_BEFORE)

    form = browse(owner).get(wizard_url(case)).context["form"]

    assert form.initial["act_date"] == date(2025, 3, 1)
    assert form.initial.get("victim") is None
    assert form.initial.get("victim_date_of_birth") is None


# -- the live preview (htmx) -----------------------------------------------------------------------------------------


def test_preview_of_a_recruited_child_shows_art_167(browse, owner, case):
    response = browse(owner).post(preview_url(case), form_data(ui_child="1", ui_evidence="0"), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="result-panel"' in html
    assert "verdict-art_167" in html
    assert "Art. 167" in html
    assert "Art. 166" not in html
    assert 'class="badge badge-child"' in html
    assert "<html" not in html  # a fragment, not a page
    assert not Screening.objects.exists()  # the preview saves nothing


def test_preview_swaps_the_child_dependent_blocks_when_the_person_becomes_a_child(browse, owner, case):
    # given the page still shows the adult's blocks
    response = browse(owner).post(preview_url(case), form_data(ui_child="0", ui_evidence="0"), **HTMX)

    html = response.content.decode()
    for block in ("indicators-block", "means-block", "consent-block"):
        assert f'id="{block}" hx-swap-oob="true"' in html
    assert 'id="means-child-note"' in html
    assert 'name="ui_child" value="1"' in html


def test_preview_leaves_the_child_dependent_blocks_alone_when_nothing_changed(browse, owner, case):
    response = browse(owner).post(preview_url(case), form_data(ui_child="1", ui_evidence="0"), **HTMX)

    html = response.content.decode()
    for block in ("indicators-block", "means-block", "consent-block", "evidence-block"):
        assert f'id="{block}"' not in html


def test_preview_swaps_the_means_back_in_when_the_person_becomes_an_adult(browse, owner, case):
    client = browse(owner)

    unchanged = client.post(preview_url(case), adult_data(ui_child="0", ui_evidence="0"), **HTMX).content.decode()
    changed = client.post(preview_url(case), adult_data(ui_child="1", ui_evidence="0"), **HTMX).content.decode()

    assert 'id="means-block"' not in unchanged
    assert 'id="means-block" hx-swap-oob="true"' in changed
    assert 'name="means" value="threat"' in changed
    assert 'name="ui_child" value="0"' in changed


def test_ticking_abuse_of_vulnerability_shows_the_evidence_questions(browse, owner, case):
    data = adult_data(means=["abuse_of_vulnerability"], ui_child="0", ui_evidence="0")

    html = browse(owner).post(preview_url(case), data, **HTMX).content.decode()

    assert 'id="evidence-block" hx-swap-oob="true"' in html
    assert 'id="vulnerability-evidence"' in html
    assert 'name="vulnerability_evidenced"' in html
    assert 'name="vulnerability_abuse_evidenced"' in html
    assert 'name="ui_evidence" value="1"' in html


def test_unticking_abuse_of_vulnerability_removes_the_evidence_questions(browse, owner, case):
    data = adult_data(means=["deception"], ui_child="0", ui_evidence="1")

    html = browse(owner).post(preview_url(case), data, **HTMX).content.decode()

    assert 'id="evidence-block" hx-swap-oob="true"' in html
    assert 'id="vulnerability-evidence"' not in html
    assert 'name="vulnerability_evidenced"' not in html


def test_the_evidence_answers_decide_whether_abuse_of_vulnerability_counts(browse, owner, case):
    client = browse(owner)
    alleged = adult_data(means=["abuse_of_vulnerability"], ui_child="0", ui_evidence="1")
    evidenced = {**alleged, "vulnerability_evidenced": "on", "vulnerability_abuse_evidenced": "on"}

    unproven = client.post(preview_url(case), alleged, **HTMX).context["result"]
    proven = client.post(preview_url(case), evidenced, **HTMX).context["result"]

    assert (unproven["verdict"], unproven["missing"]) == ("elements_not_established", ["means"])
    assert "vulnerability_abuse_unproven" in unproven["warnings"]
    assert proven["verdict"] == "art_166"


def test_for_a_child_the_means_posted_by_a_stale_page_do_not_count(browse, owner, case):
    data = form_data(means=["abuse_of_vulnerability"], ui_child="0", ui_evidence="1")

    result = browse(owner).post(preview_url(case), data, **HTMX).context["result"]

    assert result["verdict"] == "art_167"
    assert "vulnerability_abuse_unproven" not in result["warnings"]


# -- invalid input ---------------------------------------------------------------------------------------------------

INVALID = [
    pytest.param({"victim_date_of_birth": "2025-04-01", "victim_age": ""}, "victim_date_of_birth", id="born_after_act"),
    pytest.param({"act_date": (date.today() + timedelta(days=2)).isoformat()}, "act_date", id="act_in_the_future"),
    pytest.param({"victim_age": "fifteen"}, "victim_age", id="age_not_a_number"),
    pytest.param({"act_date": ""}, "act_date", id="act_date_missing"),
    pytest.param({"act_date": "01/03/2025x"}, "act_date", id="act_date_garbled"),
    pytest.param({"act_date": "1899-12-31"}, "act_date", id="act_before_1900"),
    pytest.param({"act_date": "0001-01-01"}, "act_date", id="act_in_the_year_1"),
    pytest.param(
        {"victim_date_of_birth": "1899-12-31", "victim_age": ""}, "victim_date_of_birth", id="born_before_1900"
    ),
]


@pytest.mark.parametrize(("changes", "field"), INVALID)
def test_saving_invalid_input_answers_400_with_the_field_error_and_saves_nothing(browse, owner, case, changes, field):
    response = browse(owner).post(wizard_url(case), form_data(**changes))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert field_is_marked(response.content.decode(), field)
    assert not Screening.objects.exists()
    assert not Obligation.objects.exists()


TOO_EARLY = "The date is too early: give 01.01.1900 or a later date."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param({"act_date": "1899-12-31"}, "act_date", TOO_EARLY, id="act"),
        pytest.param(
            {"victim_date_of_birth": "1899-12-31", "victim_age": ""}, "victim_date_of_birth", TOO_EARLY, id="birth"
        ),
    ],
)
def test_a_date_before_1900_is_refused_with_a_clear_message(browse, owner, case, changes, field, message):
    response = browse(owner).post(wizard_url(case), form_data(**changes))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]


def test_the_act_date_is_checked_against_today_in_bishkek_not_the_servers_date(browse, owner, case, monkeypatch):
    # given 23:00 in Bishkek on 1 March 2025 (17:00 UTC): 2 March is tomorrow there
    client = browse(owner)
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 3, 1, 17, 0, tzinfo=UTC))

    tomorrow = client.post(wizard_url(case), form_data(act_date="2025-03-02"))
    today = client.post(preview_url(case), form_data(act_date="2025-03-01"), **HTMX)

    assert tomorrow.status_code == 400
    assert tomorrow.context["form"].errors["act_date"] == ["The date of the act cannot be in the future."]
    assert today.context["result"]["verdict"] == "art_167"


def test_an_act_just_after_midnight_in_bishkek_is_not_in_the_future(browse, owner, case, monkeypatch):
    # given 00:30 in Bishkek on 2 March 2025, still 1 March in UTC
    client = browse(owner)
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 3, 1, 18, 30, tzinfo=UTC))

    response = client.post(preview_url(case), form_data(act_date="2025-03-02"), **HTMX)

    assert response.context["result"]["verdict"] == "art_167"


def test_after_a_refused_save_the_ticked_boxes_stay_ticked(browse, owner, case):
    data = form_data(victim_age="fifteen", acts=["recruitment", "harbouring"], child_indicators=["held_against_will"])

    html = browse(owner).post(wizard_url(case), data).content.decode()

    ticked = set(re.findall(r'<input type="checkbox" name="(\w+)" value="(\w+)" id="[^"]+" checked', html))
    assert {("acts", "recruitment"), ("acts", "harbouring"), ("purposes", "sexual_exploitation")} <= ticked
    assert ("acts", "transportation") not in ticked


def test_a_person_of_another_case_cannot_be_chosen(browse, owner, case):
    stranger = VictimFactory(case=CaseFactory(created_by=owner))

    response = browse(owner).post(wizard_url(case), form_data(victim=str(stranger.pk)))

    assert response.status_code == 400
    assert "victim" in response.context["form"].errors
    assert not Screening.objects.exists()


@pytest.mark.parametrize(("changes", "field"), INVALID)
def test_preview_of_invalid_input_asks_to_correct_the_fields_instead_of_failing(browse, owner, case, changes, field):
    response = browse(owner).post(preview_url(case), form_data(**changes), **HTMX)

    assert response.status_code == 200
    assert "Correct the marked fields to see the result." in response.content.decode()
    assert response.context["result"] is None


# -- saving ----------------------------------------------------------------------------------------------------------


def test_saving_a_screening_leads_to_the_case_page_naming_the_screening(browse, owner, case):
    response = browse(owner).post(wizard_url(case), form_data(child_indicators=["held_against_will"]))

    screening = Screening.objects.get()
    assert response.status_code == 302
    assert response.url == f"{case.get_absolute_url()}?screened={screening.pk}"
    assert (screening.case, screening.created_by, screening.verdict, screening.child) == (case, owner, "art_167", True)
    assert screening.indicators == ["held_against_will"]


def new_items(html: str) -> set[str]:
    """Codes of the obligations the case page marks as created by the screening just saved."""
    return {code for code, item in obligation_items(html).items() if item.startswith("obligation-open obligation-new")}


def test_after_saving_the_due_items_the_screening_created_are_highlighted_in_words_too(browse, owner, case):
    client = browse(owner)

    response = client.post(wizard_url(case), form_data(child_indicators=["held_against_will"]), follow=True)

    html = response.content.decode()
    screening = Screening.objects.get()
    assert new_items(html) == set(screening.obligations.values_list("code", flat=True))
    assert len(new_items(html)) == 5
    for item in obligation_items(html).values():
        assert '<span class="badge badge-new">new</span>' in item  # not colour alone
    assert "The screening was saved. It added 5 due items, marked «new» below." in html
    assert f'href="{reverse("screening:detail", args=[screening.pk])}"' in html  # the screening page stays one click


def test_a_screening_that_adds_nothing_new_highlights_nothing_and_says_so(browse, owner, case):
    client = browse(owner)
    client.post(wizard_url(case), form_data(child_indicators=["held_against_will"]))

    response = client.post(wizard_url(case), form_data(child_indicators=["held_against_will"]), follow=True)

    html = response.content.decode()
    assert Screening.objects.count() == 2
    assert new_items(html) == set()
    assert "The screening was saved. It added no new due item." in html


@pytest.mark.parametrize("screened", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "other-case"])
def test_the_case_page_ignores_a_screened_parameter_that_is_not_a_screening_of_this_case(browse, owner, case, screened):
    if screened == "other-case":
        screened = str(screening_record(case=CaseFactory(created_by=owner), actor=owner, facts=ADULT_FACTS).pk)
    screening_record(case=case, actor=owner, facts=ADULT_FACTS)

    response = browse(owner).get(case.get_absolute_url(), {"screened": screened})

    assert response.status_code == 200
    assert new_items(response.content.decode()) == set()


def test_saving_keeps_the_indicators_of_the_persons_age_group_only(browse, owner, case):
    data = form_data(child_indicators=["no_contact_with_relatives"], adult_indicators=["no_access_to_earnings"])

    browse(owner).post(wizard_url(case), data)

    assert Screening.objects.get().indicators == ["no_contact_with_relatives"]


def test_the_screening_page_shows_the_result_and_the_facts(browse, owner, case):
    screening = screening_record(case=case, actor=owner, facts=ADULT_FACTS)

    response = browse(owner).get(reverse("screening:detail", args=[screening.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert escape(screening.explanation("en")) in html
    assert "Art. 166" in html
    assert case.number in html


@pytest.mark.parametrize("intruder", ["outsider", "colleague"])
def test_someone_without_the_case_gets_404_from_the_screening_page(browse, owner, case, intruder, request):
    screening = screening_record(case=case, actor=owner, facts=ADULT_FACTS)

    response = browse(request.getfixturevalue(intruder)).get(reverse("screening:detail", args=[screening.pk]))

    assert response.status_code == 404


def test_after_saving_the_case_page_shows_the_article_and_the_obligations_with_deadlines(browse, owner, case):
    # given a saved screening of a child with an indicator
    client = browse(owner)
    client.post(wizard_url(case), form_data(child_indicators=["held_against_will"]))

    html = client.get(case.get_absolute_url()).content.decode()

    # then the badge names the article and each obligation shows its deadline and its basis
    assert 'class="badge badge-article badge-art-art_167"' in html
    assert "Art. 167" in html
    items = obligation_items(html)
    assert set(items) == set(case.obligations.values_list("code", flat=True))
    assert set(items) == {
        "refer_child_social_services",
        "notify_kib",
        "notify_duty_officer",
        "inform_ngo",
        "rapport_registration",
    }
    for obligation in case.obligations.all():
        item = items[obligation.code]
        assert local_minutes(obligation.due_at) in item
        assert (POLICY_BADGE in item) == (obligation.basis == Obligation.Basis.PROJECT_POLICY)
        assert (POLICY_BADGE in item) == (obligation.code in PROJECT_POLICY_CODES)
    assert "at the same time as the referral (handbook), whose deadline is project policy" in items["notify_kib"]
    assert "deadline set by project policy" in items["refer_child_social_services"]


def test_an_art_159_160_screening_puts_the_rapport_on_the_case_page_as_project_policy(browse, owner, case):
    client = browse(owner)
    client.post(wizard_url(case), adult_data(free_consent_prostitution="on"))

    html = client.get(case.get_absolute_url()).content.decode()

    assert case.screenings.get().verdict == "art_159_160"
    item = obligation_items(html)["rapport_registration"]
    assert "Write the rapport and register it in the КБР without delay" in item
    assert "deadline set by project policy" in item
    assert POLICY_BADGE in item


def test_the_case_page_says_the_health_information_is_due_immediately_while_the_incident_time_is_unknown(browse, owner):
    case = CaseFactory(created_by=owner, incident_at=None)
    screening = screening_record(case=case, actor=owner, facts=CHILD_FACTS, sexual_violence=True)

    html = browse(owner).get(case.get_absolute_url()).content.decode()

    item = obligation_items(html)["health_information_72h"]
    assert local_minutes(screening.created_at) in item
    assert "immediately (handbook)" in item
    assert "72 hours after the incident (handbook)" not in item
    assert (
        "The time of the incident is not recorded, so the 72 hours may be running out: this is due immediately. "
        "Record the incident time on the case." in item
    )
    assert "counted from the screening" not in item
    assert POLICY_BADGE not in item


def test_entering_the_incident_time_on_the_case_edit_page_moves_the_72_hours(browse, owner):
    # given a sexually abused child screened while the incident time was unknown
    case = CaseFactory(created_by=owner, incident_at=None)
    screening_record(case=case, actor=owner, facts=CHILD_FACTS, sexual_violence=True)
    client = browse(owner)
    incident = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=30)

    # when the officer records it through the case edit form
    response = client.post(reverse("cases:edit", args=[case.pk]), edit_data(case, incident_at=local_input(incident)))

    # then the deadline is 72 hours after the incident, on the case page and in the case history
    assert response.status_code == 302
    health = case.obligations.get(code="health_information_72h")
    assert health.due_at == incident + timedelta(hours=72)
    assert health.history.first().history_change_reason == "incident time changed: deadline recomputed"
    page = client.get(case.get_absolute_url())
    item = obligation_items(page.content.decode())["health_information_72h"]
    assert local_minutes(incident + timedelta(hours=72)) in item
    assert "72 hours after the incident (handbook)" in item
    assert "The time of the incident is not recorded" not in item
    assert any(record.instance_type is Obligation and record.history_type == "~" for record in page.context["history"])
    timeline = re.sub(r"\s+", " ", page.content.decode().split('<ol class="timeline">')[1])
    assert re.search(r"Obligation changed \([^)]*due at[^)]*\)", timeline)


def test_the_case_page_names_the_missing_elements_and_asks_to_establish_them(browse, owner, case):
    client = browse(owner)
    client.post(wizard_url(case), adult_data(acts=[]))  # an adult with neither an act nor a means

    html = client.get(case.get_absolute_url()).content.decode()

    assert "Not established: act, means" in html
    assert "Nothing is due yet" not in html
    items = obligation_items(html)
    assert set(items) == {"establish_act", "establish_means"}
    assert all(POLICY_BADGE in item and "deadline set by project policy" in item for item in items.values())


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("ky", "Аныкталган жок: кылмыштуу иш-аракет, таасир этүү каражаты"),
        ("ru", "Не установлено: действие, средство воздействия"),
    ],
)
def test_the_missing_elements_are_named_in_the_users_language(client, owner, case, language, sentence):
    screening_record(case=case, actor=owner, facts={**ADULT_FACTS, "acts": [], "means": []})
    client.force_login(owner)
    client.cookies["cms_language"] = language

    html = client.get(case.get_absolute_url()).content.decode()

    assert sentence in html


def test_a_case_screened_before_the_items_existed_still_names_what_is_missing(browse, owner, case):
    # given a screening without a verdict whose establish item was never created (stored before this rule)
    screening_record(case=case, actor=owner, facts={**ADULT_FACTS, "means": []})
    case.obligations.all().delete()

    html = browse(owner).get(case.get_absolute_url()).content.decode()

    assert "Not established: means" in html
    assert "Nothing is due yet" not in html


def test_a_screening_with_a_verdict_names_nothing_missing(browse, owner, case):
    screening_record(case=case, actor=owner, facts=ADULT_FACTS)

    html = browse(owner).get(case.get_absolute_url()).content.decode()

    assert "Not established" not in html


def test_the_case_page_marks_an_obligation_overdue(browse, owner):
    # given a sexually abused child whose incident was five days ago: the 72 hours are over
    case = CaseFactory(created_by=owner, incident_at=timezone.now() - timedelta(days=5))
    screening_record(case=case, actor=owner, facts=CHILD_FACTS, sexual_violence=True)

    items = obligation_items(browse(owner).get(case.get_absolute_url()).content.decode())

    assert "overdue" in items["health_information_72h"]
    assert "overdue" not in items["rapport_registration"]


def test_the_case_list_shows_the_latest_screenings_article_and_child_badges(browse, owner, case):
    client = browse(owner)
    screening_record(case=case, actor=owner, facts=CHILD_FACTS)

    first = screening_column(client.get(reverse("cases:list")).content.decode())
    screening_record(case=case, actor=owner, facts=ADULT_FACTS)
    later = screening_column(client.get(reverse("cases:list")).content.decode())

    assert "badge-art-art_167" in first
    assert "Art. 167" in first
    assert "badge-child" in first
    assert "badge-art-art_166" in later
    assert "Art. 166" in later
    assert "badge-child" not in later


def test_the_case_list_shows_no_badge_before_a_screening(browse, owner, case):
    html = browse(owner).get(reverse("cases:list")).content.decode()

    assert "badge" not in screening_column(html)


# -- obligations -----------------------------------------------------------------------------------------------------


@pytest.fixture
def obligation(case, owner):
    screening_record(case=case, actor=owner, facts=ADULT_FACTS)
    return case.obligations.get(code="rapport_registration")


def test_owner_marks_an_obligation_done(browse, owner, case, obligation):
    before = timezone.now()

    response = browse(owner).post(reverse("screening:obligation_complete", args=[obligation.pk]))

    assert response.status_code == 302
    assert response.url == f"{case.get_absolute_url()}#obligations"
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.DONE
    assert obligation.done_by == owner
    assert obligation.done_at >= before


def test_the_case_page_shows_who_did_an_obligation_and_when(browse, owner, case, obligation):
    client = browse(owner)
    client.post(reverse("screening:obligation_complete", args=[obligation.pk]))
    obligation.refresh_from_db()

    item = obligation_items(client.get(case.get_absolute_url()).content.decode())["rapport_registration"]

    assert local_minutes(obligation.done_at) in item
    assert str(owner) in item
    assert "Mark as done" not in item


@pytest.mark.parametrize("intruder", ["outsider", "colleague"])
def test_someone_without_the_case_cannot_mark_an_obligation_done(browse, obligation, intruder, request):
    response = browse(request.getfixturevalue(intruder)).post(
        reverse("screening:obligation_complete", args=[obligation.pk])
    )

    assert response.status_code == 404
    obligation.refresh_from_db()
    assert (obligation.status, obligation.done_by) == (Obligation.Status.OPEN, None)


def test_marking_an_obligation_done_needs_a_post(browse, owner, obligation):
    response = browse(owner).get(reverse("screening:obligation_complete", args=[obligation.pk]))

    assert response.status_code == 405
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.OPEN


# -- the officer's steps ---------------------------------------------------------------------------------------------


def step_url(case) -> str:
    return reverse("cases:step_record", args=[case.pk])


def undo_url(step) -> str:
    return reverse("cases:step_undo", args=[step.case_id, step.pk])


def test_owner_records_a_step_and_the_case_page_shows_time_and_author(browse, owner, case):
    client = browse(owner)

    response = client.post(step_url(case), {"code": OfficerStep.Code.INTERVIEW})

    assert response.status_code == 302
    assert response.url == f"{case.get_absolute_url()}#steps"
    step = OfficerStep.objects.get(case=case)
    assert (step.code, step.done_by) == (OfficerStep.Code.INTERVIEW, owner)
    html = client.get(case.get_absolute_url()).content.decode()
    (item,) = [chunk for chunk in html.split('<li class="step-item')[1:] if undo_url(step) in chunk]
    item = item.split("</li>")[0]
    assert local_minutes(step.done_at) in item
    assert escape(str(owner)) in item


@pytest.mark.parametrize("intruder", ["outsider", "colleague"])
def test_someone_without_the_case_cannot_record_a_step(browse, case, intruder, request):
    response = browse(request.getfixturevalue(intruder)).post(step_url(case), {"code": OfficerStep.Code.INTERVIEW})

    assert response.status_code == 404
    assert not OfficerStep.objects.exists()


def test_an_unknown_step_is_refused_with_an_error_summary_and_nothing_is_saved(browse, owner, case):
    response = browse(owner).post(step_url(case), {"code": "fly_to_the_moon"})

    assert response.status_code == 400
    summary = response.content.decode().split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Unknown step." in summary
    assert not OfficerStep.objects.exists()


def test_recording_a_step_twice_keeps_the_first_author_and_time(browse, owner, supervisor, case):
    browse(owner).post(step_url(case), {"code": OfficerStep.Code.ASSESS_RISKS})
    first = OfficerStep.objects.get()

    browse(supervisor).post(step_url(case), {"code": OfficerStep.Code.ASSESS_RISKS})

    (step,) = OfficerStep.objects.all()
    assert (step.pk, step.done_by, step.done_at) == (first.pk, owner, first.done_at)


def test_owner_undoes_a_step(browse, owner, case):
    client = browse(owner)
    client.post(step_url(case), {"code": OfficerStep.Code.PRESERVE_TRACES})
    step = OfficerStep.objects.get()

    response = client.post(undo_url(step))

    assert response.status_code == 302
    assert not OfficerStep.objects.exists()
    assert step.history.latest().history_type == "-"
    assert step.history.latest().history_user == owner


@pytest.mark.parametrize("intruder", ["outsider", "colleague"])
def test_someone_without_the_case_cannot_undo_a_step(browse, owner, case, intruder, request):
    browse(owner).post(step_url(case), {"code": OfficerStep.Code.PRESERVE_TRACES})
    step = OfficerStep.objects.get()

    response = browse(request.getfixturevalue(intruder)).post(undo_url(step))

    assert response.status_code == 404
    assert OfficerStep.objects.filter(pk=step.pk).exists()


def test_a_step_of_another_case_cannot_be_undone_through_this_case(browse, owner, case):
    other = CaseFactory(created_by=owner)
    client = browse(owner)
    client.post(step_url(other), {"code": OfficerStep.Code.PRESERVE_TRACES})
    step = OfficerStep.objects.get()

    response = client.post(reverse("cases:step_undo", args=[case.pk, step.pk]))

    assert response.status_code == 404
    assert OfficerStep.objects.filter(pk=step.pk).exists()


def test_code_labels_of_the_wizard_follow_the_active_language(db, case):
    from django.utils import translation

    from screening.forms import ScreeningForm

    with translation.override("ru"):
        russian = dict(ScreeningForm(case=case).fields["acts"].choices)
    with translation.override("ky"):
        kyrgyz = dict(ScreeningForm(case=case).fields["acts"].choices)
    assert russian["recruitment"] == "вербовка"
    assert kyrgyz["recruitment"] == "азгыруу"


# -- item 5: a note with what was done, undo, due times in words, one place for the rapport, steps that apply ---------
@pytest.fixture
def child_case_screened(browse, owner, case):
    """A screened child's case: a referral, three notices and the rapport are due."""
    screening_record(case=case, actor=owner, facts=CHILD_FACTS, indicators=["held_against_will"])
    return case


def done_url(obligation) -> str:
    return reverse("screening:obligation_complete", args=[obligation.pk])


def obligation_undo_url(obligation) -> str:
    return reverse("screening:obligation_undo", args=[obligation.pk])


def test_each_open_item_asks_for_a_note_beside_its_button_required_for_notices(browse, owner, child_case_screened):
    html = browse(owner).get(child_case_screened.get_absolute_url()).content.decode()

    items = obligation_items(html)
    for code, item in items.items():
        obligation = child_case_screened.obligations.get(code=code)
        assert f'<input type="text" name="note" id="obligation-{obligation.pk}-note"' in item
        required = code.startswith(("notify_", "inform_", "refer_"))
        assert ("required" in item.split(f'id="obligation-{obligation.pk}-note"')[1].split(">")[0]) == required
        assert ("(required)" in item) == required


def test_a_notice_marked_done_without_a_note_is_refused_with_an_error_summary_and_stays_open(
    browse, owner, child_case_screened
):
    obligation = child_case_screened.obligations.get(code="notify_kib")

    response = browse(owner).post(done_url(obligation), {"note": ""})

    html = response.content.decode()
    assert response.status_code == 400
    summary = html.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert"' in summary
    assert f'href="#obligation-{obligation.pk}-note"' in summary
    assert html.index('class="error-summary"') < html.index('id="screening"')  # at the top, before the panels
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.OPEN


def test_an_item_is_marked_done_with_its_note_and_the_case_page_shows_the_note(browse, owner, child_case_screened):
    client = browse(owner)
    obligation = child_case_screened.obligations.get(code="notify_kib")

    response = client.post(done_url(obligation), {"note": "КИБ: Осмонов М., кат № 12/345"})

    assert response.status_code == 302
    obligation.refresh_from_db()
    assert (obligation.status, obligation.note) == (Obligation.Status.DONE, "КИБ: Осмонов М., кат № 12/345")
    item = obligation_items(client.get(child_case_screened.get_absolute_url()).content.decode())["notify_kib"]
    assert "КИБ: Осмонов М., кат № 12/345" in item


def test_who_marked_an_item_done_may_undo_it_for_the_undo_minutes_then_the_button_goes(
    browse, owner, case, obligation, settings
):
    settings.UNDO_MINUTES = 10
    client = browse(owner)
    client.post(done_url(obligation), {"note": ""})
    page = case.get_absolute_url()
    assert obligation_undo_url(obligation) in client.get(page).content.decode()

    Obligation.objects.filter(pk=obligation.pk).update(done_at=timezone.now() - timedelta(minutes=11))

    assert obligation_undo_url(obligation) not in client.get(page).content.decode()
    response = client.post(obligation_undo_url(obligation), follow=True)
    assert response.status_code == 200
    assert any("undo" in str(message).lower() for message in response.context["messages"])
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.DONE


def test_an_item_undone_in_time_is_open_again(browse, owner, case, obligation):
    client = browse(owner)
    client.post(done_url(obligation), {"note": ""})

    response = client.post(obligation_undo_url(obligation))

    assert response.status_code == 302
    obligation.refresh_from_db()
    assert (obligation.status, obligation.done_by) == (Obligation.Status.OPEN, None)


def test_someone_else_is_not_offered_the_undo(browse, owner, supervisor, case, obligation):
    browse(owner).post(done_url(obligation), {"note": ""})

    html = browse(supervisor).get(case.get_absolute_url()).content.decode()

    assert obligation_undo_url(obligation) not in html


def test_due_times_read_as_hours_left_or_overdue_beside_the_date(browse, owner, case):
    screening_record(case=case, actor=owner, facts=CHILD_FACTS, indicators=["held_against_will"])
    now = timezone.now()
    case.obligations.filter(code="notify_kib").update(due_at=now + timedelta(hours=5, minutes=20))
    case.obligations.filter(code="inform_ngo").update(due_at=now - timedelta(hours=2, minutes=10))

    items = obligation_items(browse(owner).get(case.get_absolute_url()).content.decode())

    assert "in 5 hours" in items["notify_kib"]
    assert "2 hours overdue" in items["inform_ngo"]
    assert local_minutes(now + timedelta(hours=5, minutes=20)) in items["notify_kib"]  # the date stays


def steps_shown(html: str) -> set[str]:
    """Codes of the officer's steps the case page lists (each item carries the step's code)."""
    return set(re.findall(r'<li class="step-item[^"]*" data-step="([a-z_]+)"', html))


def test_the_rapport_step_is_listed_once_the_due_item_is_its_one_place(browse, owner, case):
    client = browse(owner)
    assert "write_rapport" in steps_shown(client.get(case.get_absolute_url()).content.decode())

    screening_record(case=case, actor=owner, facts=ADULT_FACTS)

    html = client.get(case.get_absolute_url()).content.decode()
    assert "write_rapport" not in steps_shown(html)
    assert "rapport_registration" in obligation_items(html)


def test_a_rapport_step_recorded_before_the_due_item_is_named_on_the_item(browse, owner, case):
    browse(owner).post(step_url(case), {"code": OfficerStep.Code.WRITE_RAPPORT, "note": "КБР № 77"})
    screening_record(case=case, actor=owner, facts=ADULT_FACTS)

    html = browse(owner).get(case.get_absolute_url()).content.decode()

    assert "КБР № 77" in obligation_items(html)["rapport_registration"]


def test_the_adult_step_is_hidden_on_a_childs_case_and_the_page_says_why(browse, owner, case):
    VictimFactory(case=case, date_of_birth=date(2012, 1, 1))

    html = browse(owner).get(case.get_absolute_url()).content.decode()

    assert "advise_documents" not in steps_shown(html)
    assert "Not listed: advising to keep documents is a step for adults" in html
    assert {"check_report", "interview", "write_rapport"} <= steps_shown(html)


def test_the_adult_step_stays_when_the_case_also_has_an_adult(browse, owner, case):
    VictimFactory(case=case, date_of_birth=date(2012, 1, 1))
    VictimFactory(case=case, date_of_birth=BORN_ADULT)

    assert "advise_documents" in steps_shown(browse(owner).get(case.get_absolute_url()).content.decode())


def test_each_step_asks_for_a_note_beside_its_button(browse, owner, case):
    html = browse(owner).get(case.get_absolute_url()).content.decode()

    for code in OfficerStep.Code.values:
        assert f'id="step-{code}-note"' in html


def test_a_step_is_recorded_with_its_note(browse, owner, case):
    browse(owner).post(step_url(case), {"code": OfficerStep.Code.INTERVIEW, "note": "Апасы менен"})

    assert OfficerStep.objects.get().note == "Апасы менен"
    assert "Апасы менен" in browse(owner).get(case.get_absolute_url()).content.decode()
