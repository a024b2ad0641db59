"""Recording screenings and the obligations they create; completing an obligation."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case
from cases.services import case_update, officer_step_record
from screening.models import Obligation, Screening
from screening.qualification import LANGUAGES, QualificationInputError, qualify
from screening.services import obligation_complete, obligation_undo, screening_record
from tests.factories import CaseFactory, VictimFactory

pytestmark = pytest.mark.django_db

ACT_DATE = "2025-02-01"
CHILD_TRAFFICKED = {
    "act_date": ACT_DATE,
    "victim_age": 15,
    "acts": ["recruitment", "transportation"],
    "purposes": ["sexual_exploitation"],
}
ADULT_TRAFFICKED = {
    "act_date": ACT_DATE,
    "victim_age": 24,
    "acts": ["transportation"],
    "means": ["deception", "abduction"],
    "purposes": ["forced_labour"],
    "moved_across_kr_border": True,
}
ADULT_INCOMPLETE = {"act_date": ACT_DATE, "victim_age": 30, "acts": ["recruitment"], "purposes": ["forced_labour"]}
BAD_FACTS = [
    pytest.param({"act_date": "2025-02-01", "victim_date_of_birth": "2025-03-01"}, id="born_after_the_act"),
    pytest.param({"acts": ["kidnapping"]}, id="unknown_code"),
    pytest.param({"victim_age": "sixteen"}, id="age_not_a_number"),
    pytest.param({"shoe_size": 41}, id="unknown_key"),
]


def _codes(case) -> list[str]:
    return sorted(case.obligations.values_list("code", flat=True))


def test_screening_keeps_the_engines_verdict_articles_child_missing_and_warnings(case, owner):
    screening = screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)

    screening.refresh_from_db()
    expected = qualify(ADULT_TRAFFICKED)
    assert screening.verdict == "art_166" == expected["verdict"]
    assert screening.articles == ["166", "166.2.5"] == expected["articles"]
    assert screening.child is False
    assert screening.missing == []
    assert screening.warnings == expected["warnings"]
    assert "no_separate_165_139" in screening.warnings
    assert screening.facts == ADULT_TRAFFICKED
    assert screening.created_by == owner
    assert screening.case == case


def test_screening_keeps_what_is_missing_when_elements_are_not_established(case, owner):
    screening = screening_record(case=case, actor=owner, facts=ADULT_INCOMPLETE)

    screening.refresh_from_db()
    assert screening.verdict == "elements_not_established"
    assert screening.articles == []
    assert screening.missing == ["means"]


def test_screening_of_a_child_is_marked_child(case, owner):
    screening = screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED)

    screening.refresh_from_db()
    assert (screening.verdict, screening.articles, screening.child) == ("art_167", ["167"], True)


def test_screening_keeps_the_explanation_in_kyrgyz_russian_and_english(case, owner):
    screening = screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)

    screening.refresh_from_db()
    assert set(screening.explanations) == {"ky", "ru", "en"} == set(LANGUAGES)
    for language in ("ky", "ru", "en"):
        assert screening.explanations[language] == qualify(ADULT_TRAFFICKED, language)["explanation"]
        assert screening.explanation(language) == screening.explanations[language]
    assert len(set(screening.explanations.values())) == 3  # three languages, not one text copied three times


def test_screening_keeps_the_other_things_the_officer_recorded(case, owner):
    victim = VictimFactory(case=case)

    screening = screening_record(
        case=case,
        actor=owner,
        facts=CHILD_TRAFFICKED,
        victim=victim,
        indicators=["held_against_will"],
        vulnerability=["poverty"],
        vulnerability_kinds=["situational"],
        vulnerability_factors=["economic_hardship"],
        sexual_violence=True,
        high_risk=True,
        notes="Кыз бир жумадан бери үйгө келген жок.",
    )

    screening.refresh_from_db()
    assert screening.victim == victim
    assert screening.indicators == ["held_against_will"]
    assert screening.vulnerability == ["poverty"]
    assert screening.vulnerability_kinds == ["situational"]
    assert screening.vulnerability_factors == ["economic_hardship"]
    assert (screening.sexual_violence, screening.high_risk, screening.violence_against_women) == (True, True, False)
    assert screening.notes == "Кыз бир жумадан бери үйгө келген жок."


def test_screening_history_names_the_author(case, owner):
    screening = screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED)

    (record,) = screening.history.all()
    assert record.history_type == "+"
    assert record.history_user == owner
    assert all(obligation.history.get().history_user == owner for obligation in screening.obligations.all())


def test_a_case_keeps_several_screenings_latest_first(case, owner, supervisor):
    first = screening_record(case=case, actor=owner, facts=ADULT_INCOMPLETE)
    second = screening_record(case=case, actor=supervisor, facts=ADULT_TRAFFICKED)
    third = screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED)

    assert list(case.screenings.all()) == [third, second, first]
    assert case.screenings.latest() == third
    assert [s.verdict for s in case.screenings.all()] == ["art_167", "art_166", "elements_not_established"]
    assert second.created_by == supervisor


def test_screening_a_child_with_art_167_creates_the_referral_group_and_the_rapport(case, owner):
    screening = screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED)

    assert _codes(case) == sorted(
        ["refer_child_social_services", "notify_kib", "notify_duty_officer", "inform_ngo", "rapport_registration"]
    )
    assert set(screening.obligations.values_list("status", flat=True)) == {Obligation.Status.OPEN}
    referral = case.obligations.get(code="refer_child_social_services")
    assert referral.basis == Obligation.Basis.PROJECT_POLICY
    assert referral.due_at == screening.created_at + timedelta(hours=24)
    assert case.obligations.get(code="notify_kib").due_at == referral.due_at
    # "at the same time" is the handbook's, but the time it points to is the referral's policy deadline
    assert case.obligations.get(code="notify_kib").basis == Obligation.Basis.PROJECT_POLICY


def test_an_art_159_160_screening_creates_the_rapport_registration(case, owner):
    facts = {**ADULT_INCOMPLETE, "purposes": ["sexual_exploitation"], "free_consent_prostitution": True}

    screening = screening_record(case=case, actor=owner, facts=facts)

    assert screening.verdict == "art_159_160"
    rapport = case.obligations.get(code="rapport_registration")
    assert (rapport.basis, rapport.deadline_rule) == (Obligation.Basis.PROJECT_POLICY, "policy_hours")
    assert rapport.due_at == screening.created_at + timedelta(hours=24)


def test_an_adult_screening_without_a_means_asks_the_officer_to_establish_it(case, owner):
    screening = screening_record(case=case, actor=owner, facts=ADULT_INCOMPLETE)

    (item,) = case.obligations.all()
    assert (item.code, item.status, item.screening) == ("establish_means", Obligation.Status.OPEN, screening)
    assert (item.basis, item.deadline_rule) == (Obligation.Basis.PROJECT_POLICY, "policy_hours")
    assert item.due_at == screening.created_at + timedelta(hours=72)
    assert item.history.get().history_user == owner


def test_a_screening_with_no_act_and_no_purpose_asks_for_each(case, owner):
    screening_record(case=case, actor=owner, facts={"act_date": ACT_DATE, "victim_age": 30, "means": ["force"]})

    assert _codes(case) == ["establish_act", "establish_purpose"]


def test_a_border_crossing_without_a_purpose_is_not_trafficking_and_asks_nothing_to_establish(case, owner):
    facts = {"act_date": ACT_DATE, "victim_age": 30, "acts": ["transportation"], "crossed_border": True}

    screening = screening_record(case=case, actor=owner, facts=facts)

    assert screening.verdict == "not_trafficking"
    assert _codes(case) == []


def test_a_later_screening_that_establishes_the_means_closes_the_item_in_the_name_of_its_author(
    case, owner, supervisor
):
    screening_record(case=case, actor=owner, facts=ADULT_INCOMPLETE)

    later = screening_record(case=case, actor=supervisor, facts={**ADULT_INCOMPLETE, "means": ["deception"]})

    item = case.obligations.get(code="establish_means")
    assert (item.status, item.done_by, item.done_at) == (Obligation.Status.DONE, supervisor, later.created_at)
    latest = item.history.first()
    assert (latest.history_user, latest.history_change_reason) == (supervisor, "established by a later screening")
    assert _codes(case) == ["establish_means", "rapport_registration"]


def test_a_later_screening_closes_only_the_elements_it_no_longer_misses(case, owner):
    screening_record(case=case, actor=owner, facts=ADULT_INCOMPLETE)  # no means

    screening_record(case=case, actor=owner, facts={**ADULT_INCOMPLETE, "acts": [], "means": ["force"]})  # no act

    status = dict(case.obligations.values_list("code", "status"))
    assert status == {"establish_means": Obligation.Status.DONE, "establish_act": Obligation.Status.OPEN}


def test_an_element_missing_again_in_a_later_screening_is_asked_for_again(case, owner, supervisor):
    screening_record(case=case, actor=owner, facts=ADULT_INCOMPLETE)
    screening_record(case=case, actor=owner, facts={**ADULT_INCOMPLETE, "means": ["deception"]})

    third = screening_record(case=case, actor=supervisor, facts=ADULT_INCOMPLETE)

    (item,) = case.obligations.filter(code="establish_means")
    assert (item.status, item.done_by, item.done_at) == (Obligation.Status.OPEN, None, None)
    assert (item.screening, item.due_at) == (third, third.created_at + timedelta(hours=72))
    latest = item.history.first()
    assert (latest.history_user, latest.history_change_reason) == (supervisor, "still missing in a later screening")


def test_a_second_screening_missing_the_same_element_keeps_the_open_item_and_its_deadline(case, owner):
    screening_record(case=case, actor=owner, facts=ADULT_INCOMPLETE)
    before = case.obligations.values_list("pk", "due_at", "screening").get()

    screening_record(case=case, actor=owner, facts=ADULT_INCOMPLETE)

    assert case.obligations.values_list("pk", "due_at", "screening").get() == before
    assert case.obligations.get().history.count() == 1


def test_a_second_screening_does_not_duplicate_an_open_obligation(case, owner):
    first = screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED)
    before = {o.code: (o.pk, o.due_at) for o in case.obligations.all()}

    screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED)

    after = {o.code: (o.pk, o.due_at) for o in case.obligations.all()}
    assert after == before  # same rows, same deadlines: the clock did not restart
    assert set(case.obligations.values_list("screening", flat=True)) == {first.pk}


def test_a_second_screening_does_not_reopen_an_obligation_already_done(case, owner):
    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)
    done = obligation_complete(obligation=case.obligations.get(code="rapport_registration"), actor=owner)

    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)

    (rapport,) = case.obligations.filter(code="rapport_registration")
    assert rapport.pk == done.pk
    assert rapport.status == Obligation.Status.DONE


def test_a_second_screening_adds_only_the_obligations_that_are_new(case, owner):
    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)

    later = screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED, high_risk=True)

    assert _codes(case) == ["protective_measures", "rapport_registration"]
    assert list(later.obligations.values_list("code", flat=True)) == ["protective_measures"]


def test_obligations_are_per_case(owner):
    # given two cases screened alike
    one, other = CaseFactory(created_by=owner), CaseFactory(created_by=owner)

    screening_record(case=one, actor=owner, facts=ADULT_TRAFFICKED)
    screening_record(case=other, actor=owner, facts=ADULT_TRAFFICKED)

    assert _codes(one) == _codes(other) == ["rapport_registration"]


def test_a_foreign_victim_creates_the_intl_cooperation_decision(case, owner):
    victim = VictimFactory(case=case, citizenship="UZ")

    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED, victim=victim)

    decision = case.obligations.get(code="intl_cooperation_decision")
    assert decision.basis == Obligation.Basis.PROJECT_POLICY
    assert decision.deadline_rule == "policy_hours"


def test_a_kyrgyz_victim_creates_no_intl_cooperation_decision(case, owner):
    victim = VictimFactory(case=case, citizenship="KG")

    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED, victim=victim)

    assert not case.obligations.filter(code="intl_cooperation_decision").exists()


def test_the_72_hours_run_from_the_incident_recorded_on_the_case(owner):
    incident = datetime(2025, 1, 30, 23, 0, tzinfo=UTC)
    case = CaseFactory(created_by=owner, incident_at=incident)

    screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED, sexual_violence=True)

    health = case.obligations.get(code="health_information_72h")
    assert health.due_at == incident + timedelta(hours=72)
    assert health.incident_time_unknown is False
    assert health.basis == Obligation.Basis.HANDBOOK


def test_with_no_incident_time_the_health_information_is_due_immediately_and_says_so(case, owner):
    assert case.incident_at is None

    screening = screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED, sexual_violence=True)

    health = case.obligations.get(code="health_information_72h")
    assert health.due_at == screening.created_at
    assert (health.deadline_rule, health.incident_time_unknown) == ("immediately", True)
    assert health.basis == Obligation.Basis.HANDBOOK


# -- the incident time entered or corrected later --------------------------------------------------------------------


def _edit_incident(case, actor, incident_at, **other):
    case.refresh_from_db()
    return case_update(case=case, actor=actor, data={"incident_at": incident_at, **other}, version=case.version)


def _screen_abused_child(case, actor):
    return screening_record(
        case=case, actor=actor, facts=CHILD_TRAFFICKED, sexual_violence=True, indicators=["held_against_will"]
    )


def test_entering_the_incident_time_recomputes_the_72_hours_and_keeps_the_change_in_the_history(
    case, supervisor, owner
):
    # given a sexually abused child screened while the incident time was unknown
    _screen_abused_child(case, owner)
    others = {o.code: (o.due_at, o.history.count()) for o in case.obligations.exclude(code="health_information_72h")}
    incident = datetime(2025, 1, 30, 23, 0, tzinfo=UTC)

    # when a supervisor enters the incident time on the case
    _edit_incident(case, supervisor, incident)

    # then the 72 hours run from the incident, and the history says who changed it and why
    health = case.obligations.get(code="health_information_72h")
    assert health.due_at == incident + timedelta(hours=72)
    assert (health.deadline_rule, health.incident_time_unknown) == ("hours_after_incident", False)
    latest = health.history.first()
    assert (latest.history_type, latest.history_user) == ("~", supervisor)
    assert latest.history_change_reason == "incident time changed: deadline recomputed"
    assert health.history.count() == 2
    # and the deadlines that do not count from the incident did not move and wrote nothing
    assert {o.code: (o.due_at, o.history.count()) for o in case.obligations.exclude(code="health_information_72h")} == (
        others
    )


def test_correcting_the_incident_time_recomputes_the_72_hours_again(owner):
    case = CaseFactory(created_by=owner, incident_at=datetime(2025, 1, 30, 23, 0, tzinfo=UTC))
    _screen_abused_child(case, owner)
    corrected = datetime(2025, 1, 29, 8, 0, tzinfo=UTC)

    _edit_incident(case, owner, corrected)

    assert case.obligations.get(code="health_information_72h").due_at == corrected + timedelta(hours=72)


def test_removing_the_incident_time_makes_the_health_information_due_immediately_again(owner):
    case = CaseFactory(created_by=owner, incident_at=datetime(2025, 1, 30, 23, 0, tzinfo=UTC))
    screening = _screen_abused_child(case, owner)

    _edit_incident(case, owner, None)

    health = case.obligations.get(code="health_information_72h")
    assert (health.due_at, health.deadline_rule, health.incident_time_unknown) == (
        screening.created_at,
        "immediately",
        True,
    )


def test_an_obligation_already_done_keeps_its_deadline_when_the_incident_time_is_entered(case, owner):
    _screen_abused_child(case, owner)
    done = obligation_complete(obligation=case.obligations.get(code="health_information_72h"), actor=owner)

    _edit_incident(case, owner, datetime(2025, 1, 30, 23, 0, tzinfo=UTC))

    health = case.obligations.get(code="health_information_72h")
    assert (health.due_at, health.status, health.history.count()) == (done.due_at, Obligation.Status.DONE, 2)


def test_an_edit_that_leaves_the_incident_time_alone_recomputes_nothing(case, owner):
    _screen_abused_child(case, owner)
    records = Obligation.history.count()

    _edit_incident(case, owner, None, incident_place="Кант")

    assert Obligation.history.count() == records


def test_a_screening_takes_the_incident_time_saved_on_the_case_not_the_one_its_page_loaded(owner):
    # given the wizard's copy of the case loaded before a colleague entered the incident time
    case = CaseFactory(created_by=owner, incident_at=None)
    wizard_copy = Case.objects.get(pk=case.pk)
    incident = datetime(2025, 1, 30, 23, 0, tzinfo=UTC)
    _edit_incident(case, owner, incident)

    screening_record(case=wizard_copy, actor=owner, facts=CHILD_TRAFFICKED, sexual_violence=True)

    health = case.obligations.get(code="health_information_72h")
    assert (health.due_at, health.incident_time_unknown) == (incident + timedelta(hours=72), False)


def test_the_incident_time_of_one_case_does_not_move_another_cases_deadlines(owner):
    one, other = CaseFactory(created_by=owner), CaseFactory(created_by=owner)
    _screen_abused_child(one, owner)
    _screen_abused_child(other, owner)
    before = other.obligations.get(code="health_information_72h").due_at

    _edit_incident(one, owner, datetime(2025, 1, 30, 23, 0, tzinfo=UTC))

    assert other.obligations.get(code="health_information_72h").due_at == before


def test_configured_policy_hours_set_the_deadlines(case, owner, settings):
    settings.OBLIGATION_POLICY_HOURS = {
        "child_referral": 2,
        "intl_cooperation_decision": 5,
        "rapport_registration": 7,
        "establish_elements": 11,
    }
    victim = VictimFactory(case=case, citizenship="TJ")

    screening = screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED, victim=victim)

    due = {o.code: o.due_at - screening.created_at for o in case.obligations.all()}
    assert due["refer_child_social_services"] == due["inform_ngo"] == timedelta(hours=2)
    assert due["intl_cooperation_decision"] == timedelta(hours=5)
    assert due["rapport_registration"] == timedelta(hours=7)
    incomplete = screening_record(case=CaseFactory(created_by=owner), actor=owner, facts=ADULT_INCOMPLETE)
    assert incomplete.obligations.get().due_at - incomplete.created_at == timedelta(hours=11)


@pytest.mark.parametrize("facts", BAD_FACTS)
def test_bad_facts_raise_and_write_nothing(case, owner, facts):
    with pytest.raises(QualificationInputError) as raised:
        screening_record(case=case, actor=owner, facts=facts, high_risk=True)

    assert raised.value.errors  # field errors, ready for a form or a 400
    assert not Screening.objects.exists()
    assert not Screening.history.exists()
    assert not Obligation.objects.exists()


def test_a_person_from_another_case_is_refused_and_nothing_is_written(case, owner):
    stranger = VictimFactory(case=CaseFactory(created_by=owner))

    with pytest.raises(ValueError, match="not in this case"):
        screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED, victim=stranger)

    assert not Screening.objects.exists()
    assert not Obligation.objects.exists()


def test_completing_an_obligation_records_the_time_and_the_author(case, owner):
    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)
    obligation = case.obligations.get()
    before = timezone.now()

    obligation_complete(obligation=obligation, actor=owner)

    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.DONE
    assert obligation.done_by == owner
    assert before <= obligation.done_at <= timezone.now()
    assert obligation.history.first().history_user == owner


def test_completing_an_obligation_twice_keeps_the_first_time_and_author(case, owner, supervisor):
    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)
    obligation = case.obligations.get()
    first = obligation_complete(obligation=obligation, actor=owner)

    again = obligation_complete(obligation=obligation, actor=supervisor)

    obligation.refresh_from_db()
    assert (obligation.done_by, obligation.done_at) == (owner, first.done_at)
    assert (again.done_by, again.done_at) == (owner, first.done_at)
    assert obligation.history.count() == 2  # created, done; the second call wrote nothing


# -- item 5: a note with what was done, undo within a few minutes, the rapport step done with its item ----------------
def _done_minutes_ago(obligation: Obligation, minutes: int) -> None:
    Obligation.objects.filter(pk=obligation.pk).update(done_at=timezone.now() - timedelta(minutes=minutes))
    obligation.refresh_from_db()


@pytest.mark.parametrize("code", ["notify_kib", "notify_duty_officer", "inform_ngo", "refer_child_social_services"])
def test_a_notice_or_referral_is_marked_done_only_with_a_note_of_what_was_done(case, owner, code):
    screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED)
    obligation = case.obligations.get(code=code)

    with pytest.raises(ValidationError) as refused:
        obligation_complete(obligation=obligation, actor=owner, note="   ")

    assert "note" in refused.value.message_dict
    obligation.refresh_from_db()
    assert (obligation.status, obligation.done_by, obligation.note) == (Obligation.Status.OPEN, None, "")


def test_the_note_is_kept_with_the_item_and_its_history(case, owner):
    screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED)
    obligation = case.obligations.get(code="notify_kib")

    obligation_complete(obligation=obligation, actor=owner, note="  КИБ: Осмонов М., № 12/345  ")

    obligation.refresh_from_db()
    assert (obligation.status, obligation.note) == (Obligation.Status.DONE, "КИБ: Осмонов М., № 12/345")
    assert obligation.history.first().note == "КИБ: Осмонов М., № 12/345"


def test_other_items_may_be_marked_done_without_a_note(case, owner):
    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)

    done = obligation_complete(obligation=case.obligations.get(code="rapport_registration"), actor=owner)

    assert (done.status, done.note) == (Obligation.Status.DONE, "")


@pytest.mark.parametrize("code", ["rapport_registration", "rapport_immediately"])
def test_marking_a_rapport_item_done_records_the_rapport_step_with_it(case, owner, code):
    facts = {**ADULT_TRAFFICKED}
    screening_record(case=case, actor=owner, facts=facts, violence_against_women=code == "rapport_immediately")

    done = obligation_complete(obligation=case.obligations.get(code=code), actor=owner, note="КБР № 77")

    step = case.steps.get()
    assert (step.code, step.done_by, step.done_at, step.note) == ("write_rapport", owner, done.done_at, "КБР № 77")


def test_an_item_is_undone_within_the_undo_minutes_by_who_marked_it(case, owner, settings):
    settings.UNDO_MINUTES = 10
    screening_record(case=case, actor=owner, facts=CHILD_TRAFFICKED)
    obligation = obligation_complete(obligation=case.obligations.get(code="notify_kib"), actor=owner, note="КИБ")
    _done_minutes_ago(obligation, 9)

    obligation_undo(obligation=obligation, actor=owner)

    obligation.refresh_from_db()
    assert (obligation.status, obligation.done_at, obligation.done_by, obligation.note) == ("open", None, None, "")
    latest = obligation.history.first()
    assert (latest.history_user, latest.history_change_reason) == (owner, "undone")
    assert obligation.history.all()[1].note == "КИБ"  # what was undone stays in the history


def test_after_the_undo_minutes_an_item_stays_done(case, owner, settings):
    settings.UNDO_MINUTES = 10
    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)
    obligation = obligation_complete(obligation=case.obligations.get(), actor=owner)
    _done_minutes_ago(obligation, 11)

    with pytest.raises(ValidationError):
        obligation_undo(obligation=obligation, actor=owner)

    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.DONE


def test_only_who_marked_an_item_done_may_undo_it(case, owner, supervisor):
    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)
    obligation = obligation_complete(obligation=case.obligations.get(), actor=owner)

    with pytest.raises(ValidationError):
        obligation_undo(obligation=obligation, actor=supervisor)

    obligation.refresh_from_db()
    assert (obligation.status, obligation.done_by) == (Obligation.Status.DONE, owner)


def test_undoing_a_rapport_item_undoes_the_step_recorded_with_it(case, owner):
    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)
    obligation = obligation_complete(obligation=case.obligations.get(), actor=owner)

    obligation_undo(obligation=obligation, actor=owner)

    assert not case.steps.exists()


def test_undoing_a_rapport_item_keeps_a_rapport_step_recorded_before_it(case, owner):
    step = officer_step_record(case=case, actor=owner, code="write_rapport", note="раньше")
    screening_record(case=case, actor=owner, facts=ADULT_TRAFFICKED)
    obligation = obligation_complete(obligation=case.obligations.get(), actor=owner)

    obligation_undo(obligation=obligation, actor=owner)

    assert list(case.steps.all()) == [step]
