"""A screening and an edit of the case's incident time at the same moment, on PostgreSQL with real row locks."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from cases.models import Case
from cases.services import case_update
from screening.services import screening_record
from tests.factories import CaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ABUSED_CHILD = {"act_date": "2025-02-01", "victim_age": 12, "acts": ["harbouring"], "purposes": ["forced_labour"]}
INCIDENT = datetime(2025, 1, 30, 23, 0, tzinfo=UTC)


def run_at_once(*calls) -> None:
    """Run the calls in threads released together, each on its own connection; re-raise the first error."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call) -> None:
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    if errors:
        raise errors[0]


@pytest.mark.parametrize("attempt", range(8))
def test_the_72_hours_count_from_the_incident_entered_while_the_child_is_screened(owner, attempt):
    # given a case without incident time, opened in two browsers: the wizard and the case edit form
    case = CaseFactory(created_by=owner, incident_at=None)
    wizard_copy, form_copy = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)

    # when the screening is saved and the incident time entered at the same moment
    run_at_once(
        lambda: screening_record(case=wizard_copy, actor=owner, facts=ABUSED_CHILD, sexual_violence=True),
        lambda: case_update(case=form_copy, actor=owner, data={"incident_at": INCIDENT}, version=form_copy.version),
    )

    # then, whichever came first, the 72 hours run from the incident
    health = case.obligations.get(code="health_information_72h")
    assert (health.due_at, health.deadline_rule, health.incident_time_unknown) == (
        INCIDENT + timedelta(hours=72),
        "hours_after_incident",
        False,
    )
