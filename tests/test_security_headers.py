"""Security headers and production settings: CSP, Permissions-Policy, no-store, the API schema's access, what production
and the demo refuse to start with, and the modes of the files the project writes."""

import base64
import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import ApiKey, Organisation
from cases import services as case_services
from trafficking_cms.management.commands.seed_demo import Command as SeedDemo

BASE_DIR = Path(settings.BASE_DIR)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 3000 + b"\n%%EOF\n"


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def api_key(db) -> str:
    organisation = Organisation.objects.create(name="Тунгуч", kind=Organisation.Kind.NGO)
    return ApiKey.objects.create_key(name="Тунгуч integration", organisation=organisation)[1]


# ---------------------------------------------------------------------------
# Content-Security-Policy and Permissions-Policy
# ---------------------------------------------------------------------------


def test_every_page_carries_a_strict_content_security_policy(client_for, owner):
    response = client_for(owner).get(reverse("cases:list"))

    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_the_login_page_carries_the_policy_too(client):
    response = client.get(reverse("login"))

    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_only_the_api_documentation_allows_inline_styles_and_data_images(client_for, owner):
    response = client_for(owner).get(reverse("api-docs"))

    policy = _directives(response["Content-Security-Policy"])
    assert response.status_code == 200
    assert policy["script-src"] == ["'self'"]
    assert set(policy["style-src"]) == {"'self'", "'unsafe-inline'"}
    assert set(policy["img-src"]) == {"'self'", "data:"}
    assert policy["object-src"] == ["'none'"]
    assert "<script>" not in response.content.decode()  # its start script is a file: ?script


def test_the_permissions_policy_turns_off_the_devices(client_for, owner):
    response = client_for(owner).get(reverse("home"), follow=True)

    header = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


PAGE_TEMPLATES_EXCLUDED = ("pdf", "email", "rights_sheet.html", "django/forms/")


def _page_templates() -> list[Path]:
    templates = sorted((BASE_DIR / "templates").rglob("*.html"))
    return [path for path in templates if not any(part in str(path) for part in PAGE_TEMPLATES_EXCLUDED)]


def test_no_page_template_has_an_inline_script_handler_or_style():
    offenders = []
    for path in _page_templates():
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text) or "hx-on" in text:
            offenders.append(f"{path}: event handler attribute")
        if re.search(r"<style\b|\sstyle\s*=", text):
            offenders.append(f"{path}: inline style")
    assert offenders == []
    assert len(_page_templates()) > 50  # the walk found the templates


# ---------------------------------------------------------------------------
# Cache-Control: no-store
# ---------------------------------------------------------------------------


def test_a_signed_in_users_page_is_never_stored(client_for, owner):
    response = client_for(owner).get(reverse("cases:list"))

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_an_api_key_call_is_never_stored(client, api_key):
    response = client.get("/api/v1/referrals/", HTTP_AUTHORIZATION=f"Api-Key {api_key}")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_static_files_are_not_marked_no_store_even_for_a_signed_in_user(client_for, owner):
    response = client_for(owner).get(settings.STATIC_URL + "css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# ---------------------------------------------------------------------------
# The OpenAPI schema and Swagger UI: signed in or an API key, unless DEBUG or the demo
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["api-schema", "api-docs"])
def test_in_production_the_schema_and_docs_are_refused_to_an_anonymous_caller(client, db, name):
    assert settings.API_SCHEMA_PUBLIC is False  # the tests run with the production switches
    response = client.get(reverse(name))

    assert response.status_code in {401, 403}
    assert b"openapi" not in response.content and b"swagger" not in response.content.lower()


@pytest.mark.parametrize("name", ["api-schema", "api-docs"])
def test_in_production_the_schema_and_docs_are_served_to_an_api_key(client, api_key, name):
    response = client.get(reverse(name), HTTP_AUTHORIZATION=f"Api-Key {api_key}")

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["api-schema", "api-docs"])
@pytest.mark.parametrize("authorization", [None, "Api-Key nope.nope"])
def test_the_schema_and_docs_refuse_in_json_like_the_rest_of_the_api(client, db, name, authorization):
    """Found by the malformed-header fuzzer: the schema refused in YAML (`detail: {string: …}`), its page in HTML."""
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    response = client.get(reverse(name), **extra)

    assert response.status_code == 401 and response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Api-Key" and isinstance(response.json()["detail"], str)


def test_in_production_a_wrong_api_key_gets_no_schema(client, db):
    response = client.get(reverse("api-schema"), HTTP_AUTHORIZATION="Api-Key nope.nope")

    assert response.status_code == 401


@pytest.mark.parametrize("name", ["api-schema", "api-docs"])
def test_in_debug_or_the_demo_the_schema_and_docs_are_public(client, db, settings, name):
    settings.API_SCHEMA_PUBLIC = True

    assert client.get(reverse(name)).status_code == 200


# ---------------------------------------------------------------------------
# Settings under production and demo environments (subprocesses: the settings are read at start)
# ---------------------------------------------------------------------------


def _environment(tmp_path, **values: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TESTING", "DEMO_MODE", "DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
        and key != "FIELD_ENCRYPTION_KEYS"
        # set by the browser tests' fixture in this process (Playwright runs an event loop): never in a deployment
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
        and not key.startswith(("PYTEST", "SECURE_"))
    }
    environment.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": ""})
    environment.update(values)
    return environment


def _production(tmp_path) -> dict[str, str]:
    return _environment(
        tmp_path,
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="cms.example.org",
        FIELD_ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    )


def _run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *arguments], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


PRINT_API_SETTINGS = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'trafficking_cms.settings'); django.setup(); "
    "from django.conf import settings as s; r = s.REST_FRAMEWORK; "
    "print(r['DEFAULT_RENDERER_CLASSES'], r['DEFAULT_METADATA_CLASS'], s.API_SCHEMA_PUBLIC, "
    "getattr(s, 'SECURE_HSTS_SECONDS', 0))"
)


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_answers_json_only_without_options_metadata_and_with_hsts(tmp_path):
    result = _run(["-c", PRINT_API_SETTINGS], _production(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["['rest_framework.renderers.JSONRenderer']", "None", "False", "31536000"]


@pytest.mark.parametrize("switch", [{"DJANGO_DEBUG": "1"}, {"DEMO_MODE": "1"}])
def test_debug_and_the_demo_keep_the_browsable_api_and_a_public_schema(tmp_path, switch):
    result = _run(["-c", PRINT_API_SETTINGS], _environment(tmp_path, **switch))

    assert result.returncode == 0, result.stderr
    assert "BrowsableAPIRenderer" in result.stdout
    assert "SimpleMetadata" in result.stdout
    assert "True" in result.stdout.split()


@pytest.mark.parametrize("hosts", ["cms.example.org", "localhost,0.0.0.0", "*", "192.168.1.10"])
def test_the_demo_without_debug_refuses_to_start_unless_bound_to_loopback(tmp_path, hosts):
    result = _run(["manage.py", "check"], _environment(tmp_path, DEMO_MODE="1", ALLOWED_HOSTS=hosts))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "loopback" in result.stderr


@pytest.mark.parametrize("hosts", [None, "localhost", "127.0.0.1,::1,[::1]"])
def test_the_demo_starts_on_loopback_names_as_make_run_does(tmp_path, hosts):
    values = {"DEMO_MODE": "1"} | ({"ALLOWED_HOSTS": hosts} if hosts else {})
    result = _run(["manage.py", "check"], _environment(tmp_path, **values))

    assert result.returncode == 0, result.stderr


def test_debug_may_answer_any_host_name(tmp_path):
    result = _run(["manage.py", "check"], _environment(tmp_path, DJANGO_DEBUG="1", ALLOWED_HOSTS="cms.example.org"))

    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------
# Modes of the files the project writes: owner only
# ---------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_uploaded_attachment_and_its_directories_are_private(case, owner):
    attachment = case_services.attachment_add(
        case=case, actor=owner, upload=SimpleUploadedFile("паспорт.pdf", PDF), kind="document", max_bytes=10**6
    )

    path = Path(attachment.file.path)
    assert _mode(path) == 0o600
    for directory in path.relative_to(settings.MEDIA_ROOT).parents:
        assert _mode(Path(settings.MEDIA_ROOT) / directory) == 0o700, directory


def test_a_pdf_the_program_writes_through_the_storage_is_private(db):
    name = default_storage.save("rights_sheets/2026/12/sheet.pdf", ContentFile(PDF))

    path = Path(default_storage.path(name))
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700


def test_the_demo_credentials_file_is_readable_by_its_owner_only(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "demo-credentials.json").write_text("{}")
    (tmp_path / "var" / "demo-credentials.json").chmod(0o644)  # as an earlier version left it

    SeedDemo()._write_credentials({}, {})

    assert _mode(tmp_path / "var" / "demo-credentials.json") == 0o600
    assert [path.name for path in (tmp_path / "var").iterdir()] == ["demo-credentials.json"]  # no temporary left


def test_the_demo_credentials_directory_is_created_private(tmp_path, settings):
    settings.BASE_DIR = tmp_path

    SeedDemo()._write_credentials({}, {})

    assert _mode(tmp_path / "var") == 0o700
    assert _mode(tmp_path / "var" / "demo-credentials.json") == 0o600
