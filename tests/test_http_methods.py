"""Every URL pattern of the project answers the methods it has no use for (TRACE, DELETE, PUT, PATCH) with 405.

A page that only reads takes GET and HEAD (require_safe), a form GET and POST, an action POST only. A signed-in
superuser (who passes every role check) gets 405. An anonymous caller gets 405 or, where the login check comes first
(the house order: @login_required above the method check), the redirect to the login page: it is the same for every
address, object existing or not, serves nothing and tells nothing, so either answer is safe. Pages of others (the
API, Django's login form) keep their own rules: never a 200 or a 500 for these methods. Django's admin answered them
with its pages: it takes GET, HEAD and POST only (trafficking_cms.middleware.AdminMethodsMiddleware).
"""

import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UserFactory

METHODS = ["TRACE", "DELETE", "PUT", "PATCH"]
# The API's views (DRF) answer each method they do not implement with 405 JSON; an endpoint that implements DELETE or
# PATCH answers it after authentication and its object's lookup (401/403/404 here: random ids, no key).
API_PREFIX = "api/"
# Django's own views, configured but not written here: the admin (tested below with its own list of addresses) and the
# login form (another part of the security work owns it).
OTHERS = {"login"}
OTHERS_PREFIX = "admin/"


def _patterns(patterns=None, prefix="", namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield prefix + str(pattern.pattern), name, pattern


def _url(route: str) -> str:
    """A concrete address for the route: every parameter a fresh id (nothing exists under it)."""
    path = re.sub(r"<(?:\w+:)?\w+>", lambda _: str(uuid.uuid4()), route)
    assert "<" not in path and "^" not in path, route
    return "/" + path


PROJECT_PATTERNS = [
    (route, name, pattern)
    for route, name, pattern in _patterns()
    if not route.startswith((API_PREFIX, OTHERS_PREFIX)) and name not in OTHERS
]
OTHER_PATTERNS = [
    pytest.param(
        route,
        name,
        pattern,
        id=name,
    )
    for route, name, pattern in _patterns()
    if route.startswith(API_PREFIX) or (name in OTHERS)
]


def test_the_walk_covers_every_url_pattern_of_the_project():
    walked = {name for _, name, _ in PROJECT_PATTERNS} | {param.values[1] for param in OTHER_PATTERNS}
    assert {"home", "cases:list", "cases:detail", "reports:statistics", "api-schema", "set_language"} <= walked
    assert {"cases:access_log", "cases:case_access_log"} <= walked  # the access logs: GET and HEAD only
    assert len(PROJECT_PATTERNS) > 80


@pytest.fixture
def superuser_client(db):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def anonymous_client(db):
    return Client(raise_request_exception=False)


def _answers(client, url: str) -> dict[str, int]:
    return {method: client.generic(method, url).status_code for method in METHODS}


@pytest.mark.parametrize(("route", "name", "pattern"), PROJECT_PATTERNS, ids=[name for _, name, _ in PROJECT_PATTERNS])
def test_a_project_page_refuses_methods_it_has_no_use_for_as_a_superuser(superuser_client, route, name, pattern):
    answers = _answers(superuser_client, _url(route))

    assert answers == dict.fromkeys(METHODS, 405)


@pytest.mark.parametrize(("route", "name", "pattern"), PROJECT_PATTERNS, ids=[name for _, name, _ in PROJECT_PATTERNS])
def test_a_project_page_refuses_methods_it_has_no_use_for_to_an_anonymous_caller(
    anonymous_client, route, name, pattern
):
    url = _url(route)
    login = reverse(settings.LOGIN_URL)

    for method in METHODS:
        response = anonymous_client.generic(method, url)
        assert response.status_code == 405 or (
            response.status_code == 302 and response["Location"].startswith(f"{login}?next=")
        ), (method, response.status_code)


@pytest.mark.parametrize(("route", "name", "pattern"), OTHER_PATTERNS)
@pytest.mark.parametrize("who", ["superuser_client", "anonymous_client"])
def test_the_api_and_the_login_never_serve_these_methods(request, who, route, name, pattern):
    answers = _answers(request.getfixturevalue(who), _url(route))

    for method, status in answers.items():
        assert status not in {200, 201, 204} and status < 500, (method, status)
    # The API authenticates before it looks at the method: without credentials, 401 or 403 comes first.
    assert answers["TRACE"] == 405 if who == "superuser_client" else answers["TRACE"] in {401, 403, 405}


ADMIN_PAGES = [
    "admin:index",
    "admin:cases_case_changelist",
    "admin:cases_case_add",
    "admin:accounts_user_changelist",
    "admin:jsi18n",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("who", ["superuser_client", "anonymous_client"])
def test_the_admin_takes_get_head_and_post_only(db, request, who, name):
    client = request.getfixturevalue(who)
    url = reverse(name)

    assert _answers(client, url) == dict.fromkeys(METHODS, 405)
    assert client.get(url).status_code in {200, 302, 403}  # GET still reaches the admin (403: no one adds cases there)


def test_the_admin_refuses_the_methods_on_an_object_page_too(superuser_client):
    url = reverse("admin:cases_case_change", args=[uuid.uuid4()])

    assert _answers(superuser_client, url) == dict.fromkeys(METHODS, 405)


@pytest.mark.otp
def test_a_session_owing_the_two_factor_code_gets_405_or_the_code_step_for_these_methods(db):
    """With OTP_REQUIRED on, a session signed in with the password only: the code steps (and the sign-out) refuse
    these methods with 405, every other page sends it to the code step, the API refuses them; never a 200 or a 500."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(is_superuser=True, is_staff=True)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    verify = reverse("otp_verify")

    for route, name, _pattern in _patterns():
        if route.startswith(OTHERS_PREFIX):
            continue  # the admin: tested above with its own addresses (the middleware answers 405 before the step)
        url = _url(route)
        for method, status in _answers(client, url).items():
            if name in {"otp_verify", "otp_enrol"}:
                assert status == 405, (name, method, status)
            else:
                assert status in {302, 401, 403, 404, 405}, (name, method, status)
                if status == 302:
                    response = client.generic(method, url)
                    assert response["Location"].startswith((verify, reverse("login"))), (name, method)
