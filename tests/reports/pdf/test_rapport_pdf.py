"""The rapport as a PDF (ARCHITECTURE §7): what it says in Kyrgyz and Russian, read back out of the PDF; the
verification code on every page; made once per content by a Celery task that claims its work; a failed render marked
failed and made again on request; the printed flag."""

import hashlib

import pytest

from reports import documents, pdf_services, tasks
from reports.documents import rapport_content_hash, rapport_html, render_rapport
from reports.models import RAPPORT_ITEMS, Rapport, RapportItem, RapportPdf
from trafficking_cms.pdf import render_pdf

from .conftest import approve, pdf_pages_text

pytestmark = pytest.mark.django_db

HEADINGS = {
    "ky": {
        "title": "РАПОРТ",
        "to": "Ички иштер бөлүмүнүн начальнигине",
        "mark": "КУПУЯ",
        "article": "КР Жазык кодексинин 166-беренеси",
        "code": "Текшерүү коду",
        "unknown": "Белгисиз (кызматкер белгисиз деп белгилеген).",
        "approved": "БЕКИТЕМ",
        "register": "Кылмыштардын бирдиктүү реестрине (КБР)",
    },
    "ru": {
        "title": "РАПОРТ",
        "to": "Начальнику отдела внутренних дел",
        "mark": "КОНФИДЕНЦИАЛЬНО",
        "article": "ст. 166 УК КР",
        "code": "Код проверки",
        "unknown": "Неизвестно (отмечено сотрудником как неизвестное).",
        "approved": "УТВЕРЖДАЮ",
        "register": "Едином реестре преступлений (ЕРП)",
    },
}


def _flat(text: str) -> str:
    """The text with every run of whitespace as one space: lines wrap where the page width says."""
    return " ".join(text.split())


def _item_titles(language: str) -> list[str]:
    from django.utils import translation

    with translation.override(language):
        return [f"{number}. {RapportItem(code).label}" for number, code in enumerate(RAPPORT_ITEMS, start=1)]


# -- what the document says --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_pdf_says_the_heading_the_article_and_the_seven_items_in_its_language(language, rapport):
    words = HEADINGS[language]

    document = render_rapport(rapport=rapport, language=language)

    pages = [_flat(text) for text in pdf_pages_text(document.content)]
    whole = " ".join(pages)
    assert whole.count(words["title"]) >= 1 and words["to"] in whole and words["article"] in whole
    assert (rapport.unit.name_ru if language == "ru" else rapport.unit.name) in whole
    for title in _item_titles(language):
        assert title in whole, title
    assert "8. " in whole  # the qualification is the eighth section
    assert rapport.qualification_explanation[language] in whole
    assert "Жумабеков" in whole and "Үсөнов" in whole  # the officer, and the head it is addressed to
    other = HEADINGS["ru" if language == "ky" else "ky"]
    assert other["to"] not in whole and other["code"] not in whole


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_every_page_carries_the_confidential_mark_its_number_and_the_verification_code(language, rapport):
    rapport.consequences = "Узак баяндама. " * 900  # several pages
    rapport.save()

    document = render_rapport(rapport=rapport, language=language)

    pages = [_flat(text) for text in pdf_pages_text(document.content)]
    assert document.pages == len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert HEADINGS[language]["mark"] in text.upper(), number
        assert f"{number} / {len(pages)}" in text, number
        assert f"{HEADINGS[language]['code']}: {document.verification_code}" in text, number


def test_the_verification_code_is_the_start_of_the_hash_of_the_pdf_without_it_and_the_file_keeps_its_own(
    rapport, monkeypatch
):
    renders = []

    def keeping(html, **kwargs):
        renders.append((html, render_pdf(html, **kwargs)))
        return renders[-1][1]

    monkeypatch.setattr(documents, "render_pdf", keeping)

    document = render_rapport(rapport=rapport, language="ky")

    (draft_html, draft), (final_html, final) = renders
    assert draft_html == rapport_html(rapport=rapport, language="ky") and document.verification_code not in draft_html
    assert document.verification_code == hashlib.sha256(draft.content).hexdigest()[:16]
    assert document.verification_code in final_html and document.content == final.content
    assert document.sha256 == hashlib.sha256(final.content).hexdigest()
    assert len(document.verification_code) == 16 and document.sha256 != hashlib.sha256(draft.content).hexdigest()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_an_item_marked_unknown_says_so_in_the_documents_language(language, rapport):
    rapport.traces, rapport.traces_unknown = "", True
    rapport.save()

    whole = _flat(" ".join(pdf_pages_text(render_rapport(rapport=rapport, language=language).content)))

    after_title = whole.split(_item_titles(language)[2], 1)[1]
    assert after_title.lstrip().startswith(HEADINGS[language]["unknown"])


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_an_approved_and_registered_rapport_shows_the_approval_and_the_kbr_number(language, rapport, supervisor):
    approve(rapport, supervisor, kbr_number="01-2026-000123")
    html = rapport_html(rapport=rapport, language=language)
    assert "01-2026-000123" in html

    whole = _flat(" ".join(pdf_pages_text(render_rapport(rapport=rapport, language=language).content)))

    assert HEADINGS[language]["approved"] in whole and "01-2026-000123" in whole
    assert rapport.kbr_registered_at.strftime("%d.%m.%Y") in whole
    assert HEADINGS[language]["register"] in whole


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("ky", ["милициянын подполковниги", "Жаш өспүрүмдөр менен иштөөчү инспектор"], ["подполковник милиции"]),
        ("ru", ["подполковник милиции", "Инспектор по делам несовершеннолетних"], ["милициянын подполковниги"]),
    ],
)
def test_the_people_are_named_with_their_position_and_rank_in_the_documents_language(
    language, shown, not_shown, rapport, owner, supervisor
):
    owner.position_ru, owner.rank_ru = "Инспектор по делам несовершеннолетних", "старший лейтенант милиции"
    owner.save()
    supervisor.rank_ru = "подполковник милиции"
    supervisor.save()

    whole = _flat(" ".join(pdf_pages_text(render_rapport(rapport=rapport, language=language).content)))

    assert all(_flat(text) in whole for text in shown)
    assert not any(_flat(text) in whole for text in not_shown)


def test_without_a_russian_rank_the_russian_document_keeps_the_one_entered(rapport, supervisor):
    html = rapport_html(rapport=rapport, language="ru")

    assert "милициянын подполковниги" in html


def test_a_draft_leaves_the_approval_and_the_registration_blank(rapport):
    html = rapport_html(rapport=rapport, language="ky")

    assert "БЕКИТЕМ" not in html and "Бекитүүгө" in html
    assert "№ ____________" in html


@pytest.mark.parametrize(
    ("language", "words"), [("ky", "166-берененин 2-бөлүгүнүн 5-пункту"), ("ru", "п. 5 ч. 2 ст. 166")]
)
def test_carrying_across_the_border_adds_part_2_item_5(language, words, rapport):
    rapport.qualification_articles = ["166", "166.2.5"]
    rapport.save()

    assert words in rapport_html(rapport=rapport, language=language)


def test_the_child_article_167_is_printed_for_a_child_victim(rapport):
    rapport.qualification_verdict, rapport.qualification_articles = "art_167", ["167"]
    rapport.save()

    assert "167-беренеси (балдарды сатуу)" in rapport_html(rapport=rapport, language="ky")
    assert "ст. 167 УК КР (торговля детьми)" in rapport_html(rapport=rapport, language="ru")


def test_long_texts_wrap_and_flow_to_further_pages_with_nothing_cut_off(rapport):
    unbroken = "Ж" * 1500  # one "word" wider than the page: it must wrap, not run off the edge
    rapport.circumstances = "Башы. " + "Кыз Казакстанга жумушка убада менен алынып кеткен. " * 300 + "Аягы."
    rapport.offenders = unbroken
    rapport.save()

    document = render_rapport(rapport=rapport, language="ky")

    pages = pdf_pages_text(document.content)
    assert len(pages) >= 4
    joined = "".join("".join(pages).split())
    assert "Башы." in joined and "Аягы." in joined and unbroken in joined


def test_the_html_names_no_time_of_rendering_so_the_same_rapport_gives_the_same_hash(rapport):
    first = rapport_content_hash(rapport=rapport, language="ky")

    assert rapport_content_hash(rapport=rapport, language="ky") == first
    assert rapport_content_hash(rapport=rapport, language="ru") != first
    rapport.sites = rapport.sites + " Дагы бир дарек."
    assert rapport_content_hash(rapport=rapport, language="ky") != first


def test_a_language_other_than_kyrgyz_or_russian_is_refused(rapport, owner):
    with pytest.raises(ValueError):
        rapport_html(rapport=rapport, language="en")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        pdf_services.rapport_pdf_request(rapport=rapport, language="en", actor=owner)
    assert not RapportPdf.objects.exists()


# -- made once per content, by the task --------------------------------------------------------------------------------
@pytest.fixture
def renders(monkeypatch):
    """Count the renders the service makes."""
    calls = []
    real = pdf_services.render_rapport

    def counting(**kwargs):
        calls.append(kwargs["language"])
        return real(**kwargs)

    monkeypatch.setattr(pdf_services, "render_rapport", counting)
    return calls


def test_the_task_keeps_the_pdf_with_its_sha256_pages_and_verification_code(rapport, owner, made):
    pdf = made(rapport, "ru", owner)

    assert pdf.status == RapportPdf.Status.READY and pdf.rendered_at is not None
    content = pdf.file.read()
    assert content.startswith(b"%PDF-") and hashlib.sha256(content).hexdigest() == pdf.sha256
    assert pdf.pages == len(pdf_pages_text(content)) and len(pdf.verification_code) == 16
    assert pdf.verification_code in _flat(pdf_pages_text(content)[0])
    assert pdf.content_hash == rapport_content_hash(rapport=rapport, language="ru")
    assert str(rapport.case_id) in pdf.file.name and rapport.case.number not in pdf.file.name
    assert pdf.created_by == owner


def test_the_same_content_gives_the_same_pdf_without_a_second_render(rapport, owner, supervisor, made, renders):
    first = made(rapport, "ky", owner)

    again = made(Rapport.objects.get(pk=rapport.pk), "ky", supervisor)

    assert again.pk == first.pk and again.sha256 == first.sha256
    assert renders == ["ky"] and RapportPdf.objects.count() == 1


def test_a_changed_item_gives_a_new_pdf(rapport, owner, made, renders):
    first = made(rapport, "ky", owner)
    rapport.indicators = rapport.indicators + " Паспорту кожоюнда."
    rapport.save()

    second = made(rapport, "ky", owner)

    assert second.pk != first.pk and second.content_hash != first.content_hash and second.sha256 != first.sha256
    assert renders == ["ky", "ky"]
    assert "Паспорту кожоюнда." in _flat(" ".join(pdf_pages_text(second.file.read())))


def test_approving_the_rapport_changes_its_content_and_so_its_pdf(rapport, owner, supervisor, made):
    draft = made(rapport, "ru", owner)

    approved = made(approve(rapport, supervisor), "ru", supervisor)

    assert approved.pk != draft.pk and "УТВЕРЖДАЮ" in _flat(" ".join(pdf_pages_text(approved.file.read())))


def test_a_pdf_being_made_is_answered_as_it_is_and_not_queued_again(rapport, owner, committed, renders):
    pending = RapportPdf.objects.create(
        rapport=rapport,
        language="ky",
        created_by=owner,
        content_hash=rapport_content_hash(rapport=rapport, language="ky"),
    )

    with committed() as callbacks:
        answer = pdf_services.rapport_pdf_request(rapport=rapport, language="ky", actor=owner)

    assert answer.pk == pending.pk and answer.status == RapportPdf.Status.PENDING
    assert callbacks == [] and renders == []


def test_the_task_renders_nothing_when_another_worker_has_claimed_the_pdf(rapport, owner, renders):
    from django.utils import timezone

    pdf = RapportPdf.objects.create(
        rapport=rapport,
        language="ky",
        created_by=owner,
        content_hash=rapport_content_hash(rapport=rapport, language="ky"),
    )
    RapportPdf.objects.filter(pk=pdf.pk).update(rendered_at=timezone.now())  # claimed a moment ago

    tasks.rapport_pdf_render.delay(str(pdf.pk))

    pdf.refresh_from_db()
    assert renders == [] and pdf.status == RapportPdf.Status.PENDING and not pdf.file


def test_of_two_claims_only_the_first_wins(rapport, owner):
    pdf = RapportPdf.objects.create(rapport=rapport, language="ky", created_by=owner, content_hash="0" * 64)

    assert [pdf_services._claim(pdf.pk), pdf_services._claim(pdf.pk)] == [True, False]


def test_a_claim_left_by_a_dead_worker_is_taken_over(rapport, owner, renders):
    from django.utils import timezone

    pdf = RapportPdf.objects.create(
        rapport=rapport,
        language="ru",
        created_by=owner,
        content_hash=rapport_content_hash(rapport=rapport, language="ru"),
    )
    stale = timezone.now() - pdf_services.STALE_CLAIM - pdf_services.timedelta(seconds=1)
    RapportPdf.objects.filter(pk=pdf.pk).update(rendered_at=stale)

    tasks.rapport_pdf_render.delay(str(pdf.pk))

    pdf.refresh_from_db()
    assert renders == ["ru"] and pdf.status == RapportPdf.Status.READY


def test_rendering_a_ready_pdf_again_leaves_it_as_it_is(rapport, owner, made, renders):
    pdf = made(rapport, "ky", owner)

    again = pdf_services.rapport_pdf_render(pdf_id=pdf.pk)

    assert (again.file.name, again.sha256, again.rendered_at) == (pdf.file.name, pdf.sha256, pdf.rendered_at)
    assert renders == ["ky"]


def test_the_task_is_late_acknowledged_with_time_limits():
    task = tasks.rapport_pdf_render

    assert task.name == "reports.tasks.rapport_pdf_render" and task.acks_late is True
    assert 0 < task.soft_time_limit < task.time_limit <= 300
    assert pdf_services.STALE_CLAIM.total_seconds() > task.time_limit


def test_a_failed_render_is_marked_failed_and_a_new_request_makes_it_again(rapport, owner, monkeypatch, made):
    def broken(**kwargs):
        raise OSError("no pango")

    monkeypatch.setattr(pdf_services, "render_rapport", broken)
    failed = made(rapport, "ky", owner)
    assert failed.status == RapportPdf.Status.FAILED and not failed.file
    monkeypatch.undo()

    retried = made(rapport, "ky", owner)

    assert retried.pk == failed.pk and retried.status == RapportPdf.Status.READY and retried.file
    assert RapportPdf.objects.count() == 1


def test_a_rapport_changed_before_its_render_is_not_rendered_under_the_old_content(rapport, owner, renders):
    pdf = RapportPdf.objects.create(
        rapport=rapport,
        language="ky",
        created_by=owner,
        content_hash=rapport_content_hash(rapport=rapport, language="ky"),
    )
    Rapport.objects.filter(pk=rapport.pk).update(sites="Башка дарек.")

    with pytest.raises(ValueError):
        pdf_services.rapport_pdf_render(pdf_id=pdf.pk)

    pdf.refresh_from_db()
    assert pdf.status == RapportPdf.Status.FAILED and renders == []


# -- the printed flag --------------------------------------------------------------------------------------------------
def test_marking_printed_records_who_and_when_once_with_history(rapport, supervisor, oblast_head):
    approve(rapport, supervisor)

    printed = pdf_services.rapport_mark_printed(rapport=rapport, actor=supervisor)
    again = pdf_services.rapport_mark_printed(rapport=rapport, actor=oblast_head)

    assert printed.printed_by == supervisor and printed.printed_at is not None
    assert (again.printed_by, again.printed_at) == (supervisor, printed.printed_at)
    record = rapport.history.latest("history_date")
    assert (record.history_user, record.history_change_reason, record.printed_by_id) == (
        supervisor,
        "printed",
        supervisor.pk,
    )
    assert rapport.history.filter(history_change_reason="printed").count() == 1


def test_a_draft_rapport_cannot_be_marked_printed(rapport, supervisor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        pdf_services.rapport_mark_printed(rapport=rapport, actor=supervisor)

    rapport.refresh_from_db()
    assert rapport.printed_at is None
