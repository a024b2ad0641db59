"""The rapport's PDF asked for, rendered, retried and printed by several people (or workers) at the same moment, on
PostgreSQL with real row locks: one row per content, one render, one queued retry, one "printed" in the history, and
no error reaches anybody.

The renderer is replaced by a counting one that takes a moment (the window in which two workers would both render);
WeasyPrint itself is tested in test_rapport_pdf.py."""

import threading
import time

import pytest
from django.test import Client
from django.urls import reverse

from reports import pdf_services, tasks
from reports.documents import RapportDocument, rapport_content_hash
from reports.models import Rapport, RapportPdf
from tests.screening.test_races_postgres import run_at_once

from .conftest import approve

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ATTEMPTS = range(3)
AT_ONCE = 4
RENDER_TAKES = 0.05


class Counter:
    """Counts calls made from several threads."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.calls += 1


@pytest.fixture
def renders(monkeypatch) -> Counter:
    """Every render the service asks for, counted; each takes a moment and gives a small valid PDF."""
    counter = Counter()

    def render(*, rapport, language):
        counter.add()
        time.sleep(RENDER_TAKES)
        return RapportDocument(content=b"%PDF-1.7\n%%EOF\n", pages=1, sha256="a" * 64, verification_code="ABCD" * 4)

    monkeypatch.setattr(pdf_services, "render_rapport", render)
    return counter


@pytest.fixture
def queued(monkeypatch, renders) -> Counter:
    """Every PDF handed to the Celery task, counted (the task still runs, eagerly)."""
    counter = Counter()
    queue = pdf_services._queue_rapport_pdf

    def counted(pdf_id):
        counter.add()
        queue(pdf_id)

    monkeypatch.setattr(pdf_services, "_queue_rapport_pdf", counted)
    return counter


def _fresh(rapport) -> Rapport:
    """The rapport as each request loads it for itself."""
    return Rapport.objects.get(pk=rapport.pk)


def _row(rapport, actor, *, status=RapportPdf.Status.PENDING) -> RapportPdf:
    return RapportPdf.objects.create(
        rapport=rapport,
        language="ky",
        created_by=actor,
        status=status,
        content_hash=rapport_content_hash(rapport=rapport, language="ky"),
    )


def _files(settings) -> list:
    return sorted(path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())


def _answers(calls):
    """Run the calls at once and keep what each returned."""
    answers: list = []
    lock = threading.Lock()

    def keep(call):
        def run():
            answer = call()
            with lock:
                answers.append(answer)

        return run

    run_at_once(*(keep(call) for call in calls))
    return answers


# -- asking for the PDF ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_several_people_ask_for_the_same_pdf_at_once_and_it_is_made_once(
    attempt, rapport, owner, supervisor, queued, renders
):
    actors = [owner, supervisor] * (AT_ONCE // 2)

    answers = _answers(
        lambda actor=actor: pdf_services.rapport_pdf_request(rapport=_fresh(rapport), language="ky", actor=actor)
        for actor in actors
    )

    pdf = RapportPdf.objects.get()  # exactly one row
    assert {answer.pk for answer in answers} == {pdf.pk} and len(answers) == AT_ONCE
    assert (queued.calls, renders.calls, pdf.status) == (1, 1, RapportPdf.Status.READY)


def test_several_clicks_on_the_pdf_button_at_once_all_come_back_without_an_error(
    rapport, owner, supervisor, queued, renders
):
    url = reverse("reports:rapport_pdf_create", args=[rapport.pk])
    clients = []
    for actor in [owner, supervisor] * (AT_ONCE // 2):
        client = Client(raise_request_exception=True)
        client.force_login(actor)
        clients.append(client)

    answers = _answers(lambda client=client: client.post(url, {"language": "ru"}).status_code for client in clients)

    assert answers == [302] * AT_ONCE
    assert RapportPdf.objects.filter(language="ru").count() == 1
    assert (queued.calls, renders.calls) == (1, 1)


# -- rendering it ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_several_workers_render_the_same_pending_pdf_at_once_and_only_one_renders(
    attempt, rapport, owner, renders, settings
):
    pending = _row(rapport, owner)
    pdf_id = str(pending.pk)
    half = AT_ONCE // 2

    run_at_once(
        *[lambda: tasks.rapport_pdf_render(pdf_id)] * half,  # the Celery task, as a redelivered message runs it
        *[lambda: pdf_services.rapport_pdf_render(pdf_id=pdf_id)] * (AT_ONCE - half),
    )

    pdf = RapportPdf.objects.get(pk=pending.pk)
    assert renders.calls == 1
    assert (pdf.status, pdf.pages, pdf.sha256) == (RapportPdf.Status.READY, 1, "a" * 64)
    assert [path.name for path in _files(settings)] == [f"{pdf.pk}.pdf"]


# -- trying a failed one again -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_a_failed_pdf_retried_by_several_people_at_once_is_queued_once(
    attempt, rapport, owner, supervisor, queued, renders
):
    failed = _row(rapport, owner, status=RapportPdf.Status.FAILED)
    actors = [owner, supervisor] * (AT_ONCE // 2)

    answers = _answers(
        lambda actor=actor: pdf_services.rapport_pdf_request(rapport=_fresh(rapport), language="ky", actor=actor)
        for actor in actors
    )

    pdf = RapportPdf.objects.get()
    assert pdf.pk == failed.pk and {answer.pk for answer in answers} == {pdf.pk}
    assert (queued.calls, renders.calls, pdf.status) == (1, 1, RapportPdf.Status.READY)


# -- printing it -------------------------------------------------------------------------------------------------------
@pytest.fixture
def approved_rapport(rapport, supervisor):
    return approve(rapport, supervisor)


@pytest.fixture
def ready_pdf(approved_rapport, owner, renders):
    return pdf_services.rapport_pdf_render(pdf_id=_row(approved_rapport, owner).pk)


def _printed(rapport) -> tuple[Rapport, int]:
    rapport = Rapport.objects.get(pk=rapport.pk)
    return rapport, rapport.history.filter(history_change_reason="printed").count()


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_two_heads_mark_the_rapport_printed_and_download_it_at_once_and_it_is_printed_once(
    attempt, approved_rapport, ready_pdf, supervisor, oblast_head
):
    def mark(head):
        return lambda: pdf_services.rapport_mark_printed(rapport=_fresh(approved_rapport), actor=head)

    def download(head):
        return lambda: pdf_services.rapport_pdf_downloaded(pdf=RapportPdf.objects.get(pk=ready_pdf.pk), actor=head)

    run_at_once(mark(supervisor), mark(oblast_head), download(supervisor), download(oblast_head))

    rapport, printed = _printed(approved_rapport)
    assert printed == 1
    assert rapport.printed_at is not None and rapport.printed_by in (supervisor, oblast_head)


def test_two_heads_download_the_pdf_at_once_and_the_rapport_is_printed_once(
    approved_rapport, ready_pdf, supervisor, oblast_head
):
    url = reverse("reports:rapport_pdf_download", args=[ready_pdf.pk])
    clients = []
    for head in [supervisor, oblast_head] * (AT_ONCE // 2):
        client = Client(raise_request_exception=True)
        client.force_login(head)
        clients.append(client)

    def download(client):
        def run():
            response = client.get(url)
            body = b"".join(response.streaming_content)
            return response.status_code, body[:5]

        return run

    answers = _answers(download(client) for client in clients)

    assert answers == [(200, b"%PDF-")] * AT_ONCE
    rapport, printed = _printed(approved_rapport)
    assert printed == 1 and rapport.printed_by in (supervisor, oblast_head)
