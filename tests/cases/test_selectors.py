"""Selectors that are not covered through the pages: the history timeline's pairing of records."""

import pytest

from cases import selectors, services
from cases.models import Case

pytestmark = pytest.mark.django_db


def _case_with_edits(owner, edits: int) -> Case:
    case = services.case_create(actor=owner, data={"source": Case.Source.CITIZEN})
    victim = services.victim_create(case=case, actor=owner, data={"last_name": "Асанова", "sex": "female"})
    for index in range(edits):
        if index % 3:
            case = services.case_update(case=case, actor=owner, data={"summary": f"Edit {index}"}, version=case.version)
        else:
            victim = services.victim_update(
                victim=victim, actor=owner, data={"phone": f"0555 00 00 {index:02d}"}, version=victim.version
            )
    return case


def test_each_history_record_is_paired_with_the_record_before_it(owner):
    case = _case_with_edits(owner, 9)

    records = selectors.case_history(case=case)

    assert len(records) == 11
    for record in records:
        assert record.previous_record == record.prev_record  # what django-simple-history finds one query at a time


def test_the_history_is_cut_to_the_newest_records_and_the_oldest_shown_are_still_paired(owner):
    case = _case_with_edits(owner, 9)

    records = selectors.case_history(case=case, limit=4)

    everything = selectors.case_history(case=case)
    assert [r.history_id for r in records] == [r.history_id for r in everything[:4]]
    assert all(r.previous_record is not None and r.previous_record == r.prev_record for r in records)


def test_a_created_record_has_no_previous_record(owner):
    case = _case_with_edits(owner, 0)

    records = selectors.case_history(case=case)

    assert [(r.history_type, r.previous_record) for r in records] == [("+", None), ("+", None)]


# ---------------------------------------------------------------------------
# The case search condition
# ---------------------------------------------------------------------------
def test_the_search_finds_a_case_by_number_place_or_a_victims_name_phone_and_document(owner):
    case = services.case_create(actor=owner, data={"source": Case.Source.CITIZEN, "incident_place": "Кант, базар"})
    services.victim_create(
        case=case,
        actor=owner,
        data={
            "last_name": "Асанова",
            "first_name": "Айжан",
            "phone": "0555 12 34 56",
            "id_document_number": "ID1234567",
        },
    )
    other = services.case_create(actor=owner, data={"source": Case.Source.CITIZEN})

    for typed in (case.number, "Кант", "Asanova", "555123456", "id1234567"):
        assert list(Case.objects.filter(selectors.case_search_condition(typed))) == [case], typed
    assert not Case.objects.filter(selectors.case_search_condition("Токтогулов")).exists()
    assert other not in Case.objects.filter(selectors.case_search_condition("Asanova"))


def test_the_search_without_victims_matches_only_the_number_and_the_place(owner):
    case = services.case_create(actor=owner, data={"source": Case.Source.CITIZEN, "incident_place": "Кант"})
    services.victim_create(case=case, actor=owner, data={"last_name": "Асанова", "phone": "0555 12 34 56"})

    assert not Case.objects.filter(selectors.case_search_condition("Asanova", include_victims=False)).exists()
    assert not Case.objects.filter(selectors.case_search_condition("555123456", include_victims=False)).exists()
    assert list(Case.objects.filter(selectors.case_search_condition("Кант", include_victims=False))) == [case]
