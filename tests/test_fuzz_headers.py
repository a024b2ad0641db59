"""Malformed credentials and signature headers sent to every API endpoint: never a 5xx, every refusal JSON.

FUZZ_HEADERS requests (5,000 by default, CI or not), each built by a seeded generator (FUZZ_SEED): an `Authorization`
value (wrong or missing scheme, the NGO's real key spoiled, NUL bytes, bidi and other invisible characters, Kyrgyz and
other Unicode, invalid base64, values up to 64 KB, many commas, a header repeated the way a server hands it on, joined
with ", "), an `X-Api-Key` the API does not read, and the Standard Webhooks headers (`webhook-id`,
`webhook-timestamp`, `webhook-signature`) the API must ignore. The API takes no inbound webhooks (the project only sends
them), so these headers reach the same endpoints. Each request goes through the real WSGI application, with the
header's bytes as a server would decode them (latin-1).

Checks: no 5xx; a refusal is 400, 401 or 403 with a JSON object body (`{"detail": "…"}` for 401 and 403, with
`WWW-Authenticate: Api-Key` on a 401); a request that got through (the real key with blanks around it) answers as
usual, and its 404 or 409 is JSON too.
"""

import base64
import json
import os
import random
import time
from collections import Counter

import pytest
from django.test.client import RequestFactory

from .fuzz_cast import build_world, fuzz_cases, rolled_back, wsgi_in_test_transaction

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

FUZZ_HEADERS = fuzz_cases("FUZZ_HEADERS", ci=5_000, local=5_000)
SEED = int(os.environ.get("FUZZ_SEED", "20261201"))
REFUSALS = {400, 401, 403}
# Statuses a request that got through with a real key may see (a referral in the wrong state: 409).
GOT_THROUGH = {200, 201, 202, 204, 404, 409}

SCHEMES = [
    "Api-Key",
    "api-key",
    "API-KEY",
    "ApiKey",
    "Api-Key:",
    "Bearer",
    "Basic",
    "Token",
    "Digest",
    "",
    " ",
    "Api‐Key",
]
ODD = [
    "\x00", "\u202e", "\u2066", "\u2069", "\u200b", "\u200f", "\ufeff", "\u00a0", "\t", "\x1b", "\x7f", "\ud7ff",
    "ң", "ө", "ү", "Ы", "😀", "e\u0301", "\uffff", "%00", "\\", '"', "'", ";", "=", ",", ".",
]  # fmt: skip
WORDS = ["", "null", "undefined", "[]", "{}", "0", "-1", "true", "Айжан", "👮", "../../etc/passwd", "<script>", "%n%s"]


def _spoil(rng: random.Random, text: str) -> str:
    """The text with a few characters changed, dropped or inserted."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(chars) + 1)
        action = rng.choice(["insert", "replace", "drop"])
        if action == "insert" or not chars:
            chars.insert(position, rng.choice(ODD))
        elif action == "replace" and position < len(chars):
            chars[position] = rng.choice([*ODD, "A", "z", "9"])
        elif position < len(chars):
            del chars[position]
    return "".join(chars)


def _key_part(rng: random.Random, real_key: str) -> str:
    prefix, _, secret = real_key.partition(".")
    choices = [
        lambda: real_key,
        lambda: _spoil(rng, real_key),
        lambda: prefix,
        lambda: prefix + ".",
        lambda: "." + secret,
        lambda: real_key + "." + secret,
        lambda: ".".join([prefix] * rng.randint(2, 50)),
        lambda: real_key.upper(),
        lambda: base64.b64encode(rng.randbytes(rng.randint(1, 64))).decode(),
        lambda: base64.b64encode(real_key.encode()).decode(),
        lambda: "!!!" + base64.b64encode(rng.randbytes(12)).decode()[:-1] + "=*=",
        lambda: "".join(rng.choice(ODD) for _ in range(rng.randint(1, 40))),
        lambda: "A" * 65_536,
        lambda: rng.choice(["Ы", "😀", "\u202e", "\x00", ","]) * rng.randint(1_000, 16_384),
        lambda: "," * rng.randint(1, 5_000),
        lambda: ", ".join(real_key for _ in range(rng.randint(2, 30))),
        lambda: rng.choice(WORDS),
        lambda: f"  {real_key}  ",
        lambda: real_key.replace(".", rng.choice(ODD)),
    ]
    return rng.choice(choices)()


def _authorization(rng: random.Random, real_key: str) -> str:
    values = [
        f"{rng.choice(SCHEMES)}{rng.choice([' ', '  ', '', chr(9), ' , '])}{_key_part(rng, real_key)}"
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5]))
    ]
    return ", ".join(values)  # a repeated header, as the WSGI server joins it


def _signature_headers(rng: random.Random, real_key: str) -> dict[str, str]:
    signature = rng.choice([
        "v1,", "v1," + base64.b64encode(rng.randbytes(32)).decode(), "v1,!!!not base64", "v2," + real_key,
        " ".join("v1,AAAA" for _ in range(rng.randint(1, 2_000))), "v1a," + "=" * rng.randint(1, 100),
        _spoil(rng, "v1,c2lnbmF0dXJl"), "whsec_" + _key_part(rng, real_key),
    ])  # fmt: skip
    return {
        "HTTP_WEBHOOK_ID": rng.choice(["msg_" + "x" * rng.randint(0, 65_536), _spoil(rng, "msg_2K"), ""]),
        "HTTP_WEBHOOK_TIMESTAMP": rng.choice(["0", "-1", "9" * 400, "1e309", "NaN", _spoil(rng, "1764547200")]),
        "HTTP_WEBHOOK_SIGNATURE": signature,
    }


def _as_server_decodes(value: str) -> str:
    """A header value as a WSGI server hands it on: its UTF-8 bytes decoded as latin-1 (PEP 3333)."""
    return value.encode("utf-8", "surrogatepass").decode("latin-1")


def _requests(world) -> list[tuple[str, str, dict | None]]:
    """Every API endpoint, with a real id (the caller's own where it has one) and a body it would take."""
    referral, endpoint = world.referral_ids[0], world.endpoint_ids[0]
    return [
        ("get", "/api/v1/referrals/", None),
        ("get", f"/api/v1/referrals/{referral}/", None),
        ("patch", f"/api/v1/referrals/{referral}/", {"external_ref": "ISH-1"}),
        ("post", f"/api/v1/referrals/{referral}/accept/", {}),
        ("post", f"/api/v1/referrals/{referral}/decline/", {"reason": "Орун жок."}),
        ("post", f"/api/v1/referrals/{referral}/updates/", {"service": "shelter", "note": "."}),
        ("post", "/api/v1/screening/qualify/", {"victim_age": 16, "acts": ["recruitment"]}),
        ("get", "/api/v1/webhooks/endpoints/", None),
        ("post", "/api/v1/webhooks/endpoints/", {"url": "http://127.0.0.1:9/h", "event_types": ["referral.created"]}),
        ("get", f"/api/v1/webhooks/endpoints/{endpoint}/", None),
        ("patch", f"/api/v1/webhooks/endpoints/{endpoint}/", {"description": "x"}),
        ("delete", f"/api/v1/webhooks/endpoints/{endpoint}/", None),
        ("get", f"/api/v1/webhooks/endpoints/{endpoint}/deliveries/", None),
        ("post", f"/api/v1/webhooks/endpoints/{endpoint}/rotate-secret/", None),
        ("post", f"/api/v1/webhooks/endpoints/{endpoint}/test/", None),
        ("get", "/api/v1/schema/", None),
        ("get", "/api/v1/docs/", None),
    ]


def _send(app, method: str, path: str, body, headers: dict[str, str]):
    """Send one request through the WSGI application; return (status, headers, body bytes)."""
    extra = {key: _as_server_decodes(value) for key, value in headers.items()}
    data = json.dumps(body) if body is not None else ""
    environ = (
        RequestFactory().generic(method.upper(), path, data=data, content_type="application/json", **extra).environ
    )
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split(" ", 1)[0])
        answer["headers"] = {name.lower(): value for name, value in response_headers}

    chunks = app(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    return answer["status"], answer["headers"], content


def _problem(status: int, headers: dict[str, str], content: bytes) -> str | None:
    """What is wrong with an answer to a malformed header, or None."""
    if status >= 500:
        return "server error"
    if status not in REFUSALS | GOT_THROUGH:
        return f"unexpected status {status}"
    if status < 300:  # a real key got through: the normal answer (its shape is the schema fuzzer's to check)
        return None
    if not headers.get("content-type", "").startswith("application/json"):
        return f"{status} is not JSON but {headers.get('content-type')!r}" if content else None
    try:
        body = json.loads(content)
    except ValueError:
        return f"{status} body is not valid JSON"
    if status in {401, 403} and not (isinstance(body, dict) and isinstance(body.get("detail"), str)):
        return f'{status} body is not {{"detail": "…"}}: {body!r:.200}'
    if status == 400 and not isinstance(body, dict):
        return f"400 body is not an object: {body!r:.200}"
    if status == 401 and headers.get("www-authenticate") != "Api-Key":
        return "401 without WWW-Authenticate: Api-Key"
    return None


def test_malformed_credentials_and_signature_headers_get_json_refusals_and_never_a_5xx(settings, record_property):
    rng = random.Random(SEED)
    tally: Counter = Counter()
    problems: list[str] = []
    with wsgi_in_test_transaction() as app:
        world = build_world(settings, app)
        requests = _requests(world)
        started = time.perf_counter()
        for number in range(FUZZ_HEADERS):
            method, path, body = rng.choice(requests)
            headers = {"HTTP_AUTHORIZATION": _authorization(rng, world.ngo_key)}
            if rng.random() < 0.5:
                headers["HTTP_X_API_KEY"] = _key_part(rng, world.ngo_key)
            if rng.random() < 0.5:
                headers |= _signature_headers(rng, world.ngo_key)
            with rolled_back():
                status, response_headers, content = _send(app, method, path, body, headers)
            tally[status] += 1
            problem = _problem(status, response_headers, content)
            if problem:
                problems.append(f"#{number} {method.upper()} {path} {headers!r:.300}: {problem}")
        seconds = time.perf_counter() - started

    server_errors = sum(count for status, count in tally.items() if status >= 500)
    record_property("fuzz_headers_cases", FUZZ_HEADERS)
    record_property("fuzz_headers_server_errors", server_errors)
    record_property("fuzz_headers_seconds", seconds)
    print(
        f"malformed headers: {FUZZ_HEADERS} requests in {seconds:.1f} s (seed {SEED}; "
        f"{', '.join(f'{status}: {count}' for status, count in sorted(tally.items()))}), "
        f"server errors: {server_errors}, other problems: {len(problems) - server_errors}"
    )
    assert not problems, f"{len(problems)} bad answers, the first ones:\n" + "\n".join(problems[:10])
