"""The access matrix: every URL pattern of the project × every outsider × every object × every method it takes.

The world (tests/security/world.py) is built once for the module: a case of district A with one record of every kind,
all about a victim whose personal data are canaries, plus deleted variants (a closed case, a removed file, an undone
step, a withdrawn referral and consent). Each pattern must have an entry in TABLE (or, for Django's admin, its model in
ADMIN_MODELS): a pattern added later fails `test_every_url_pattern_is_classified` until someone classifies it.

For each pattern and method:
- anonymous: pages redirect to the sign-in form, the API answers 401, the admin redirects to its own sign-in;
- every outsider (an inspector of the same district not on the case, an inspector and a head of another district, an
  analyst, the staff and the API key of another organisation): a pattern naming an object answers 404, never 403 or
  200; a pattern naming none may answer what its role rules say, never a 5xx;
- no response to an outsider contains a canary of the victim (text, JSON, CSV, the cells of an XLSX);
- the rightful (the case's officer, the head of district A, the 1899 desk, organisation X) get the page (GET).
Figures (patterns, requests, objects) are printed in the terminal summary.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .world import CANARIES

pytestmark = pytest.mark.django_db

OUTSIDERS = ["colleague", "foreign_inspector", "foreign_head", "analyst", "foreign_ngo"]
API_OUTSIDERS = [*OUTSIDERS, "foreign_ngo_key"]
FIGURES: dict = {"patterns": 0, "requests": 0, "objects": set(), "leaks": 0, "server_errors": 0}


@dataclass(frozen=True)
class Entry:
    """How a pattern is walked: the methods it takes, and what the rightful get on GET, per object variant."""

    methods: tuple = ("GET",)
    rightful: dict = field(default_factory=dict)  # role -> {variant: status}, "*" for every variant
    kind: str = "page"  # page | api | public
    # For a pattern that names no object: what an outsider may be answered (role rules), never a 5xx.
    outsider_statuses: frozenset = frozenset({200, 403, 404})


GET, POST, FORM = ("GET",), ("POST",), ("GET", "POST")
# The case's officer, the head of its district, and a duty officer of the district (who works the unit's cases).
OWNER = {"owner": {"*": 200}, "head": {"*": 200}, "duty": {"*": 200}}
OPEN_CASE_FORM = {role: {"own": 200, "closed": 403} for role in OWNER}  # a closed case's form: CaseIsClosed, 403
NGO_X = {"ngo": {"*": 200}}
API = "api"

TABLE: dict[str, Entry] = {
    # the project's own pages
    "home": Entry(kind="public"),
    "login": Entry(kind="public"),
    "logout": Entry(methods=POST, kind="public"),
    "set_language": Entry(methods=POST, kind="public"),
    "health": Entry(kind="public"),
    # the two-factor steps name no object: with OTP_REQUIRED off (the matrix's settings) they send a signed-in user on
    "otp_verify": Entry(methods=FORM, outsider_statuses=frozenset({200, 302})),
    "otp_enrol": Entry(methods=FORM, outsider_statuses=frozenset({200, 302})),
    "notifications": Entry(rightful={"owner": {"*": 200}}),
    "notifications_mark_read": Entry(methods=POST, outsider_statuses=frozenset({200, 302})),
    "notification_mark_read": Entry(methods=POST),
    # cases
    "cases:list": Entry(rightful={"owner": {"*": 200}}),
    "cases:create": Entry(methods=FORM, outsider_statuses=frozenset({200, 404})),
    "cases:access_log": Entry(rightful={"head": {"*": 200}}),
    "cases:case_access_log": Entry(rightful={"head": {"*": 200}}),
    "cases:detail": Entry(rightful=OWNER),
    "cases:edit": Entry(methods=FORM, rightful=OPEN_CASE_FORM),
    "cases:close": Entry(methods=FORM, rightful=OPEN_CASE_FORM),
    "cases:reopen": Entry(methods=FORM, rightful=OWNER),
    "cases:victim_create": Entry(methods=FORM, rightful=OPEN_CASE_FORM),
    "cases:victim_duplicates": Entry(methods=POST),
    "cases:suspect_add": Entry(methods=FORM, rightful=OPEN_CASE_FORM),
    "cases:site_add": Entry(methods=FORM, rightful=OPEN_CASE_FORM),
    "cases:attachment_upload": Entry(methods=POST),
    "cases:step_record": Entry(methods=POST),
    "cases:step_undo": Entry(methods=POST),
    "cases:victim_detail": Entry(rightful=OWNER),
    "cases:victim_edit": Entry(methods=FORM, rightful=OWNER),
    "cases:representative_add": Entry(methods=POST),
    # a removed file is gone for everyone but superusers (they read it in the admin)
    "cases:attachment_download": Entry(rightful={"owner": {"own": 200, "removed": 404}}),
    "cases:attachment_remove": Entry(methods=FORM, rightful={"owner": {"own": 200, "removed": 404}}),
    "cases:suspect_edit": Entry(methods=FORM, rightful=OWNER),
    "cases:suspect_remove": Entry(methods=FORM, rightful=OWNER),
    "cases:site_edit": Entry(methods=FORM, rightful=OWNER),
    "cases:site_remove": Entry(methods=FORM, rightful=OWNER),
    "cases:representative_edit": Entry(methods=FORM, rightful=OWNER),
    "cases:representative_remove": Entry(methods=FORM, rightful=OWNER),
    # screening
    "screening:wizard": Entry(methods=FORM, rightful=OPEN_CASE_FORM),
    "screening:preview": Entry(methods=POST),
    "screening:detail": Entry(rightful=OWNER),
    "screening:result_pdf": Entry(rightful=OWNER),
    "screening:obligation_complete": Entry(methods=POST),
    "screening:obligation_undo": Entry(methods=POST),
    # referrals: the recipient's inbox, the 1899 desk, the organisation's webhooks, triage, the police side
    "referrals:inbox": Entry(rightful=NGO_X),
    "referrals:inbox_detail": Entry(rightful=NGO_X),
    "referrals:inbox_accept": Entry(methods=POST),
    "referrals:inbox_decline": Entry(methods=POST),
    "referrals:inbox_service": Entry(methods=POST),
    "referrals:hotline_calls": Entry(rightful={"operator": {"*": 200}}),
    "referrals:integration": Entry(methods=FORM, rightful=NGO_X),
    "referrals:webhook_endpoint_enable": Entry(methods=POST),
    "referrals:webhook_endpoint_test": Entry(methods=POST),
    "referrals:webhook_delivery_retry": Entry(methods=POST),
    "referrals:triage": Entry(rightful={"head": {"*": 200}}),
    "referrals:my_items": Entry(rightful={"head": {"*": 200}}),
    "referrals:item_claim": Entry(methods=POST),
    "referrals:item_assign": Entry(methods=POST),
    "referrals:item_done": Entry(methods=POST),
    "referrals:item_intl_decision": Entry(methods=POST),
    "referrals:list": Entry(rightful={"owner": {"*": 200}}),
    "referrals:dashboard": Entry(rightful={"head": {"*": 200}}),
    "referrals:new": Entry(methods=FORM, rightful=OPEN_CASE_FORM),
    "referrals:send": Entry(methods=POST),
    "referrals:withdraw": Entry(methods=POST),
    "referrals:reopen": Entry(methods=POST),
    "referrals:consent_record": Entry(methods=POST),
    "referrals:consent_withdraw": Entry(methods=POST),
    "referrals:hotline_call_new": Entry(methods=FORM, rightful={"operator": {"*": 200}}),
    "referrals:hotline_call_detail": Entry(rightful={"operator": {"*": 200}}),
    "referrals:hotline_call_close": Entry(methods=POST),
    "referrals:directory": Entry(rightful={"owner": {"*": 200}}),
    "referrals:rights_sheet_create": Entry(methods=POST),
    "referrals:rights_sheet_status": Entry(rightful=OWNER),
    "referrals:rights_sheet_download": Entry(rightful=OWNER),
    # reports: the rapport and its PDF, the print queue, statistics, exports
    "reports:rapport": Entry(rightful=OWNER),
    "reports:rapport_start": Entry(methods=POST),
    "reports:rapport_save": Entry(methods=POST),
    "reports:rapport_return": Entry(methods=POST),
    "reports:rapport_approve": Entry(methods=POST),
    "reports:rapport_register": Entry(methods=POST),
    "reports:print_queue": Entry(rightful={"head": {"*": 200}}),
    "reports:rapport_pdf_create": Entry(methods=POST),
    "reports:rapport_pdf_status": Entry(rightful=OWNER),
    "reports:rapport_mark_printed": Entry(methods=POST),
    "reports:rapport_pdf_download": Entry(rightful={"head": {"*": 200}}),
    "reports:statistics": Entry(rightful={"head": {"*": 200}}),
    "reports:exports": Entry(rightful={"owner": {"*": 200}}),
    "reports:cases_csv": Entry(rightful={"owner": {"*": 200}}),
    "reports:cases_xlsx": Entry(rightful={"owner": {"*": 200}}),
    "reports:htcds_export": Entry(methods=FORM, rightful={"head": {"*": 200}}),
    # the API
    "api-schema": Entry(kind=API, outsider_statuses=frozenset({200})),
    "api-docs": Entry(kind=API, outsider_statuses=frozenset({200})),
    "api-qualify": Entry(methods=POST, kind=API, outsider_statuses=frozenset({200})),
    "api-referrals": Entry(kind=API, rightful={"ngo": {"*": 200}, "ngo_key": {"*": 200}}),
    "api-referral": Entry(methods=("GET", "PATCH"), kind=API, rightful={"ngo": {"*": 200}, "ngo_key": {"*": 200}}),
    "api-referral-accept": Entry(methods=POST, kind=API),
    "api-referral-decline": Entry(methods=POST, kind=API),
    "api-referral-updates": Entry(methods=POST, kind=API),
    "api-webhook-endpoints": Entry(methods=FORM, kind=API, outsider_statuses=frozenset({200, 400, 403})),
    "api-webhook-endpoint": Entry(
        methods=("GET", "PATCH", "DELETE"), kind=API, rightful={"ngo": {"*": 200}, "ngo_key": {"*": 200}}
    ),
    "api-webhook-endpoint-test": Entry(methods=POST, kind=API),
    "api-webhook-endpoint-rotate": Entry(methods=POST, kind=API),
    "api-webhook-endpoint-deliveries": Entry(kind=API, rightful={"ngo": {"*": 200}, "ngo_key": {"*": 200}}),
}

# Django's admin: its patterns come from the models registered; a model registered later fails the classification
# test until it is listed here. Anonymous callers and everyone without staff status are sent to the admin's sign-in.
ADMIN_PREFIX = "admin/"
ADMIN_MODELS = {
    "accounts.unit", "accounts.user", "accounts.outboxmessage", "accounts.notification", "accounts.organisation",
    "accounts.apikey", "auth.group", "cases.case", "cases.personaldataaccess", "cases.attachment", "cases.country",
    "referrals.recipient", "referrals.consent", "referrals.referral", "referrals.hotlinecall", "referrals.rightssheet",
    "referrals.webhookendpoint", "referrals.webhookdelivery", "axes.accessattempt", "axes.accesslog",
    "axes.accessfailurelog", "otp_totp.totpdevice",
}  # fmt: skip


def _patterns(patterns=None, prefix="", namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield prefix + str(pattern.pattern), name


ALL_PATTERNS = list(_patterns())
PROJECT_PATTERNS = [(route, name) for route, name in ALL_PATTERNS if not route.startswith(ADMIN_PREFIX)]
ADMIN_PATTERNS = [(route, name) for route, name in ALL_PATTERNS if route.startswith(ADMIN_PREFIX)]
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def test_every_url_pattern_is_classified():
    names = [name for _, name in PROJECT_PATTERNS]
    assert len(names) == len(set(names)), "two project patterns share a name"
    assert set(names) - set(TABLE) == set(), "URL patterns missing from the access matrix's TABLE: classify them"
    assert set(TABLE) - set(names) == set(), "TABLE names patterns that no longer exist"
    registered = {f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry}
    assert registered == ADMIN_MODELS, "a model was registered in (or removed from) the admin: classify it"
    assert len(ALL_PATTERNS) > 150


# -- walking ----------------------------------------------------------------------------------------------------------
def _addresses(route: str, world) -> list[tuple[str, str]]:
    """(variant, path) for each object variant of the route's first parameter; the others take the own object."""
    params = PARAMETER.findall(route)
    if not params:
        return [("-", "/" + route)]
    variants = world.ids[params[0]]
    out = []
    for variant in variants:
        chosen = {param: world.ids[param][variant if param == params[0] else "own"] for param in params}
        path = PARAMETER.sub(lambda m, chosen=chosen: str(chosen[m.group(1)]), route)
        out.append((variant, "/" + path))
        FIGURES["objects"].add((params[0], variant))
    return out


def _body(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # an XLSX: its strings live in XML files of the archive
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body += b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
    return body


def _leaked(body: bytes) -> list[str]:
    return [canary for canary in CANARIES if canary.encode() in body]


def _request(client: Client, method: str, path: str, *, api: bool, key: str | None = None):
    FIGURES["requests"] += 1
    extra = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    if method == "GET":
        return client.get(path, **extra)
    if api:
        return client.generic(method, path, b"{}", content_type="application/json", **extra)
    return client.generic(method, path, b"", content_type="application/x-www-form-urlencoded", **extra)


def _client_for(world, role: str) -> tuple[Client, str | None]:
    if role in world.api_keys:
        return world.clients["anonymous"], world.api_keys[role]
    return world.clients[role], None


@pytest.mark.parametrize("route,name", PROJECT_PATTERNS, ids=[name for _, name in PROJECT_PATTERNS])
def test_no_outsider_reaches_the_victim(world, route, name):
    entry = TABLE[name]
    FIGURES["patterns"] += 1
    api = entry.kind == API
    names_an_object = bool(PARAMETER.search(route))
    problems = []
    for variant, path in _addresses(route, world):
        for method in entry.methods:
            # anonymous
            response = _request(world.clients["anonymous"], method, path, api=api)
            if entry.kind == "page" and not (
                response.status_code == 302 and response["Location"].startswith("/login/")
            ):
                problems.append(f"anonymous {method} {path}: {response.status_code}, not the sign-in redirect")
            if api and response.status_code not in (401, 403):
                problems.append(f"anonymous {method} {path}: {response.status_code}, not 401")
            if response.status_code >= 500:
                problems.append(f"anonymous {method} {path}: {response.status_code}")
            # the outsiders (public pages name no object and are walked anonymously: signing out would end the
            # outsiders' sessions for the rest of the module)
            for role in [] if entry.kind == "public" else API_OUTSIDERS if api else OUTSIDERS:
                client, key = _client_for(world, role)
                response = _request(client, method, path, api=api, key=key)
                status = response.status_code
                if status >= 500:
                    FIGURES["server_errors"] += 1
                    problems.append(f"{role} {method} {path}: {status}")
                if names_an_object and entry.kind != "public" and status != 404:
                    problems.append(f"{role} {method} {path} ({variant}): {status}, not 404")
                elif not names_an_object and entry.kind != "public" and status not in entry.outsider_statuses | {405}:
                    problems.append(f"{role} {method} {path}: {status}, not one of {sorted(entry.outsider_statuses)}")
                if leaked := _leaked(_body(response)):
                    FIGURES["leaks"] += 1
                    problems.append(f"{role} {method} {path} ({variant}): {status} shows {leaked}")
                if api and method == "GET" and names_an_object:  # the browsable API's HTML (outside production)
                    response = _request(client, method, f"{path}?format=api", api=api, key=key)
                    if response.status_code != 404 or _leaked(_body(response)):
                        problems.append(f"{role} {path}?format=api ({variant}): {response.status_code}")
        # the rightful
        for role, statuses in entry.rightful.items():
            expected = statuses.get(variant, statuses.get("*"))
            if expected is None:
                continue
            client, key = _client_for(world, role)
            response = _request(client, "GET", path, api=api, key=key)
            if response.status_code != expected:
                problems.append(f"rightful {role} GET {path} ({variant}): {response.status_code}, not {expected}")
    assert not problems, "\n".join(problems)


# -- the admin --------------------------------------------------------------------------------------------------------
# The world's record of each admin model that holds the victim's data (its change, history and version pages).
ADMIN_OBJECTS = {
    "cases/case": ("case_id", "own"),
    "cases/attachment": ("attachment_id", "own"),
    "referrals/referral": ("referral_id", "own"),
    "referrals/consent": ("consent_id", "own"),
    "referrals/hotlinecall": ("call_id", "own"),
    "referrals/rightssheet": ("sheet_id", "own"),
}


def _admin_address(route: str, world) -> str:
    """The admin address with the world's own record where the route names one of a model that holds the victim's data,
    and its first history record where it names a version."""
    from django.apps import apps

    values = {"app_label": "cases", "url": "x", "object_id": "1", "version_id": "1"}
    for prefix, (param, variant) in ADMIN_OBJECTS.items():
        if route.startswith(f"{ADMIN_PREFIX}{prefix}/"):
            object_id = world.ids[param][variant]
            model = apps.get_model(*prefix.split("/"))
            history = getattr(model, "history", None)
            values["object_id"] = object_id
            if history is not None:
                values["version_id"] = history.filter(id=object_id).order_by("history_id").first().history_id
    if "^([^/]+)/history/([^/]+)/$" in route:  # simple-history's version page is a regular expression
        route = route.replace("^([^/]+)/history/([^/]+)/$", "<object_id>/history/<version_id>/")
    return "/" + PARAMETER.sub(lambda m: str(values.get(m.group(1), "1")), route)


@pytest.mark.parametrize("role", ["anonymous", *OUTSIDERS, "owner", "head"])
def test_the_admin_lets_in_only_staff(world, role):
    """Every admin pattern sends a caller without staff status to the admin's sign-in, and shows no canary."""
    client = world.clients[role]
    problems = []
    for route, name in ADMIN_PATTERNS:
        if name in ("admin:login", "admin:logout"):  # the admin's sign-in form, and signing out
            continue
        FIGURES["requests"] += 1
        response = client.get(_admin_address(route, world))
        if response.status_code not in (301, 302, 404) or (
            response.status_code == 302 and "/admin/login/" not in response["Location"]
        ):
            problems.append(f"{role} {route}: {response.status_code}")
        if leaked := _leaked(_body(response)):
            problems.append(f"{role} {route}: shows {leaked}")
    assert not problems, "\n".join(problems)


def test_staff_holding_every_history_permission_see_no_victim_data_in_the_admin(world):
    """Staff who may enter the admin and hold the view permission of every history model (simple-history enforces its
    own permissions): no admin page shows them a canary, and the case data's pages are 404 or a redirect."""
    from django.contrib.auth.models import Permission

    staff = world.users["staff"]
    staff.user_permissions.set(Permission.objects.filter(codename__startswith="view_historical"))
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    problems = []
    for route, name in ADMIN_PATTERNS:
        if name in ("admin:logout",):
            continue
        FIGURES["requests"] += 1
        path = _admin_address(route, world)
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"staff {path}: {response.status_code}")
        if leaked := _leaked(_body(response)):
            problems.append(f"staff {path}: {response.status_code} shows {leaked}")
        if (
            any(route.startswith(f"{ADMIN_PREFIX}{prefix}/") for prefix in ADMIN_OBJECTS)
            and response.status_code == 200
        ):
            problems.append(f"staff {path}: 200")
    assert not problems, "\n".join(problems)


def test_the_superuser_reads_the_victims_records_in_the_admin(world):
    """The admin's change and history pages of the victim's records do show the data to a superuser (the walk above
    reaches real records, not empty pages)."""
    client = world.clients["superuser"]
    case_pages = [
        route
        for route, name in ADMIN_PATTERNS
        if name in ("admin:cases_case_change", "admin:cases_case_simple_history")
    ]
    assert len(case_pages) == 2
    for route in case_pages:
        FIGURES["requests"] += 1
        response = client.get(_admin_address(route, world))
        assert response.status_code == 200 and _leaked(_body(response)), route


def test_the_admin_case_history_is_for_superusers_only(world):
    """A staff member who may enter the admin does not see a case's history (its circumstances); a superuser does."""
    case_id = world.objects["case"].pk
    history = f"/admin/cases/case/{case_id}/history/"
    assert world.clients["superuser"].get(history).status_code == 200
    response = world.clients["staff"].get(history)
    assert response.status_code == 404
    assert not _leaked(_body(response))


# -- field allowlists of the API's answers ----------------------------------------------------------------------------
# The exact keys of each JSON object an API answer holds, by path ("" the top, "identity", "results[]", …). A field
# added to a serializer or to referrals.sharing.referral_payload fails these tests until it is listed here on purpose.
REFERRAL_RECORD = {
    "id", "status", "case_number", "unit", "officer", "recipient", "services", "child", "due_at", "sent_at",
    "answered_at", "closed_at", "updated_at", "reason", "external_ref", "updates", "shared", "withheld",
}  # fmt: skip
ALLOWLISTS = {
    "referral, identity and contacts consented": {
        "": REFERRAL_RECORD | {"identity", "contacts"},
        "officer": {"name", "position", "rank"},
        "identity": {
            "last_name",
            "first_name",
            "patronymic",
            "last_name_latin",
            "first_name_latin",
            "sex",
            "date_of_birth",
            "approximate_age",
            "citizenship",
            "id_document_type",
            "id_document_number",
            "legal_representatives",
        },
        "identity.legal_representatives[]": {"full_name", "relation", "may_act"},
        "contacts": {"phone", "other_contacts", "legal_representatives"},
        # representatives who may act for the person (the help text says "for a child"; the code shares them for an
        # adult too when `may_act` is set: see the report of issue 12)
        "contacts.legal_representatives[]": {"full_name", "phone"},
    },
    "referral, nothing consented": {"": REFERRAL_RECORD, "officer": {"name", "position", "rank"}},
    "referral list": {
        "": {"count", "next", "previous", "results"},
        "results[]": {
            "id",
            "status",
            "case_number",
            "recipient",
            "services",
            "due_at",
            "sent_at",
            "updated_at",
            "external_ref",
            "child",
        },
    },
    "webhook endpoint": {
        "": {
            "id",
            "url",
            "event_types",
            "description",
            "active",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
            "previous_secret_expires_at",
        },
    },
}


def _shapes(value, path: str = "", out: dict | None = None) -> dict:
    """Every JSON object's path and keys."""
    out = {} if out is None else out
    if isinstance(value, dict):
        out.setdefault(path, set()).update(value)
        for key, inner in value.items():
            _shapes(inner, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list):
        for item in value:
            _shapes(item, f"{path}[]", out)
    return out


def _api_get(world, role: str, path: str):
    client, key = _client_for(world, role)
    response = _request(client, "GET", path, api=True, key=key)
    assert response.status_code == 200, (role, path, response.status_code)
    return response.json()


@pytest.mark.parametrize("role", ["ngo", "ngo_key"])
def test_the_recipient_is_given_exactly_the_allowed_fields(world, role):
    """Organisation X holds the victim's consent to identity and contacts: those two sections, nothing else."""
    referral_id = world.ids["referral_id"]["own"]
    shapes = _shapes(_api_get(world, role, f"/api/v1/referrals/{referral_id}/"))
    assert shapes == ALLOWLISTS["referral, identity and contacts consented"]
    shapes = _shapes(_api_get(world, role, "/api/v1/referrals/"))
    assert shapes == ALLOWLISTS["referral list"]


def test_without_consent_the_recipient_gets_the_referral_record_only(world):
    """The same victim referred to an organisation whose agreement covers every category but which holds no consent."""
    from accounts.models import Organisation
    from referrals import services as referral_services
    from referrals.models import CATEGORIES, Recipient
    from tests.referrals.conftest import api_key_of

    recipient = Recipient.objects.create(
        kind=Recipient.Kind.NGO,
        organisation=Organisation.objects.create(name="«Үмүт» борбору", kind=Organisation.Kind.NGO),
        agreement_categories=list(CATEGORIES),
    )
    owner = world.users["owner"]
    referral = referral_services.referral_create(
        case=world.objects["case"], recipient=recipient, actor=owner, victim=world.objects["victim"]
    )
    referral_services.referral_send(referral=referral, actor=owner)
    client = Client(raise_request_exception=False)
    response = client.get(
        f"/api/v1/referrals/{referral.pk}/", HTTP_AUTHORIZATION=f"Api-Key {api_key_of(recipient.organisation)}"
    )
    FIGURES["requests"] += 1
    assert response.status_code == 200
    body = response.json()
    assert _shapes(body) == ALLOWLISTS["referral, nothing consented"]
    assert body["shared"] == [] and not _leaked(response.content)


@pytest.mark.parametrize("role", ["ngo", "ngo_key"])
def test_the_webhook_endpoint_shows_exactly_the_allowed_fields(world, role):
    endpoint_id = world.ids["endpoint_id"]["own"]
    assert (
        _shapes(_api_get(world, role, f"/api/v1/webhooks/endpoints/{endpoint_id}/")) == ALLOWLISTS["webhook endpoint"]
    )
    assert _shapes(_api_get(world, role, "/api/v1/webhooks/endpoints/")) == {"[]": ALLOWLISTS["webhook endpoint"][""]}


@pytest.fixture(autouse=True)
def _count_for_the_summary(request):
    """What each test of the matrix walked, kept on its report: with xdist the tests run in several processes, so the
    terminal summary (tests/conftest.py) adds up the reports instead of reading one process's FIGURES."""
    before = {key: FIGURES[key] for key in ("patterns", "requests", "leaks", "server_errors")}
    objects_before = set(FIGURES["objects"])
    yield
    counts = {key: FIGURES[key] - value for key, value in before.items()}
    counts["objects"] = sorted(f"{kind}:{variant}" for kind, variant in FIGURES["objects"] - objects_before)
    request.node.user_properties.append(("matrix_counts", counts))


def test_figures(world, record_property):
    """The matrix's fixed figures; the walked ones are added up over every test in the terminal summary."""
    figures = {"url_patterns": len(ALL_PATTERNS), "admin_patterns": len(ADMIN_PATTERNS)}
    record_property("matrix_figures", figures)
