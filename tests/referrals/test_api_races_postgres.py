"""Two API calls changing the same referral at the same moment, on PostgreSQL with real row locks: exactly one wins
(200), the other answers 409, and the history keeps one row of the transition."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OutboxMessage
from referrals.models import Referral
from tests.referrals.conftest import api_key_of
from tests.screening.test_races_postgres import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ATTEMPTS = range(4)
BODIES = {"accept": {}, "decline": {"reason": "Орун жок"}}


def _post(key: str, referral: Referral, change: str, answers: list) -> callable:
    def run() -> None:
        response = Client().post(
            reverse(f"api-referral-{change}", args=[referral.pk]), data=json.dumps(BODIES[change]),
            content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {key}",
        )  # fmt: skip
        answers.append((change, response.status_code))

    return run


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_two_keys_accepting_at_once_one_wins_and_the_other_gets_409(attempt, ngo, ngo_key, sent_to_ngo):
    second_key = api_key_of(ngo.organisation)
    answers: list = []

    run_at_once(_post(ngo_key, sent_to_ngo, "accept", answers), _post(second_key, sent_to_ngo, "accept", answers))

    assert sorted(status for _, status in answers) == [200, 409]
    referral = Referral.objects.get(pk=sent_to_ngo.pk)
    assert referral.status == "accepted" and referral.version == sent_to_ngo.version + 1
    assert referral.history.filter(history_change_reason__startswith="accepted").count() == 1
    assert OutboxMessage.objects.filter(kind="referral_accepted", channel="in_app").count() == 1


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_an_accept_and_a_decline_at_once_exactly_one_happens(attempt, ngo, ngo_key, sent_to_ngo):
    second_key = api_key_of(ngo.organisation)
    answers: list = []

    run_at_once(_post(ngo_key, sent_to_ngo, "accept", answers), _post(second_key, sent_to_ngo, "decline", answers))

    assert sorted(status for _, status in answers) == [200, 409]
    [winner] = [change for change, status in answers if status == 200]
    referral = Referral.objects.get(pk=sent_to_ngo.pk)
    assert referral.status == {"accept": "accepted", "decline": "declined"}[winner]
    transitions = referral.history.filter(history_change_reason__regex=r"^(accepted|declined)")
    assert transitions.count() == 1
    kinds = set(OutboxMessage.objects.filter(channel="in_app").values_list("kind", flat=True))
    assert kinds & {"referral_accepted", "referral_declined"} == {f"referral_{referral.status}"}
