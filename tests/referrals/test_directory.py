"""The recipients directory: a page for the police and the 1899 desk (filter by region and kind; contacts, services,
agreement, active flag); kept by administrators in the admin, where case data of the referral app is read-only."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import PersonalDataAccess
from referrals import services
from referrals.models import Consent, Recipient
from tests.factories import UserFactory

from .conftest import organisation_recipient

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(ngo, other_ngo, social_protection, district, far_district):
    ngo.email, ngo.address, ngo.hours = "ishenim@example.kg", "Бишкек, Токтогул 1", "24/7"
    ngo.agreement_reference, ngo.agreement_categories = "№ 12 от 01.02.2026", ["identity", "health"]
    ngo.save()
    osh = organisation_recipient(
        "«Ош аялдары» коомдук бирикмеси", Recipient.Kind.NGO, region=far_district.parent, phone="+996 3222 5 55 55"
    )
    retired = organisation_recipient("«Эски» борбору", Recipient.Kind.PSYCHOLOGIST, region=None, active=False)
    duty = Recipient.objects.create(kind=Recipient.Kind.DUTY_UNIT, unit=district, phone="102")
    return {"ngo": ngo, "osh": osh, "retired": retired, "duty": duty}


@pytest.fixture
def operator(district):
    return UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])


@pytest.mark.parametrize("who", ["owner", "duty_officer", "supervisor", "oblast_head", "operator", "intl_officer"])
def test_the_police_and_the_desk_read_the_directory(who, request, client_for, entries):
    page = client_for(request.getfixturevalue(who)).get(reverse("referrals:directory")).content.decode()

    assert "«Ишеним» кризистик борбору" in page and "+996 312 00 00 00" in page
    assert "ishenim@example.kg" in page and "Бишкек, Токтогул 1" in page and "24/7" in page
    assert "№ 12 от 01.02.2026" in page
    assert ">shelter<" not in page and ">identity; health<" not in page  # services and categories as words
    assert "Ош аялдары" in page and f'data-recipient="{entries["duty"].pk}"' in page
    assert "Эски" not in page  # inactive: only on request
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("who", ["analyst", "ngo_user"])
def test_analysts_and_ngo_staff_get_404(who, request, client_for, entries):
    assert client_for(request.getfixturevalue(who)).get(reverse("referrals:directory")).status_code == 404


def test_the_directory_asks_to_sign_in(client, entries):
    response = client.get(reverse("referrals:directory"))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_filtered_by_region_it_keeps_the_nationwide_entries(client_for, owner, entries, oblast):
    page = client_for(owner).get(reverse("referrals:directory"), {"region": oblast.pk}).content.decode()

    assert "Ишеним" in page and "Сезим" in page  # the oblast's, and the whole country's
    assert "Ош аялдары" not in page


def test_filtered_by_kind(client_for, owner, entries):
    page = client_for(owner).get(reverse("referrals:directory"), {"kind": "social_protection"}).content.decode()

    assert "Чүй социалдык коргоо башкармалыгы" in page and "Ишеним" not in page


def test_inactive_entries_on_request_marked_so(client_for, owner, entries):
    page = client_for(owner).get(reverse("referrals:directory"), {"inactive": "on"}).content.decode()

    assert "Эски" in page and '<tr data-recipient="{}" class="inactive">'.format(entries["retired"].pk) in page


def test_an_unknown_filter_value_shows_an_error_not_a_500(client_for, owner, entries):
    response = client_for(owner).get(reverse("referrals:directory"), {"region": "x\x00", "kind": "nope"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"region", "kind"}


def test_the_menu_offers_the_directory_to_the_police_not_to_analysts(client_for, owner, analyst):
    url = reverse("referrals:directory")

    assert url in client_for(owner).get(reverse("notifications")).content.decode()
    assert url not in client_for(analyst).get(reverse("notifications")).content.decode()


# -- the admin ---------------------------------------------------------------------------------------------------------
@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_an_administrator_adds_an_entry_with_services_and_categories_as_check_boxes(admin_client, oblast):
    organisation = Organisation.objects.create(name="«Жаңы» борбору", kind="ngo")

    response = admin_client.post(
        reverse("admin:referrals_recipient_add"),
        {"kind": "ngo", "organisation": organisation.pk, "region": oblast.pk, "services": ["shelter", "legal"],
         "agreement_categories": ["health", "identity"], "phone": "+996 312 11 11 11", "active": "on",
         "agreement_reference": "№ 7"},
    )  # fmt: skip

    assert response.status_code == 302, response.context["adminform"].form.errors
    recipient = Recipient.objects.get(organisation=organisation)
    assert recipient.services == ["shelter", "legal"]
    assert recipient.agreement_categories == ["identity", "health"]  # in the directory's order


def test_the_admin_lists_and_opens_the_referral_apps_records(admin_client, entries, police_case, adult, owner):
    consent = services.consent_record(
        victim=adult, recipient=entries["ngo"], decisions={"identity": "given"}, given_by="victim",
        informed_how=Consent.Informed.ORALLY, actor=owner,
    )[0]  # fmt: skip
    referral = services.referral_create(case=police_case, recipient=entries["ngo"], actor=owner, victim=adult)
    for model in ("recipient", "consent", "referral", "hotlinecall", "rightssheet"):
        assert admin_client.get(reverse(f"admin:referrals_{model}_changelist")).status_code == 200, model

    consent_page = admin_client.get(reverse("admin:referrals_consent_change", args=[consent.pk]))
    assert consent_page.status_code == 200 and "Асанова" not in consent_page.content.decode()
    assert admin_client.get(reverse("admin:referrals_referral_history", args=[referral.pk])).status_code == 200
    assert PersonalDataAccess.objects.filter(record_type="referral", action="history").exists()
    assert PersonalDataAccess.objects.filter(record_type="consent", action="view").exists()


def test_case_data_is_read_only_in_the_admin(admin_client, entries, police_case, owner, adult):
    referral = services.referral_create(case=police_case, recipient=entries["ngo"], actor=owner, victim=adult)

    response = admin_client.post(reverse("admin:referrals_referral_change", args=[referral.pk]), {"status": "closed"})

    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == "draft"
    assert admin_client.get(reverse("admin:referrals_hotlinecall_add")).status_code == 403
