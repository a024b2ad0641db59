"""Every case-scoped URL, for every kind of visitor: 404 to whoever may not see the case, login for the anonymous."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from accounts.models import Organisation
from accounts.roles import Role
from cases import services
from cases import urls as case_urls
from cases.models import (
    Attachment,
    Case,
    ExploitationSite,
    LegalRepresentative,
    OfficerStep,
    PersonalDataAccess,
    Suspect,
    Victim,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# (URL name, object in the URL, method, what is posted)
CASE_SCOPED = [
    ("cases:detail", "case", "get", None),
    ("cases:edit", "case", "get", None),
    ("cases:edit", "case", "post", "case"),
    ("cases:victim_create", "case", "get", None),
    ("cases:victim_create", "case", "post", "victim"),
    ("cases:victim_duplicates", "case", "post", "victim"),
    ("cases:suspect_add", "case", "get", None),
    ("cases:suspect_add", "case", "post", "suspect"),
    ("cases:site_add", "case", "get", None),
    ("cases:site_add", "case", "post", "site"),
    ("cases:attachment_upload", "case", "post", "file"),
    ("cases:step_record", "case", "post", "step"),
    ("cases:step_undo", "step", "post", None),
    ("cases:victim_detail", "victim", "get", None),
    ("cases:victim_edit", "victim", "get", None),
    ("cases:victim_edit", "victim", "post", "victim_edit"),
    ("cases:representative_add", "victim", "post", "representative"),
    ("cases:attachment_download", "attachment", "get", None),
]
IDS = [f"{name.split(':')[1]}-{method}" for name, _obj, method, _data in CASE_SCOPED]


@pytest.fixture
def ngo_staff(ministry):
    ishenim = Organisation.objects.create(name="Ишеним", kind=Organisation.Kind.NGO)
    return UserFactory(unit=ministry, roles=[Role.NGO_STAFF], organisation=ishenim)


@pytest.fixture
def world(owner, case):
    """The owner's case with one of everything in it."""
    victim = services.victim_create(
        case=case,
        actor=owner,
        data={
            "last_name": "Асанова",
            "first_name": "Айжан",
            "sex": "female",
            "citizenship": "KG",
            "appears_minor": True,
        },
    )
    attachment = services.attachment_add(
        case=case, actor=owner, upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x"), kind="document", max_bytes=10**6
    )
    step = services.officer_step_record(case=case, actor=owner, code=OfficerStep.Code.CHECK_REPORT)
    return {"case": case, "victim": victim, "attachment": attachment, "step": step}


def _url(world: dict, name: str, obj: str) -> str:
    if obj == "step":
        return reverse(name, args=[world["case"].pk, world["step"].pk])
    return reverse(name, args=[world[obj].pk])


def _payload(world: dict, kind: str | None) -> dict:
    """Data that would be accepted from someone allowed to post it."""
    case, victim = world["case"], world["victim"]
    person = {"last_name": "Бекова", "first_name": "Нурай", "sex": "female", "citizenship": "KG"}
    person["identity_established_by"] = "not_yet"
    payloads = {
        None: {},
        "case": {
            "source": "ngo",
            "received_at": "2026-01-05T10:00",
            "status": "check",
            "incident_place": "Кант",
            "assigned_officer": case.assigned_officer_id,
            "version": case.version,
        },
        "victim": {**person, "confirm_not_duplicate": "on"},
        "victim_edit": {**person, "version": victim.version},
        "suspect": {"nickname": "Бай ага", "sex": "male", "armed": "unknown", "sane": "unknown"},
        "site": {"location": "Москва", "other_victims": "unknown"},
        "file": {"kind": "document", "file": SimpleUploadedFile("new.pdf", b"%PDF-1.4 new")},
        "step": {"code": OfficerStep.Code.INTERVIEW},
        "representative": {"full_name": "Асанова Гүлнара", "relation": "mother"},
    }
    return payloads[kind]


def _request(client, world: dict, name: str, obj: str, method: str, kind: str | None):
    url = _url(world, name, obj)
    if method == "get":
        return client.get(url)
    return client.post(url, _payload(world, kind))


def _snapshot() -> tuple:
    """Everything a request could change or log."""
    counts = tuple(
        model.objects.count()
        for model in (Case, Victim, Suspect, ExploitationSite, Attachment, LegalRepresentative, OfficerStep)
    )
    versions = tuple(Case.objects.values_list("version", flat=True)) + tuple(
        Victim.objects.values_list("version", flat=True)
    )
    return counts, versions, PersonalDataAccess.objects.count()


def test_the_table_covers_every_case_scoped_url():
    with_object = {
        f"cases:{pattern.name}"
        for pattern in case_urls.urlpatterns
        if isinstance(pattern, URLPattern) and "<" in str(pattern.pattern)
    }
    assert {name for name, _obj, _method, _data in CASE_SCOPED} == with_object


@pytest.mark.parametrize("visitor", ["outsider", "colleague", "analyst", "ngo_staff"])
@pytest.mark.parametrize(("name", "obj", "method", "kind"), CASE_SCOPED, ids=IDS)
def test_every_case_scoped_url_answers_404_to_whoever_may_not_see_the_case(
    request, client_for, world, visitor, name, obj, method, kind
):
    client = client_for(request.getfixturevalue(visitor))
    before = _snapshot()

    response = _request(client, world, name, obj, method, kind)

    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "obj", "method", "kind"), CASE_SCOPED, ids=IDS)
def test_every_case_scoped_url_sends_an_anonymous_visitor_to_the_login_page(client, world, name, obj, method, kind):
    before = _snapshot()

    response = _request(client, world, name, obj, method, kind)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "obj", "method", "kind"), CASE_SCOPED, ids=IDS)
def test_the_owner_reaches_every_case_scoped_url(client_for, owner, world, name, obj, method, kind):
    # the counterpart of the 404 test: the same requests succeed for the owner, so the 404s above are about access
    response = _request(client_for(owner), world, name, obj, method, kind)
    assert response.status_code in (200, 302)
    if method == "post" and response.status_code == 200:
        assert name == "cases:victim_duplicates"  # the only POST that answers with a page rather than a redirect


@pytest.mark.parametrize("name", ["cases:detail", "cases:edit", "cases:suspect_add", "cases:site_add"])
def test_a_case_that_does_not_exist_answers_404_like_a_foreign_one(client_for, owner, name):
    assert client_for(owner).get(reverse(name, args=[uuid.uuid4()])).status_code == 404


@pytest.mark.parametrize("name", ["cases:victim_detail", "cases:victim_edit"])
def test_a_person_who_does_not_exist_answers_404(client_for, owner, name):
    assert client_for(owner).get(reverse(name, args=[uuid.uuid4()])).status_code == 404


def test_a_step_of_another_case_cannot_be_undone_through_ones_own_case(client_for, owner, outsider, world):
    # given the outsider's own case, and the id of a step of the owner's case
    own_case = services.case_create(actor=outsider, data={"source": Case.Source.CITIZEN})
    url = reverse("cases:step_undo", args=[own_case.pk, world["step"].pk])
    assert client_for(outsider).post(url).status_code == 404
    assert OfficerStep.objects.filter(pk=world["step"].pk).exists()


@pytest.mark.parametrize("name", ["cases:list", "cases:create"])
def test_the_list_and_the_new_case_form_send_an_anonymous_visitor_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"
