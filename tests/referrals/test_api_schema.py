"""The OpenAPI schema: valid OpenAPI 3 without a warning, every /api/v1/ endpoint of the URLconf in it with examples,
the JSON errors documented, and the `Authorization: Api-Key <key>` scheme."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from trafficking_cms import api_urls

# The schema and its viewer describe the API; they are not endpoints of it.
NOT_ENDPOINTS = {"api-schema", "api-docs"}
REFERRAL_ENDPOINTS = {
    ("/api/v1/referrals/", "get"),
    ("/api/v1/referrals/{referral_id}/", "get"),
    ("/api/v1/referrals/{referral_id}/", "patch"),
    ("/api/v1/referrals/{referral_id}/accept/", "post"),
    ("/api/v1/referrals/{referral_id}/decline/", "post"),
    ("/api/v1/referrals/{referral_id}/updates/", "post"),
}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker) -> dict:
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it: the command fails on any warning or
    on a schema that is not valid OpenAPI 3 (drf-spectacular checks it against the bundled OpenAPI schema)."""
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def _api_paths() -> set[str]:
    """Every /api/v1/ route of the project's URLconf, written as OpenAPI writes it ({name} for a parameter)."""
    prefix = "api/v1/"  # test_the_api_is_mounted_at_api_v1
    found = set()
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in NOT_ENDPOINTS:
            continue
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        found.add(f"/{prefix}{route}")
    return found


def _has_example(operation: dict) -> bool:
    bodies = [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
    return any(
        media.get("examples") or media.get("example") for body in bodies for media in body.get("content", {}).values()
    )


def test_the_api_is_mounted_at_api_v1():
    assert any(isinstance(p, URLResolver) and str(p.pattern) == "api/v1/" for p in get_resolver().url_patterns)


def test_every_api_endpoint_of_the_urlconf_is_in_the_schema_with_an_example(schema):
    paths = _api_paths()

    assert paths >= {path for path, _ in REFERRAL_ENDPOINTS}
    assert paths <= set(schema["paths"]), sorted(paths - set(schema["paths"]))
    for path in paths:
        operations = {method: op for method, op in schema["paths"][path].items() if method in METHODS}
        assert operations, path
        assert all(operation.get("summary") for operation in operations.values()), path
        assert any(_has_example(operation) for operation in operations.values()), path


def test_every_referral_operation_has_an_example(schema):
    for path, method in REFERRAL_ENDPOINTS:
        assert _has_example(schema["paths"][path][method]), (path, method)


def test_the_referral_endpoints_document_their_json_errors(schema):
    for path, method in REFERRAL_ENDPOINTS:
        responses = schema["paths"][path][method]["responses"]
        expected = {"200", "401", "429"} | ({"400"} if method != "get" or path.endswith("referrals/") else set())
        expected |= {"404"} if "{referral_id}" in path else set()
        expected |= {"403", "413"} if method != "get" else set()  # a session's CSRF token; the body's size
        expected |= {"409"} if method == "post" else set()
        assert expected <= set(responses), (path, method, sorted(responses))
        for code, response in responses.items():
            content = response.get("content", {})
            assert list(content) == ["application/json"], (path, method, code)
            if code != "200":
                assert content["application/json"].get("examples"), (path, method, code)


def test_the_referral_id_is_documented_as_a_uuid(schema):
    parameters = schema["paths"]["/api/v1/referrals/{referral_id}/"]["get"]["parameters"]

    [referral_id] = [p for p in parameters if p["name"] == "referral_id"]
    assert referral_id["in"] == "path" and referral_id["schema"]["format"] == "uuid"


def test_the_api_key_scheme_is_documented_and_required_by_the_referral_endpoints(schema):
    scheme = schema["components"]["securitySchemes"]["ApiKey"]

    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    for path, method in REFERRAL_ENDPOINTS:
        assert {"ApiKey": []} in schema["paths"][path][method]["security"]


def test_the_list_documents_its_filters_and_pages(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/referrals/"]["get"]["parameters"]}

    assert names == {"status", "updated_since", "external_ref", "limit", "offset"}


def test_the_payload_documents_every_category_as_optional(schema):
    payload = schema["components"]["schemas"]["ReferralPayload"]

    for category in ["identity", "contacts", "whereabouts", "health", "case_facts"]:
        assert category in payload["properties"] and category not in payload["required"]
    assert {"id", "status", "shared", "withheld", "external_ref"} <= set(payload["required"])


@pytest.mark.django_db
def test_the_schema_is_served_to_a_signed_in_user(client_for, owner):
    response = client_for(owner).get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert "/api/v1/referrals/{referral_id}/accept/" in response.json()["paths"]
