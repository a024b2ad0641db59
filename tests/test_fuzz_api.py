"""Fuzz the REST API from its own OpenAPI schema (schemathesis, in this process, through the WSGI application).

Each operation of `/api/v1/schema/` gets its share of FUZZ_CASES generated requests (20,000 in CI, 2,000 locally by
default): about half valid by the schema and half not, each sent by one of the callers (an NGO's API key, a signed-in
1899 hotline operator, nobody) to a real referral or endpoint id or to a generated one. Every answer must be: no 5xx, a
status code the schema lists, its declared content type, a body and headers that match the schema, within MAX_SECONDS.
One test per operation, so that the suite's workers (pytest-xdist) share them. The counts are printed at the end of the
run ("fuzzing: …", tests/conftest.py).
"""

import time
from collections import Counter

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .fuzz_cast import build_world, fuzz_cases, rolled_back, wsgi_in_test_transaction

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

FUZZ_CASES = fuzz_cases("FUZZ_CASES", ci=20_000, local=2_000)
MAX_SECONDS = 5.0  # for one answer
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Every operation of the schema (test_the_fuzzed_operations_are_the_schemas keeps the list whole).
OPERATIONS = [
    ("GET", "/api/v1/referrals/"),
    ("GET", "/api/v1/referrals/{referral_id}/"),
    ("PATCH", "/api/v1/referrals/{referral_id}/"),
    ("POST", "/api/v1/referrals/{referral_id}/accept/"),
    ("POST", "/api/v1/referrals/{referral_id}/decline/"),
    ("POST", "/api/v1/referrals/{referral_id}/updates/"),
    ("POST", "/api/v1/screening/qualify/"),
    ("GET", "/api/v1/webhooks/endpoints/"),
    ("POST", "/api/v1/webhooks/endpoints/"),
    ("GET", "/api/v1/webhooks/endpoints/{endpoint_id}/"),
    ("PATCH", "/api/v1/webhooks/endpoints/{endpoint_id}/"),
    ("DELETE", "/api/v1/webhooks/endpoints/{endpoint_id}/"),
    ("GET", "/api/v1/webhooks/endpoints/{endpoint_id}/deliveries/"),
    ("POST", "/api/v1/webhooks/endpoints/{endpoint_id}/rotate-secret/"),
    ("POST", "/api/v1/webhooks/endpoints/{endpoint_id}/test/"),
]
PATH_IDS = {"referral_id": "referral_ids", "endpoint_id": "endpoint_ids"}
# A body the generator would hardly hit (a URL of a host that resolves), swapped in for some of the cases.
VALID_BODIES = {
    ("POST", "/api/v1/webhooks/endpoints/"): {"url": "http://127.0.0.1:9/new", "event_types": ["referral.updated"]},
}


_SCHEMAS: list = []


def _schema(app, key: str):
    """The schema as the API serves it, read once per process (it does not depend on the test's data)."""
    if not _SCHEMAS:
        headers = {"Authorization": f"Api-Key {key}"}
        _SCHEMAS.append(schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app, headers=headers))
    return _SCHEMAS[0]


@pytest.fixture
def world(settings):
    with wsgi_in_test_transaction() as app:
        yield build_world(settings, app)


def _cases(operation):
    """Valid cases, and invalid ones where the operation takes any input to spoil."""
    positive = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    takes_input = operation.path_parameters or operation.query or operation.body
    if not takes_input:
        return positive
    return st.one_of(positive, operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))


def _fuzz(world, operation, examples: int) -> tuple[Counter, list[str], float]:
    tally: Counter = Counter()
    failures: list[str] = []
    slowest = [0.0]
    real_ids = {
        name: st.one_of(st.none(), st.sampled_from(getattr(world, attribute)))
        for name, attribute in PATH_IDS.items()
        if any(parameter.name == name for parameter in operation.path_parameters)
    }
    valid_body = VALID_BODIES.get((operation.method.upper(), operation.path))
    bodies = st.sampled_from([None, valid_body]) if valid_body else st.none()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases on every run: a failure in CI is the one seen locally
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=_cases(operation),
        caller=st.sampled_from(world.callers),
        ids=st.fixed_dictionaries(real_ids),
        body=bodies,
    )
    def run(case, caller, ids, body):
        for name, value in ids.items():
            if value is not None:
                case.path_parameters = {**(case.path_parameters or {}), name: value}
        if body is not None:
            case.body = dict(body)
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"} | caller.headers
        case.cookies = {k: v for k, v in (case.cookies or {}).items() if k != "sessionid"} | caller.cookies
        with rolled_back():
            started = time.perf_counter()
            response = case.call()
            slowest[0] = max(slowest[0], time.perf_counter() - started)
        tally["cases"] += 1
        tally[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except BaseException as exc:  # schemathesis raises a FailureGroup, a BaseExceptionGroup
            if isinstance(exc, KeyboardInterrupt):
                raise
            failures.append(f"{caller.name}: {case.as_curl_command()}\n{exc}")

    run()
    return tally, failures, slowest[0]


def test_the_fuzzed_operations_are_the_schemas(world):
    schema = _schema(world.app, world.ngo_key)

    served = [(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()]

    assert sorted(served) == sorted(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_generated_requests_get_no_5xx_and_answers_that_match_the_schema(world, method, path, record_property):
    operation = _schema(world.app, world.ngo_key)[path][method]
    started = time.perf_counter()

    tally, failures, slowest = _fuzz(world, operation, -(-FUZZ_CASES // len(OPERATIONS)))  # at least FUZZ_CASES

    seconds = time.perf_counter() - started
    record_property("fuzz_api_cases", tally["cases"])
    record_property("fuzz_api_server_errors", tally["5xx"])
    record_property("fuzz_api_seconds", seconds)
    statuses = ", ".join(f"{key}: {value}" for key, value in sorted(tally.items()) if key != "cases")
    print(
        f"{method} {path}: {tally['cases']} cases in {seconds:.1f} s ({statuses}), server errors: {tally['5xx']}, "
        f"schema mismatches: {len(failures)}, slowest answer: {slowest * 1000:.0f} ms"
    )
    assert tally["5xx"] == 0 and not failures, f"{len(failures)} failures, the first ones:\n\n" + "\n\n".join(
        failures[:5]
    )
    assert slowest < MAX_SECONDS
