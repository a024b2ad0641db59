"""The cast and helpers of the rapport PDF tests: a complete rapport of the owner's case (made with the ORM, not the
builder's services), the heads, the people who must get 404, and reading text back out of a PDF."""

import io

import pytest
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from reports import pdf_services
from reports.models import Rapport
from tests.factories import RapportFactory, UserFactory


@pytest.fixture
def rapport(owner, supervisor):
    owner.position, owner.rank = "Жаш өспүрүмдөр менен иштөөчү инспектор", "милициянын улук лейтенанты"
    owner.first_name, owner.last_name = "Нурлан", "Жумабеков"
    owner.save()
    supervisor.first_name, supervisor.last_name, supervisor.rank = "Таалай", "Үсөнов", "милициянын подполковниги"
    supervisor.save()
    return RapportFactory(case__created_by=owner, addressee=supervisor)


def approve(rapport: Rapport, head, *, kbr_number: str = "") -> Rapport:
    """What the builder's services do, done directly: submitted, approved, and registered when a number is given."""
    now = timezone.now()
    rapport.submitted_at, rapport.submitted_by = now, rapport.officer
    rapport.approved_at, rapport.approved_by = now, head
    rapport.status = Rapport.Status.APPROVED
    if kbr_number:
        rapport.kbr_number, rapport.kbr_registered_at = kbr_number, timezone.localdate()
        rapport.registered_by, rapport.status = head, Rapport.Status.REGISTERED
    rapport.save()
    return rapport


@pytest.fixture
def other_supervisor(other_district):
    """The head of another district: must see nothing of this one's rapports."""
    return UserFactory(unit=other_district, roles=[Role.SUPERVISOR])


@pytest.fixture
def ngo_user(db):
    organisation = Organisation.objects.create(name="«Ишеним» кризистик борбору", kind=Organisation.Kind.NGO)
    return UserFactory(unit=None, roles=[Role.NGO_STAFF], organisation=organisation)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the task is queued on commit; tasks are eager in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def made(committed):
    """Ask for a PDF and let the task make it."""

    def make(rapport, language, actor):
        with committed():
            pdf = pdf_services.rapport_pdf_request(rapport=rapport, language=language, actor=actor)
        pdf.refresh_from_db()
        return pdf

    return make


def pdf_pages_text(content: bytes) -> list[str]:
    """The text of each page, as a reader copying it out of the PDF would get it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
