"""Every case-scoped URL, for every kind of visitor: 404 to whoever may not see the case, login for the anonymous."""

import uuid
from datetime import date

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
from screening import urls as screening_urls
from screening.models import Obligation, Screening
from screening.services import screening_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# (URL name, object in the URL, method, what is posted)
CASE_SCOPED = [
    ("cases:detail", "case", "get", None),
    ("cases:edit", "case", "get", None),
    ("cases:edit", "case", "post", "case"),
    ("cases:case_access_log", "case", "get", None),
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
    ("cases:close", "case", "get", None),
    ("cases:close", "case", "post", "close"),
    ("cases:reopen", "closed_case", "get", None),
    ("cases:reopen", "closed_case", "post", "reopen"),
    ("cases:suspect_edit", "suspect", "get", None),
    ("cases:suspect_edit", "suspect", "post", "suspect_edit"),
    ("cases:suspect_remove", "suspect", "get", None),
    ("cases:suspect_remove", "suspect", "post", "suspect_remove"),
    ("cases:site_edit", "site", "get", None),
    ("cases:site_edit", "site", "post", "site_edit"),
    ("cases:site_remove", "site", "get", None),
    ("cases:site_remove", "site", "post", "site_remove"),
    ("cases:representative_edit", "representative", "get", None),
    ("cases:representative_edit", "representative", "post", "representative_edit"),
    ("cases:representative_remove", "representative", "get", None),
    ("cases:representative_remove", "representative", "post", "representative_remove"),
    ("cases:attachment_remove", "attachment", "get", None),
    ("cases:attachment_remove", "attachment", "post", "file_remove"),
    ("screening:wizard", "case", "get", None),
    ("screening:wizard", "case", "post", "screening"),
    ("screening:preview", "case", "post", "screening"),
    ("screening:detail", "screening", "get", None),
    ("screening:result_pdf", "screening", "get", None),
    ("screening:obligation_complete", "obligation", "post", "done"),
    ("screening:obligation_undo", "obligation", "post", None),
]
HEADS_ONLY = {"cases:case_access_log"}
IDS = [f"{name.replace(':', '-')}-{method}" for name, _obj, method, _data in CASE_SCOPED]
# What the world's victim, case and screening hold that analysts and NGO staff must never be shown.
PERSONAL_DATA_SHOWN = ("Асанова", "Айжан", "0555 12 34 56", "AN1234567", "Лебединовка", "Москвага", "Гүлнара")
DATE_OF_BIRTH_SHOWN = ("2008-06-01", "01.06.2008")


@pytest.fixture
def ngo_staff(ministry):
    ishenim = Organisation.objects.create(name="Ишеним", kind=Organisation.Kind.NGO)
    return UserFactory(unit=ministry, roles=[Role.NGO_STAFF], organisation=ishenim)


@pytest.fixture
def world(owner, case):
    """The owner's case with one of everything in it."""
    Case.objects.filter(pk=case.pk).update(summary="Кыз Москвага алынып кеткен.")
    case.refresh_from_db()
    victim = services.victim_create(
        case=case,
        actor=owner,
        data={
            "last_name": "Асанова",
            "first_name": "Айжан",
            "sex": "female",
            "citizenship": "KG",
            "date_of_birth": date(2008, 6, 1),
            "phone": "0555 12 34 56",
            "id_document_number": "AN1234567",
            "residence_address": "Лебединовка айылы",
        },
    )
    attachment = services.attachment_add(
        case=case, actor=owner, upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x"), kind="document", max_bytes=10**6
    )
    step = services.officer_step_record(case=case, actor=owner, code=OfficerStep.Code.CHECK_REPORT)
    screening = screening_record(
        case=case,
        actor=owner,
        victim=victim,
        facts={
            "act_date": "2025-03-01",
            "victim_date_of_birth": "2008-06-01",
            "acts": ["recruitment"],
            "purposes": ["sexual_exploitation"],
        },
        notes="Апасы Гүлнара айтып берди.",
    )
    obligation = screening.obligations.first()
    suspect = services.suspect_add(case=case, actor=owner, data={"nickname": "Бай ага", "sex": "male"})
    site = services.exploitation_site_add(case=case, actor=owner, data={"location": "Москва, Люблино"})
    representative = services.legal_representative_add(
        victim=victim, actor=owner, data={"full_name": "Асанова Гүлнара", "relation": "mother"}
    )
    closed_case = services.case_create(actor=owner, data={"source": Case.Source.CITIZEN})
    services.case_close(case=closed_case, actor=owner, reason="Кылмыш белгилери жок.")
    return {
        "case": case,
        "victim": victim,
        "attachment": attachment,
        "step": step,
        "screening": screening,
        "obligation": obligation,
        "suspect": suspect,
        "site": site,
        "representative": representative,
        "closed_case": closed_case,
    }


@pytest.fixture
def analyst_with_grant(analyst, owner, case):
    services.case_grant_access(case=case, grantee=analyst, actor=owner, can_change=True)
    return analyst


@pytest.fixture
def ngo_staff_with_grant(ngo_staff, owner, case):
    services.case_grant_access(case=case, grantee=ngo_staff, actor=owner, can_change=True)
    return ngo_staff


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
        "done": {"note": "КИБ: Осмонов М., № 12/345"},
        "close": {"reason": "Кылмыш белгилери табылган жок."},
        "reopen": {"reason": "Жаңы фактылар."},
        "suspect_edit": {"nickname": "Бай", "sex": "male", "armed": "no", "sane": "yes", "version": 1},
        "site_edit": {"location": "Москва", "other_victims": "yes", "version": 1},
        "representative_edit": {"full_name": "Асанова Г.", "relation": "mother", "version": 1},
        "suspect_remove": {"reason": "Эки жолу киргизилген.", "version": 1},
        "site_remove": {"reason": "Эки жолу киргизилген.", "version": 1},
        "representative_remove": {"reason": "Эки жолу киргизилген.", "version": 1},
        "file_remove": {"reason": "Башка иштин файлы."},
        "representative": {"full_name": "Асанова Гүлнара", "relation": "mother"},
        "screening": {
            "victim": str(victim.pk),
            "act_date": "2025-03-01",
            "victim_age": "15",
            "acts": ["recruitment"],
            "purposes": ["sexual_exploitation"],
            "sexual_violence": "no",
            "suspect_sane": "",
            "notes": "",
        },
    }
    return payloads[kind]


def _request(client, world: dict, name: str, obj: str, method: str, kind: str | None):
    url = _url(world, name, obj)
    if method == "get":
        return client.get(url)
    return client.post(url, _payload(world, kind))


def _snapshot() -> tuple:
    """Everything a request could change or log (the access log's reads: a refused request's row is counted apart)."""
    counts = tuple(
        model.objects.count()
        for model in (Case, Victim, Suspect, ExploitationSite, Attachment, LegalRepresentative, OfficerStep, Screening)
    )
    counts += tuple(Obligation.objects.order_by("pk").values_list("status", flat=True))
    counts += (Attachment.objects.filter(removed_at__isnull=False).count(),)
    counts += tuple(Case.objects.order_by("pk").values_list("status", flat=True))
    versions = tuple(
        version
        for model in (Case, Victim, Suspect, ExploitationSite, LegalRepresentative)
        for version in model.objects.order_by("pk").values_list("version", flat=True)
    )
    return counts, versions, PersonalDataAccess.objects.exclude(action="denied").count()


def test_the_table_covers_every_case_scoped_url():
    with_object = {
        f"cases:{pattern.name}"
        for pattern in case_urls.urlpatterns
        if isinstance(pattern, URLPattern) and "<" in str(pattern.pattern)
    }
    with_object |= {
        f"screening:{pattern.name}"
        for pattern in screening_urls.urlpatterns
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
    # the refusal itself is logged, once, with the kind of object asked for and its case, and nothing personal
    [denied] = PersonalDataAccess.objects.filter(action="denied")
    assert (denied.user, denied.purpose) == (request.getfixturevalue(visitor), "")
    assert denied.case_id in {value.pk for value in world.values() if isinstance(value, Case)}
    assert denied.record_id in {str(value.pk) for value in world.values() if hasattr(value, "pk")}


def _text_of(response) -> str:
    """The text a response shows: a page's HTML, or the text of a PDF's pages."""
    if getattr(response, "streaming", False):
        return ""
    if response.get("Content-Type", "").startswith("application/pdf"):
        import io

        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode()


@pytest.mark.parametrize("visitor", ["analyst_with_grant", "ngo_staff_with_grant"])
@pytest.mark.parametrize(("name", "obj", "method", "kind"), CASE_SCOPED, ids=IDS)
def test_analysts_and_ngo_staff_granted_the_case_never_get_personal_data_from_any_case_scoped_url(
    request, client_for, world, visitor, name, obj, method, kind
):
    # given an analyst or NGO worker to whom the case was granted, even with change rights
    client = client_for(request.getfixturevalue(visitor))

    # when they open or post to any page of the case
    response = _request(client, world, name, obj, method, kind)

    # then the page is closed to them, or it shows the case without anything personal
    assert response.status_code in (200, 302, 404)
    body = _text_of(response)
    for shown in PERSONAL_DATA_SHOWN + DATE_OF_BIRTH_SHOWN:
        assert shown not in body
    assert not PersonalDataAccess.objects.exclude(action="denied").exists()
    assert PersonalDataAccess.objects.filter(action="denied").count() == (response.status_code == 404)


# Pages whose purpose is personal data (the person, the case's circumstances, the screening's identity step), and the
# pages that correct a case's records or close it: analysts and NGO staff never do either.
PERSONAL_DATA_PAGES = {
    "cases:close",
    "cases:reopen",
    "cases:suspect_edit",
    "cases:suspect_remove",
    "cases:site_edit",
    "cases:site_remove",
    "cases:representative_edit",
    "cases:representative_remove",
    "cases:attachment_remove",
    "cases:edit",
    "cases:victim_create",
    "cases:victim_duplicates",
    "cases:victim_detail",
    "cases:victim_edit",
    "cases:representative_add",
    "cases:attachment_download",
    "screening:wizard",
    "screening:preview",
}
PERSONAL_DATA_URLS = [row for row in CASE_SCOPED if row[0] in PERSONAL_DATA_PAGES]


@pytest.mark.parametrize("visitor", ["analyst_with_grant", "ngo_staff_with_grant"])
@pytest.mark.parametrize(
    ("name", "obj", "method", "kind"),
    PERSONAL_DATA_URLS,
    ids=[f"{name.replace(':', '-')}-{method}" for name, _obj, method, _kind in PERSONAL_DATA_URLS],
)
def test_pages_made_to_show_or_change_personal_data_answer_404_to_analysts_and_ngo_staff_with_a_grant(
    request, client_for, world, visitor, name, obj, method, kind
):
    client = client_for(request.getfixturevalue(visitor))
    before = _snapshot()

    response = _request(client, world, name, obj, method, kind)

    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("visitor", ["analyst_with_grant", "ngo_staff_with_grant"])
def test_a_granted_analyst_or_ngo_worker_sees_the_screening_with_the_age_instead_of_the_date_of_birth(
    request, client_for, world, visitor
):
    client = client_for(request.getfixturevalue(visitor))
    client.cookies["cms_language"] = "en"

    response = client.get(reverse("screening:detail", args=[world["screening"].pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Art. 167" in body
    assert "aged 16 at the date of the act" in body
    assert "2008-06-01" not in body and "date of birth 2008" not in body
    assert "Гүлнара" not in body  # the notes are free text: hidden


@pytest.mark.parametrize("visitor", ["analyst_with_grant", "ngo_staff_with_grant"])
@pytest.mark.parametrize("typed", ["0555 12 34 56", "AN1234567", "Асанова"])
def test_a_granted_analyst_or_ngo_worker_cannot_find_the_case_by_a_victims_name_phone_or_document(
    request, client_for, world, visitor, typed
):
    client = client_for(request.getfixturevalue(visitor))
    assert world["case"].number in client.get(reverse("cases:list")).content.decode()

    response = client.get(reverse("cases:list"), {"q": typed})

    assert world["case"].number not in response.content.decode()


@pytest.mark.parametrize(("name", "obj", "method", "kind"), CASE_SCOPED, ids=IDS)
def test_every_case_scoped_url_sends_an_anonymous_visitor_to_the_login_page(client, world, name, obj, method, kind):
    before = _snapshot()

    response = _request(client, world, name, obj, method, kind)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "obj", "method", "kind"), CASE_SCOPED, ids=IDS)
def test_the_owner_reaches_every_case_scoped_url(client_for, owner, supervisor, world, name, obj, method, kind):
    # the counterpart of the 404 test: the same requests succeed for the owner, so the 404s above are about access
    # (the case's access log is for the heads of its unit: the owner's head reaches it)
    response = _request(client_for(supervisor if name in HEADS_ONLY else owner), world, name, obj, method, kind)
    assert response.status_code in (200, 302)
    if method == "post" and response.status_code == 200:
        # the only POSTs that answer with a fragment rather than a redirect
        assert name in {"cases:victim_duplicates", "screening:preview"}


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
