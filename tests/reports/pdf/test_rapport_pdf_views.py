"""The rapport's PDF through its URLs: ask for it, watch it being made (htmx), download it (logged; a head's download
of an approved rapport marks it printed), the printed button, and 404 for everyone outside the case or without
personal data."""

import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cases.models import PersonalDataAccess
from cases.permissions import VIEW_CASE
from reports import pdf_services
from reports.documents import rapport_content_hash
from reports.models import Rapport, RapportPdf

from .conftest import approve

pytestmark = pytest.mark.django_db


def _urls(rapport, pdf=None) -> dict[str, str]:
    urls = {
        "create": reverse("reports:rapport_pdf_create", args=[rapport.pk]),
        "status": reverse("reports:rapport_pdf_status", args=[rapport.pk]),
        "printed": reverse("reports:rapport_mark_printed", args=[rapport.pk]),
    }
    if pdf is not None:
        urls["download"] = reverse("reports:rapport_pdf_download", args=[pdf.pk])
    return urls


def _pending(rapport, language, actor) -> RapportPdf:
    """A PDF as if queued and not rendered yet."""
    return RapportPdf.objects.create(
        rapport=rapport,
        language=language,
        created_by=actor,
        content_hash=rapport_content_hash(rapport=rapport, language=language),
    )


def _downloads() -> int:
    return PersonalDataAccess.objects.filter(action="download").count()


# -- the officer's way through -----------------------------------------------------------------------------------------
def test_the_officer_asks_for_the_pdf_watches_it_and_downloads_it_logged(client_for, owner, rapport, committed):
    client = client_for(owner)
    urls = _urls(rapport)
    page = client.get(urls["status"]).content.decode()
    assert urls["create"] in page and 'name="language" value="ky"' in page and 'name="language" value="ru"' in page

    with committed():
        response = client.post(urls["create"], {"language": "ky"})

    assert response.status_code == 302 and response["Location"] == urls["status"]
    pdf = RapportPdf.objects.get()
    assert (pdf.status, pdf.language, pdf.created_by) == ("ready", "ky", owner)
    page = client.get(urls["status"]).content.decode()
    download = reverse("reports:rapport_pdf_download", args=[pdf.pk])
    assert download in page and pdf.verification_code in page and "hx-get" not in page

    before = _downloads()
    answer = client.get(download)

    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "attachment" in answer["Content-Disposition"] and rapport.case.number in answer["Content-Disposition"]
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")
    assert _downloads() == before + 1
    log = PersonalDataAccess.objects.filter(action="download").latest("at")
    assert (log.user, log.case_id, log.record_type, log.record_id) == (
        owner,
        rapport.case_id,
        "rapportpdf",
        str(pdf.pk),
    )
    rapport.refresh_from_db()
    assert rapport.printed_at is None  # the officer's download is not the head's printing


def test_every_download_writes_its_own_access_log_row(client_for, owner, rapport, made):
    pdf = made(rapport, "ru", owner)
    client = client_for(owner)
    before = _downloads()

    for _ in range(3):
        assert client.get(_urls(rapport, pdf)["download"]).status_code == 200

    assert _downloads() == before + 3


def test_a_download_is_an_attachment_that_no_browser_or_proxy_keeps(client_for, owner, rapport, made):
    pdf = made(rapport, "ky", owner)

    response = client_for(owner).get(_urls(rapport, pdf)["download"])

    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_post_goes_back_to_the_rapport_page_it_came_from_and_not_elsewhere(client_for, owner, rapport, committed):
    client = client_for(owner)
    urls = _urls(rapport)

    with committed():
        back = client.post(urls["create"], {"language": "ru"}, HTTP_REFERER="http://testserver/cases/x/rapport/")
        away = client.post(urls["create"], {"language": "ru"}, HTTP_REFERER="https://evil.example/steal")

    assert back["Location"] == "http://testserver/cases/x/rapport/#rapport-pdf"
    assert away["Location"] == urls["status"]
    assert RapportPdf.objects.count() == 1  # the second request found the same content


def test_a_pending_pdf_polls_every_two_seconds_until_it_is_ready(client_for, owner, rapport):
    pdf = _pending(rapport, "ru", owner)
    client = client_for(owner)
    urls = _urls(rapport, pdf)

    fragment = client.get(urls["status"], HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{urls["status"]}"' in fragment and 'hx-trigger="every 2s"' in fragment
    assert "<html" not in fragment and 'role="status"' in fragment
    assert client.get(urls["download"]).status_code == 404

    pdf_services.rapport_pdf_render(pdf_id=pdf.pk)

    fragment = client.get(urls["status"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in fragment and urls["download"] in fragment
    assert "<html" in client.get(urls["status"]).content.decode()  # without htmx: a page of its own


def test_a_failed_pdf_says_so_and_its_retry_button_makes_it_again(client_for, owner, rapport, committed, monkeypatch):
    def broken(**kwargs):
        raise OSError("no pango")

    monkeypatch.setattr(pdf_services, "render_rapport", broken)
    client = client_for(owner)
    urls = _urls(rapport)
    with committed():
        client.post(urls["create"], {"language": "ky"})
    pdf = RapportPdf.objects.get()
    assert pdf.status == "failed"
    page = client.get(urls["status"]).content.decode()
    assert 'class="error"' in page and 'data-status="failed"' in page and "hx-get" not in page
    monkeypatch.undo()

    with committed():
        client.post(urls["create"], {"language": "ky"})

    pdf.refresh_from_db()
    assert pdf.status == "ready" and RapportPdf.objects.count() == 1
    assert _urls(rapport, pdf)["download"] in client.get(urls["status"]).content.decode()


# -- the head: printing ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kbr_number", ["", "01-2026-000777"], ids=["approved", "registered"])
def test_the_heads_download_of_an_approved_rapport_marks_it_printed(
    kbr_number, client_for, owner, supervisor, rapport, made
):
    approve(rapport, supervisor, kbr_number=kbr_number)
    pdf = made(rapport, "ky", supervisor)
    client = client_for(supervisor)

    assert client.get(_urls(rapport, pdf)["download"]).status_code == 200

    rapport.refresh_from_db()
    assert rapport.printed_by == supervisor and rapport.printed_at is not None
    page = client.get(_urls(rapport)["status"]).content.decode()
    assert 'class="printed"' in page and str(supervisor) in page
    assert _urls(rapport)["printed"] not in page


def test_the_heads_download_of_a_draft_marks_nothing(client_for, owner, supervisor, rapport, made):
    pdf = made(rapport, "ky", owner)

    assert client_for(supervisor).get(_urls(rapport, pdf)["download"]).status_code == 200

    rapport.refresh_from_db()
    assert rapport.printed_at is None


def test_the_head_marks_an_approved_rapport_printed_with_the_button(client_for, supervisor, rapport):
    approve(rapport, supervisor)
    client = client_for(supervisor)
    urls = _urls(rapport)
    assert urls["printed"] in client.get(urls["status"]).content.decode()

    response = client.post(urls["printed"])

    assert response.status_code == 302
    rapport.refresh_from_db()
    assert rapport.printed_by == supervisor
    assert rapport.history.filter(history_change_reason="printed", history_user=supervisor).exists()


def test_a_draft_cannot_be_marked_printed_and_the_head_is_told_why(client_for, supervisor, rapport):
    client = client_for(supervisor)
    urls = _urls(rapport)
    assert urls["printed"] not in client.get(urls["status"]).content.decode()

    response = client.post(urls["printed"])

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)]
    rapport.refresh_from_db()
    assert rapport.printed_at is None


def test_only_a_head_marks_a_rapport_printed(client_for, owner, supervisor, rapport):
    approve(rapport, supervisor)

    assert client_for(owner).post(_urls(rapport)["printed"]).status_code == 404

    rapport.refresh_from_db()
    assert rapport.printed_at is None


def test_a_head_of_the_oblast_reads_and_downloads_the_rapport_of_a_district_below(
    client_for, oblast_head, owner, rapport, made
):
    pdf = made(rapport, "ru", owner)

    assert client_for(oblast_head).get(_urls(rapport, pdf)["download"]).status_code == 200


# -- everybody else ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["outsider", "other_supervisor", "analyst", "ngo_user", "colleague"])
def test_others_get_404_for_the_rapports_pdf(who, request, client_for, owner, supervisor, rapport, made):
    approve(rapport, supervisor)
    pdf = made(rapport, "ky", owner)
    user = request.getfixturevalue(who)
    if who in ("analyst", "ngo_user"):  # even with the case granted: they never see personal data
        assign_perm(VIEW_CASE, user, rapport.case)
    client = client_for(user)
    urls = _urls(rapport, pdf)
    before = _downloads()

    assert client.post(urls["create"], {"language": "ru"}).status_code == 404
    assert client.get(urls["status"]).status_code == 404
    assert client.get(urls["status"], HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(urls["download"]).status_code == 404
    assert client.post(urls["printed"]).status_code == 404
    assert RapportPdf.objects.count() == 1 and _downloads() == before
    rapport.refresh_from_db()
    assert rapport.printed_at is None


def test_anonymous_is_sent_to_the_login_page(client, owner, rapport, made):
    pdf = made(rapport, "ky", owner)
    urls = _urls(rapport, pdf)

    for method, url in [
        ("post", urls["create"]),
        ("get", urls["status"]),
        ("get", urls["download"]),
        ("post", urls["printed"]),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    assert RapportPdf.objects.count() == 1


def test_the_views_answer_only_their_methods(client_for, owner, rapport, made):
    pdf = made(rapport, "ky", owner)
    client = client_for(owner)
    urls = _urls(rapport, pdf)

    assert client.get(urls["create"]).status_code == 405
    assert client.post(urls["download"]).status_code == 405
    assert client.post(urls["status"]).status_code == 405


# -- hostile input -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "language",
    ["", "en", "KY", "ky\x00", "k\u202ey", "ж" * 20_000, "9" * 40, "0001-01-01", "ky ru"],
    ids=["empty", "en", "upper", "nul", "rlo", "huge", "digits", "year_1", "two"],
)
def test_a_hostile_language_is_refused_with_a_message_and_stores_nothing(language, client_for, owner, rapport):
    response = client_for(owner).post(_urls(rapport)["create"], {"language": language})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)]
    assert not RapportPdf.objects.exists()


def test_no_language_at_all_is_refused_too(client_for, owner, rapport):
    response = client_for(owner).post(_urls(rapport)["create"])

    assert response.status_code == 302 and not RapportPdf.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/reports/rapports/not-a-uuid/pdf/status/",
        "/reports/rapports/%00/pdf/status/",
        "/reports/rapports/" + "9" * 40 + "/pdf/",
        "/reports/rapport-pdfs/\u202e/download/",
        "/reports/rapport-pdfs/" + "ж" * 2000 + "/download/",
    ],
)
def test_hostile_ids_answer_404(path, client_for, owner, rapport):
    client = client_for(owner)

    assert client.get(path).status_code == 404
    assert client.post(path, {"language": "ky"}).status_code == 404


def test_an_unknown_id_answers_404_as_a_foreign_one(client_for, owner, rapport):
    client = client_for(owner)
    missing = uuid.uuid4()

    assert client.get(reverse("reports:rapport_pdf_status", args=[missing])).status_code == 404
    assert client.get(reverse("reports:rapport_pdf_download", args=[missing])).status_code == 404
    assert client.post(reverse("reports:rapport_pdf_create", args=[missing]), {"language": "ky"}).status_code == 404
    assert Rapport.objects.count() == 1 and not RapportPdf.objects.exists()
