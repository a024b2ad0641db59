"""POST /api/v1/screening/qualify/ (ARCHITECTURE §4, §6): the engine as JSON, for sessions and API keys."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from accounts.models import ApiKey, Organisation
from screening.qualification import qualify, today_in_bishkek

pytestmark = pytest.mark.django_db

URL = "/api/v1/screening/qualify/"
ACT_DATE = "2024-09-01"
RECRUITED_FOR_SEX = {"acts": ["recruitment"], "purposes": ["sexual_exploitation"]}
FACT_SETS = [
    pytest.param({}, id="nothing_given"),
    pytest.param({"act_date": ACT_DATE, "victim_age": 15, **RECRUITED_FOR_SEX}, id="art_167_child_by_age"),
    pytest.param(
        {"act_date": ACT_DATE, "victim_date_of_birth": "2006-09-01", **RECRUITED_FOR_SEX},
        id="art_167_on_the_18th_birthday",
    ),
    pytest.param({"act_date": ACT_DATE, "appears_minor": True, **RECRUITED_FOR_SEX}, id="art_167_appears_minor"),
    pytest.param(
        {"act_date": ACT_DATE, "victim_age": 25, "means": ["deception"], **RECRUITED_FOR_SEX}, id="art_166_adult"
    ),
    pytest.param(
        {
            "act_date": ACT_DATE,
            "victim_age": 31,
            "acts": ["transportation", "harbouring"],
            "means": ["abduction", "threat"],
            "purposes": ["forced_labour"],
            "exploitation_occurred": ["forced_labour"],
            "moved_across_kr_border": True,
            "illegal_border_crossing": True,
        },
        id="art_166_2_5_with_cumulative_warnings",
    ),
    pytest.param(
        {"act_date": ACT_DATE, "victim_age": 22, "free_consent_prostitution": True, **RECRUITED_FOR_SEX},
        id="art_159_160",
    ),
    pytest.param(
        {
            "act_date": ACT_DATE,
            "victim_age": 22,
            "free_consent_prostitution": True,
            "foreseen_slave_like_dependency": True,
            **RECRUITED_FOR_SEX,
        },
        id="elements_not_established_slave_like_dependency",
    ),
    pytest.param(
        {"act_date": ACT_DATE, "victim_age": 40, "acts": ["receipt"], "purposes": ["organ_removal"]},
        id="elements_not_established_no_means",
    ),
    pytest.param(
        {
            "act_date": ACT_DATE,
            "victim_age": 40,
            "acts": ["transfer"],
            "means": ["abuse_of_vulnerability"],
            "purposes": ["servitude"],
            "vulnerability_evidenced": True,
        },
        id="elements_not_established_vulnerability_abuse_unproven",
    ),
    pytest.param(
        {"act_date": ACT_DATE, "victim_age": 27, "acts": ["transportation"], "crossed_border": True},
        id="not_trafficking_migrant_smuggling",
    ),
    pytest.param(
        {"act_date": ACT_DATE, "victim_age": 19, "suspect_age": 13, "means": ["force"], **RECRUITED_FOR_SEX},
        id="suspect_not_subject",
    ),
    pytest.param(
        {"act_date": ACT_DATE, "victim_age": None, "suspect_sane": False, "acts": [], **RECRUITED_FOR_SEX},
        id="nulls_and_empty_lists",
    ),
]
VERDICTS_COVERED = {"art_166", "art_167", "art_159_160", "elements_not_established", "not_trafficking"}


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Тунгуч", kind=Organisation.Kind.NGO)


@pytest.fixture
def api_key(organisation) -> str:
    _, key = ApiKey.objects.create_key(name="Тунгуч integration", organisation=organisation)
    return key


def post(client, payload, *, language: str | None = None, **headers):
    url = f"{URL}?language={language}" if language else URL
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(url, data=body, content_type="application/json", **headers)


def with_key(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


def assert_json(response) -> None:
    assert response["Content-Type"].startswith("application/json")
    assert not response.content.lstrip().startswith(b"<")
    json.loads(response.content)


# -- who may call ----------------------------------------------------------------------------------------------------


def test_the_url_is_the_contracts():
    assert reverse("api-qualify") == URL


def test_a_logged_in_officer_may_qualify(client, owner):
    client.force_login(owner)

    response = post(client, {"act_date": ACT_DATE, "victim_age": 15, **RECRUITED_FOR_SEX})

    assert response.status_code == 200
    assert response.json()["verdict"] == "art_167"


def test_an_organisation_with_an_api_key_may_qualify(client, api_key):
    response = post(client, {"act_date": ACT_DATE, "victim_age": 15, **RECRUITED_FOR_SEX}, **with_key(api_key))

    assert response.status_code == 200
    assert response.json()["verdict"] == "art_167"


def test_an_anonymous_caller_is_refused_with_json(client):
    response = post(client, {"act_date": ACT_DATE, "victim_age": 15, **RECRUITED_FOR_SEX})

    assert response.status_code in (401, 403)
    assert_json(response)
    assert "verdict" not in response.json()
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "authorization",
    ["Api-Key not-a-real-key", "Api-Key ", "Bearer something", "Token abc"],
    ids=["unknown_key", "empty_key", "bearer", "token"],
)
def test_a_wrong_authorization_is_refused_with_json(client, api_key, authorization):
    response = post(client, {}, HTTP_AUTHORIZATION=authorization)

    assert response.status_code in (401, 403)
    assert_json(response)


def test_a_revoked_key_is_refused(client, organisation):
    key_object, key = ApiKey.objects.create_key(name="old", organisation=organisation)
    assert post(client, {}, **with_key(key)).status_code == 200
    key_object.revoked = True
    key_object.save()

    response = post(client, {}, **with_key(key))

    assert response.status_code in (401, 403)
    assert_json(response)


def test_a_get_is_not_allowed(client, api_key):
    response = client.get(URL, **with_key(api_key))

    assert response.status_code == 405
    assert_json(response)


# -- the same answer as the engine -----------------------------------------------------------------------------------


def test_the_fact_sets_cover_every_verdict():
    assert {qualify(param.values[0])["verdict"] for param in FACT_SETS} == VERDICTS_COVERED


@pytest.mark.parametrize("facts", FACT_SETS)
@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_api_answers_exactly_what_the_engine_does(client, api_key, facts, language):
    response = post(client, facts, language=language, **with_key(api_key))

    assert response.status_code == 200
    assert_json(response)
    assert response.json() == json.loads(json.dumps(qualify(facts, language)))


@pytest.mark.parametrize("facts", FACT_SETS)
def test_without_a_language_the_explanation_is_in_english(client, owner, facts):
    client.force_login(owner)

    response = post(client, facts)

    assert response.json() == json.loads(json.dumps(qualify(facts, "en")))


def test_the_explanation_follows_the_language(client, api_key):
    facts = {"act_date": ACT_DATE, "victim_age": 15, **RECRUITED_FOR_SEX}

    explanations = {
        language: post(client, facts, language=language, **with_key(api_key)).json()["explanation"]
        for language in ("ky", "ru", "en")
    }

    assert len(set(explanations.values())) == 3


# -- bad input: 400 with field errors, as JSON -----------------------------------------------------------------------

IN_TWO_DAYS = (today_in_bishkek() + timedelta(days=2)).isoformat()  # in the future whatever the clock's time zone

BAD_INPUT = [
    pytest.param({"victim_shoe_size": 40}, "victim_shoe_size", id="unknown_key"),
    pytest.param({"acts": ["kidnapping"]}, "acts", id="unknown_act_code"),
    pytest.param({"means": ["bribery"]}, "means", id="unknown_means_code"),
    pytest.param({"purposes": ["sexual_exploitation", 7]}, "purposes", id="code_not_a_string"),
    pytest.param({"acts": "recruitment"}, "acts", id="codes_not_a_list"),
    pytest.param({"victim_age": "fifteen"}, "victim_age", id="age_a_string"),
    pytest.param({"victim_age": 15.5}, "victim_age", id="age_a_fraction"),
    pytest.param({"victim_age": True}, "victim_age", id="age_a_boolean"),
    pytest.param({"victim_age": -1}, "victim_age", id="age_negative"),
    pytest.param({"suspect_age": 10**30}, "suspect_age", id="age_huge"),
    pytest.param({"appears_minor": "yes"}, "appears_minor", id="boolean_a_string"),
    pytest.param({"suspect_sane": 1}, "suspect_sane", id="boolean_a_number"),
    pytest.param({"act_date": "01.09.2024"}, "act_date", id="date_not_iso"),
    pytest.param({"act_date": "2024-02-30"}, "act_date", id="date_impossible"),
    pytest.param({"act_date": {"year": 2024}}, "act_date", id="date_an_object"),
    pytest.param({"act_date": "2024-09-01T10:00:00"}, "act_date", id="date_with_time"),
    pytest.param(
        {"act_date": "2024-09-01", "victim_date_of_birth": "2024-09-02"}, "victim_date_of_birth", id="born_after_act"
    ),
    pytest.param({"act_date": IN_TWO_DAYS}, "act_date", id="act_date_in_the_future"),
    pytest.param({"act_date": "1899-12-31"}, "act_date", id="act_date_before_1900"),
    pytest.param(
        {"act_date": "1950-01-01", "victim_date_of_birth": "1899-12-31"}, "victim_date_of_birth", id="born_before_1900"
    ),
]


@pytest.mark.parametrize(("payload", "field"), BAD_INPUT)
def test_bad_facts_answer_400_with_field_errors(client, api_key, payload, field):
    response = post(client, payload, **with_key(api_key))

    assert response.status_code == 400
    assert_json(response)
    errors = response.json()
    assert field in errors
    assert isinstance(errors[field], list)
    assert all(isinstance(message, str) and message for message in errors[field])
    assert "verdict" not in errors


def test_an_act_today_in_bishkek_and_a_birth_in_1900_are_accepted(client, api_key):
    payload = {"act_date": today_in_bishkek().isoformat(), "victim_date_of_birth": "1900-01-01", **RECRUITED_FOR_SEX}

    response = post(client, payload, **with_key(api_key))

    assert response.status_code == 200
    assert response.json()["verdict"] == "elements_not_established"


def test_every_bad_field_is_reported_at_once(client, api_key):
    payload = {"acts": ["kidnapping"], "victim_age": "old", "colour": "red"}

    response = post(client, payload, **with_key(api_key))

    assert response.status_code == 400
    assert set(response.json()) == {"acts", "victim_age", "colour"}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("[]", id="empty_list"),
        pytest.param('[{"victim_age": 15}]', id="list_of_objects"),
        pytest.param('"recruitment"', id="string"),
        pytest.param("42", id="number"),
        pytest.param("null", id="null"),
    ],
)
def test_a_body_that_is_not_an_object_answers_400(client, api_key, body):
    response = post(client, body, **with_key(api_key))

    assert response.status_code == 400
    assert_json(response)
    assert response.json()["non_field_errors"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('{"victim_age": 15', id="unclosed"),
        pytest.param("{'victim_age': 15}", id="single_quotes"),
        pytest.param("victim_age=15", id="not_json"),
        pytest.param(b"\xff\xfe{}", id="not_utf8"),
    ],
)
def test_malformed_json_answers_400_with_a_detail(client, api_key, body):
    response = post(client, body, **with_key(api_key))

    assert response.status_code == 400
    assert_json(response)
    assert response.json()["detail"]


@pytest.mark.parametrize("language", ["de", "KY", "kg", ""])
def test_an_unknown_language_answers_400(client, api_key, language):
    response = client.post(
        f"{URL}?language={language}",
        data=json.dumps({"act_date": ACT_DATE}),
        content_type="application/json",
        **with_key(api_key),
    )

    assert response.status_code == 400
    assert_json(response)
    assert response.json()["language"]


def test_a_form_body_answers_415_not_a_verdict(client, api_key):
    response = client.post(URL, {"acts": "recruitment", "victim_age": "15"}, **with_key(api_key))

    assert response.status_code == 415
    assert_json(response)


def test_a_session_call_with_bad_facts_also_answers_json(client, owner):
    client.force_login(owner)

    response = post(client, {"acts": ["kidnapping"]})

    assert response.status_code == 400
    assert_json(response)
    assert "acts" in response.json()


# -- documentation ---------------------------------------------------------------------------------------------------


def test_the_openapi_schema_documents_the_endpoint(client_for, owner):
    response = client_for(owner).get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    operation = schema["paths"][URL]["post"]
    assert {"200", "400"} <= set(operation["responses"])
    request_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request_schema = schema["components"]["schemas"][request_ref.rsplit("/", 1)[-1]]
    assert {"act_date", "victim_date_of_birth", "acts", "means", "purposes"} <= set(request_schema["properties"])
    response_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    response_schema = schema["components"]["schemas"][response_ref.rsplit("/", 1)[-1]]
    assert {"verdict", "articles", "child", "missing", "warnings", "explanation"} <= set(response_schema["properties"])
    (language,) = [p for p in operation["parameters"] if p["name"] == "language"]
    assert language["in"] == "query"
    assert set(language["schema"]["enum"]) == {"ky", "ru", "en"}


def test_the_openapi_schema_documents_every_error_status_the_endpoint_answers(client_for, owner):
    """Found by the schema fuzzer: an anonymous call answered 401, which the schema did not list."""
    schema = client_for(owner).get("/api/v1/schema/", {"format": "json"}).json()

    assert {"200", "400", "401", "403", "413", "415", "429"} <= set(schema["paths"][URL]["post"]["responses"])


def test_the_api_docs_are_served_without_any_cdn(client_for, owner):
    response = client_for(owner).get("/api/v1/docs/")

    html = response.content.decode().lower()
    assert response.status_code == 200
    assert "swagger" in html
    start_script = client_for(owner).get("/api/v1/docs/", {"script": ""}).content.decode()
    assert "/api/v1/schema/" in start_script
    # No asset from another host (a random token in the page may contain "cdn", so look at addresses only).
    assert re.findall(r'(?:src|href)\s*=\s*["\'](?:https?:)?//', html) == []
    for external in ("cdn.", "jsdelivr", "unpkg.com"):
        assert external not in html


def test_the_api_docs_assets_are_the_projects_own_static_files(client_for, owner):
    html = client_for(owner).get("/api/v1/docs/").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    # Its start script is the page's own address with ?script (no inline script: the Content-Security-Policy).
    start_scripts = [asset for asset in assets if asset.startswith("/api/v1/docs/?")]
    assert len(start_scripts) == 1 and "script=" in start_scripts[0]
    for asset in set(assets) - set(start_scripts):
        assert asset.startswith(settings.STATIC_URL), asset
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset


def test_a_request_without_credentials_is_told_to_use_an_api_key(client):
    response = client.post("/api/v1/screening/qualify/", {}, content_type="application/json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert "detail" in response.json()


def test_the_openapi_schema_generates_without_warnings_and_validates(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert "ApiKey" in (tmp_path / "schema.yml").read_text()
