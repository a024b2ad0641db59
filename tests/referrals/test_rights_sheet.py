"""The rights and contacts sheet (DOMAIN §7 step 3, §9 "Information"): what it says in Kyrgyz and Russian, whose
contacts it gives, when the 72 hours belong on it, the PDF the Celery task keeps, the fonts that carry ң ө ү № « »,
and the case page's buttons: make it, download it (logged), record that it was handed over."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases import services as case_services
from cases.models import OfficerStep, PersonalDataAccess
from referrals import services
from referrals.models import Recipient, RightsSheet
from referrals.rights_sheet import render_sheet, sheet_html, sheet_pdf
from screening.services import screening_record
from tests.factories import UnitFactory, UserFactory
from tests.pdf_fonts import embedded_fonts, families_named_in, font_files

from .conftest import organisation_recipient

pytestmark = pytest.mark.django_db

TEMPLATE = Path(settings.BASE_DIR) / "templates" / "referrals" / "rights_sheet.html"
# Letters of Kyrgyz that Russian fonts may lack, and the signs of a Kyrgyz or Russian document.
GLYPHS = "ңөүҢӨҮ№«»"
CHILD_ABUSED = {"victim_age": 15, "acts": ["recruitment", "transportation"], "purposes": ["sexual_exploitation"]}
ADULT_TRAFFICKED = {
    "victim_age": 24,
    "acts": ["transportation"],
    "means": ["deception"],
    "purposes": ["forced_labour"],
}


@pytest.fixture
def directory(oblast, ngo, other_ngo, social_protection, child_protection, far_district):
    """Chui's crisis centre, social- and child-protection bodies, a nationwide NGO, and an Osh NGO (another region)."""
    ngo.organisation.name = "«Ишеним» кризистик борбору"
    ngo.organisation.save()
    ngo.name_ru = "Кризисный центр «Ишеним»"
    ngo.address, ngo.hours = "Бишкек, Токтогул көч. 1", "09:00–18:00"
    ngo.save()
    osh = organisation_recipient(
        "«Ош аялдары» коомдук бирикмеси", Recipient.Kind.NGO, region=far_district.parent, phone="+996 3222 5 55 55"
    )
    return {"ngo": ngo, "other_ngo": other_ngo, "osh": osh}


def _facts(case, facts):
    return {"act_date": case.act_date.isoformat(), **facts}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the task is queued on commit; tasks are eager in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def made(committed):
    """Ask for a sheet and let the task make it."""

    def make(case, language, actor):
        with committed():
            sheet = services.rights_sheet_request(case=case, language=language, actor=actor)
        sheet.refresh_from_db()
        return sheet

    return make


# -- what the sheet says -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_sheet_gives_the_contacts_of_the_cases_region_and_not_of_another(language, police_case, owner, directory):
    html = sheet_html(police_case, language=language, officer=owner)

    name = "Кризисный центр «Ишеним»" if language == "ru" else "«Ишеним» кризистик борбору"
    assert name.replace("«", "&laquo;").replace("»", "&raquo;") in html or name in html
    assert "+996 312 00 00 00" in html  # the oblast's crisis centre
    assert "Сезим" in html  # nationwide
    assert "Чүй социалдык коргоо башкармалыгы" in html and "Балдарды коргоо бөлүмү" in html
    assert "Ош аялдары" not in html and "+996 3222 5 55 55" not in html  # another oblast's
    assert police_case.number in html
    assert f'lang="{language}"' in html


def test_the_sheet_is_in_the_language_chosen(police_case, owner, directory):
    ky = sheet_html(police_case, language="ky", officer=owner)
    ru = sheet_html(police_case, language="ru", officer=owner)

    assert "Ваши права" in ru and "Ваши права" not in ky
    assert "укуктарыңыз" in ky
    assert "1899" in ky and "1899" in ru


def test_the_sheet_leaves_out_inactive_entries_and_the_police_units(police_case, owner, directory, district):
    directory["ngo"].active = False
    directory["ngo"].save()
    Recipient.objects.create(kind=Recipient.Kind.DUTY_UNIT, unit=district, phone="+996 312 99 99 99")

    html = sheet_html(police_case, language="ky", officer=owner)

    assert "Ишеним" not in html and "+996 312 99 99 99" not in html


def test_the_72_hours_are_on_the_sheet_when_the_latest_screening_found_sexual_violence_against_a_child(
    police_case, owner, child, directory
):
    screening_record(
        case=police_case, actor=owner, facts=_facts(police_case, CHILD_ABUSED), victim=child, sexual_violence=True
    )

    for language in ("ky", "ru"):
        html = sheet_html(police_case, language=language, officer=owner)
        assert 'id="health-72h"' in html
        deadline = timezone.localtime(police_case.incident_at + timedelta(hours=72))
        assert deadline.strftime("%d.%m.%Y %H:%M") in html


@pytest.mark.parametrize(
    ("facts", "sexual_violence"),
    [(CHILD_ABUSED, False), (ADULT_TRAFFICKED, True), (None, None)],
    ids=["child_without_sexual_violence", "adult", "not_screened"],
)
def test_the_72_hours_are_not_on_the_sheet_otherwise(facts, sexual_violence, police_case, owner, directory):
    if facts is not None:
        screening_record(
            case=police_case, actor=owner, facts=_facts(police_case, facts), sexual_violence=sexual_violence
        )

    assert "health-72h" not in sheet_html(police_case, language="ky", officer=owner)


def test_a_later_screening_without_sexual_violence_takes_the_72_hours_off(police_case, owner, child, directory):
    screening_record(case=police_case, actor=owner, facts=_facts(police_case, CHILD_ABUSED), sexual_violence=True)
    screening_record(case=police_case, actor=owner, facts=_facts(police_case, CHILD_ABUSED), sexual_violence=False)

    assert "health-72h" not in sheet_html(police_case, language="ru", officer=owner)


def test_the_sheet_names_no_person(police_case, owner, adult, child, directory):
    html = sheet_html(police_case, language="ky", officer=owner)

    assert "Асанова" not in html and "Токтогулова" not in html and "+996 700 11 22 33" not in html


# -- the PDF the task keeps --------------------------------------------------------------------------------------------
def test_the_task_renders_a_one_page_pdf_and_keeps_it_with_its_sha256(police_case, owner, directory, made):
    import hashlib

    sheet = made(police_case, "ru", owner)

    assert sheet.status == RightsSheet.Status.READY and sheet.rendered_at is not None
    pdf = sheet.file.read()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == sheet.sha256
    assert _page_count(pdf) == 1
    assert str(police_case.pk) in sheet.file.name and police_case.number not in sheet.file.name


def test_a_full_directory_still_fits_on_one_page(police_case, owner, oblast, child):
    screening_record(
        case=police_case, actor=owner, facts=_facts(police_case, CHILD_ABUSED), victim=child, sexual_violence=True
    )
    for kind in Recipient.Kind.values[:6]:  # the six kinds of organisation, more of each than the sheet lists
        for n in range(5):
            organisation_recipient(
                f"«Өнүгүү-{kind}-{n}» коомдук бирикмеси, Чүй облусу боюнча бөлүмү", kind, region=oblast,
                phone="+996 312 55 66 77, +996 700 55 66 77", email=f"info{n}@{kind}.kg",
                address="Бишкек ш., Чүй проспекти 114, 3-кабат, 305-бөлмө", hours="Дүйшөмбү–жума 09:00–18:00",
                services=["shelter", "medical", "psychological", "legal", "social", "child_care"],
            )  # fmt: skip

    for language in ("ky", "ru"):
        pdf, pages = render_sheet(police_case, language=language, officer=owner)
        assert pages == 1, language
        assert _page_count(pdf) == 1


def test_rendering_again_leaves_a_ready_sheet_as_it_is(police_case, owner, directory, made):
    sheet = made(police_case, "ky", owner)

    again = services.rights_sheet_render(sheet_id=sheet.pk)

    assert (again.file.name, again.sha256) == (sheet.file.name, sheet.sha256)


def test_a_sheet_that_cannot_be_rendered_is_marked_failed(police_case, owner, monkeypatch, made):
    import referrals.rights_sheet

    def broken(html):
        raise OSError("no pango")

    monkeypatch.setattr(referrals.rights_sheet, "sheet_pdf", broken)

    sheet = made(police_case, "ky", owner)

    assert sheet.status == RightsSheet.Status.FAILED and not sheet.file


# -- the fonts ---------------------------------------------------------------------------------------------------------
def _named_families() -> list[str]:
    return families_named_in(TEMPLATE.read_text(encoding="utf-8"))


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_the_named_font_exists_and_covers_every_kyrgyz_letter_and_sign():
    from fontTools.ttLib import TTFont

    family = _named_families()[0]
    assert family == "DejaVu Sans"
    files = font_files(family)
    assert {"Book", "Bold"} <= set(files), f"{family!r} is not installed: install fonts-dejavu-core ({files})"
    for style in ("Book", "Bold"):
        cmap = TTFont(str(files[style]), fontNumber=0).getBestCmap()
        missing = [c for c in GLYPHS if ord(c) not in cmap]
        assert missing == [], f"{files[style].name} lacks {missing}"


def test_the_pdf_embeds_only_the_named_font_so_no_glyph_fell_back(police_case, owner, oblast, directory):
    organisation_recipient(
        "«ӨҢҮ» балдар борбору №1", Recipient.Kind.CHILD_PROTECTION, region=oblast, hours="«Ү» блогу, №2 бөлмө",
        address="Бишкек, Жаңы-Жер көч., 5, түштүк тарабы",
    )  # fmt: skip

    for language in ("ky", "ru"):
        html = sheet_html(police_case, language=language, officer=owner)
        assert all(c in html.replace("&laquo;", "«").replace("&raquo;", "»") for c in GLYPHS)
        pdf, _pages = sheet_pdf(html)
        fonts = embedded_fonts(pdf)
        assert fonts, "no font found in the PDF"
        # WeasyPrint names an embedded font after its family, spaces as hyphens, then the style: "DejaVu-Sans-Bold".
        named = re.compile(r"DejaVu-Sans(-(Bold|Oblique|BoldOblique|Book))?")
        assert [font for font in fonts if not named.fullmatch(font)] == [], fonts


# -- the case page -----------------------------------------------------------------------------------------------------
def test_the_officer_makes_the_sheet_downloads_it_logged_and_records_it_was_handed_over(
    client_for, owner, police_case, directory, committed
):
    client = client_for(owner)
    page = client.get(police_case.get_absolute_url()).content.decode()
    assert reverse("referrals:rights_sheet_create", args=[police_case.pk]) in page

    with committed():
        response = client.post(reverse("referrals:rights_sheet_create", args=[police_case.pk]), {"language": "ky"})

    assert response.status_code == 302 and response["Location"].endswith("#rights-sheet")
    sheet = RightsSheet.objects.get()
    assert (sheet.status, sheet.language, sheet.created_by) == ("ready", "ky", owner)
    page = client.get(police_case.get_absolute_url()).content.decode()
    download = reverse("referrals:rights_sheet_download", args=[sheet.pk])
    assert download in page and "hand_rights_sheet" in page

    before = PersonalDataAccess.objects.filter(action="download").count()
    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    log = PersonalDataAccess.objects.filter(action="download").latest("at")
    assert PersonalDataAccess.objects.filter(action="download").count() == before + 1
    assert (log.user, log.case_id, log.record_type) == (owner, police_case.pk, "rightssheet")
    assert log.record_id == str(sheet.pk)

    handed = client.post(
        reverse("cases:step_record", args=[police_case.pk]), {"code": "hand_rights_sheet", "note": "ky"}
    )
    assert handed.status_code == 302
    step = OfficerStep.objects.get(case=police_case, code="hand_rights_sheet")
    assert step.done_by == owner
    page = client.get(police_case.get_absolute_url()).content.decode()
    assert 'class="inline-form hand-over"' not in page


def test_a_pending_sheet_polls_until_it_is_ready(client_for, owner, police_case, directory):
    sheet = RightsSheet.objects.create(case=police_case, language="ru", created_by=owner)  # as if queued, not done
    client = client_for(owner)
    status = reverse("referrals:rights_sheet_status", args=[sheet.pk])

    page = client.get(police_case.get_absolute_url()).content.decode()
    assert f'hx-get="{status}"' in page
    fragment = client.get(status, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{status}"' in fragment and "<html" not in fragment
    assert client.get(reverse("referrals:rights_sheet_download", args=[sheet.pk])).status_code == 404

    services.rights_sheet_render(sheet_id=sheet.pk)

    fragment = client.get(status, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in fragment
    assert reverse("referrals:rights_sheet_download", args=[sheet.pk]) in fragment
    assert "<html" in client.get(status).content.decode()  # without htmx: a page of its own


def test_a_language_other_than_kyrgyz_or_russian_is_refused(client_for, owner, police_case):
    response = client_for(owner).post(
        reverse("referrals:rights_sheet_create", args=[police_case.pk]), {"language": "en"}
    )

    assert response.status_code == 302
    assert not RightsSheet.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "analyst", "ngo_user", "hotline_operator", "colleague"])
def test_others_get_404_for_the_sheet(who, request, client_for, owner, police_case, district, made):
    sheet = made(police_case, "ky", owner)
    user = (
        UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])
        if who == "hotline_operator"
        else request.getfixturevalue(who)
    )
    client = client_for(user)

    assert (
        client.post(reverse("referrals:rights_sheet_create", args=[police_case.pk]), {"language": "ky"}).status_code
        == 404
    )
    assert client.get(reverse("referrals:rights_sheet_status", args=[sheet.pk])).status_code == 404
    assert client.get(reverse("referrals:rights_sheet_download", args=[sheet.pk])).status_code == 404
    assert RightsSheet.objects.count() == 1
    assert not PersonalDataAccess.objects.filter(action="download").exists()


def test_a_head_reads_and_downloads_the_sheet_of_a_unit_below(client_for, oblast_head, owner, police_case, made):
    sheet = made(police_case, "ru", owner)

    response = client_for(oblast_head).get(reverse("referrals:rights_sheet_download", args=[sheet.pk]))

    assert response.status_code == 200


def test_a_closed_case_takes_no_new_sheet(client_for, owner, police_case):
    case_services.case_close(case=police_case, actor=owner, reason="Кылмыш белгилери жок.")

    response = client_for(owner).post(
        reverse("referrals:rights_sheet_create", args=[police_case.pk]), {"language": "ky"}
    )

    assert response.status_code in (403, 404)
    assert not RightsSheet.objects.exists()


def test_a_sheet_of_an_unknown_region_lists_nationwide_organisations_only(owner, directory):
    lone = UnitFactory(kind="district", parent=None)
    officer = UserFactory(unit=lone, roles=[Role.INSPECTOR])
    case = case_services.case_create(actor=officer, data={"source": "citizen"})

    html = sheet_html(case, language="ky", officer=officer)

    assert "Сезим" in html and "Ишеним" not in html


def test_the_operator_who_passed_the_report_in_gets_no_sheet(client_for, district, duty_officer, made):
    operator = UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])
    call = services.hotline_call_record(
        operator=operator,
        data={"caller": "anonymous", "summary": "Кошунасы кызды камап коюптур.", "urgency": "normal",
              "district": district},
    )  # fmt: skip
    sheet = made(call.case, "ky", duty_officer)
    client = client_for(operator)

    page = client.get(call.case.get_absolute_url()).content.decode()  # the desk's own report: it reads the case
    assert 'id="rights-sheet"' not in page and 'id="hotline-call"' not in page
    assert client.get(reverse("referrals:rights_sheet_download", args=[sheet.pk])).status_code == 404
