"""The rapport pages through their URLs: who reads them (and the access log), who edits, submits, returns, approves and
registers, and what the page says when a rapport is incomplete or due immediately."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import PersonalDataAccess
from reports import services
from reports.models import RAPPORT_ITEMS, Rapport, RapportItem

from .conftest import complete

pytestmark = pytest.mark.django_db

READERS = ["owner", "investigator", "supervisor", "oblast_head"]
STRANGERS = ["colleague", "outsider", "other_head", "analyst", "ngo_user", "desk_operator"]


def _url(name: str, case) -> str:
    return reverse(f"reports:{name}", args=[case.pk])


def _form_data(rapport: Rapport, **changes) -> dict:
    data = {"language": rapport.language, "addressee": rapport.addressee_id or "", "version": rapport.version}
    for code in RAPPORT_ITEMS:
        data[code] = getattr(rapport, code)
        if getattr(rapport, f"{code}_unknown"):
            data[f"{code}_unknown"] = "on"
    data.update(changes)
    return data


# -- reading ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", READERS)
def test_the_people_of_the_case_read_its_rapport_and_the_read_is_logged(who, draft, client_for, request):
    user = request.getfixturevalue(who)

    response = client_for(user).get(_url("rapport", draft.case))

    assert response.status_code == 200
    assert "Дордой базары" in response.content.decode()
    row = PersonalDataAccess.objects.get(user=user, record_type="rapport")
    assert (row.record_id, row.action, row.case_id) == (str(draft.pk), "view", draft.case_id)


@pytest.mark.parametrize("who", STRANGERS)
def test_everyone_else_gets_404_and_only_the_refusal_is_logged(who, draft, client_for, request):
    user = request.getfixturevalue(who)

    assert client_for(user).get(_url("rapport", draft.case)).status_code == 404
    [row] = PersonalDataAccess.objects.filter(user=user)
    assert (row.action, row.record_type, row.record_id, row.case_id) == (
        "denied",
        "case",
        str(draft.case.pk),
        draft.case_id,
    )


def test_an_anonymous_visitor_is_sent_to_log_in(draft, client):
    response = client.get(_url("rapport", draft.case))

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_missing_case_is_404(owner, client_for):
    assert client_for(owner).get("/reports/cases/00000000-0000-0000-0000-000000000000/rapport/").status_code == 404


def test_before_a_rapport_exists_the_officer_is_offered_to_start_it(screened_case, owner, client_for):
    response = client_for(owner).get(_url("rapport", screened_case))

    assert response.status_code == 200 and response.context["start_form"] is not None
    assert response.context["rapport"] is None


# -- starting ---------------------------------------------------------------------------------------------------------
def test_the_officer_starts_the_rapport_in_russian(screened_case, owner, client_for):
    response = client_for(owner).post(_url("rapport_start", screened_case), {"language": "ru"})

    assert response.status_code == 302 and response["Location"] == _url("rapport", screened_case)
    assert Rapport.objects.get(case=screened_case).language == "ru"


@pytest.mark.parametrize("who", ["colleague", "outsider", "analyst", "ngo_user", "desk_operator", "other_head"])
def test_strangers_cannot_start_a_rapport(who, screened_case, client_for, request):
    response = client_for(request.getfixturevalue(who)).post(_url("rapport_start", screened_case), {"language": "ky"})

    assert response.status_code == 404 and not Rapport.objects.exists()


def test_an_unknown_language_is_refused_with_a_field_error(screened_case, owner, client_for):
    response = client_for(owner).post(_url("rapport_start", screened_case), {"language": "xx"})

    assert response.status_code == 200 and "language" in response.context["form"].errors
    assert not Rapport.objects.exists()


# -- editing and submitting -------------------------------------------------------------------------------------------
def test_the_officer_saves_the_draft(draft, owner, client_for):
    response = client_for(owner).post(_url("rapport_save", draft.case), _form_data(draft, traces="Көгала жок."))

    assert response.status_code == 302
    assert Rapport.objects.get().traces == "Көгала жок."


def test_a_case_worker_of_the_unit_may_edit_too(draft, investigator, client_for):
    response = client_for(investigator).post(_url("rapport_save", draft.case), _form_data(draft, traces="Жок."))

    assert response.status_code == 302 and Rapport.objects.get().traces == "Жок."


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_save_the_draft(who, draft, client_for, request):
    response = client_for(request.getfixturevalue(who)).post(_url("rapport_save", draft.case), _form_data(draft))

    assert response.status_code == 404 and Rapport.objects.get().version == draft.version


def test_submitting_an_incomplete_rapport_says_which_items_are_missing(draft, owner, client_for):
    response = client_for(owner).post(_url("rapport_save", draft.case), _form_data(draft, submit="1"))

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"traces", "consequences"}
    page = html.unescape(response.content.decode())
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    with translation.override("ky"):
        assert str(RapportItem.TRACES.label) in summary and str(RapportItem.CONSEQUENCES.label) in summary
        assert str(RapportItem.SITES.label) not in summary
    assert Rapport.objects.get().status == Rapport.Status.DRAFT


def test_the_missing_items_are_named_in_russian_for_a_russian_reader(draft, owner, client_for):
    client = client_for(owner)
    client.cookies["cms_language"] = "ru"

    response = client.post(_url("rapport_save", draft.case), _form_data(draft, submit="1"))

    assert response.status_code == 200 and '<html lang="ru">' in response.content.decode()
    with translation.override("ru"):
        assert str(RapportItem.TRACES.label) in html.unescape(response.content.decode())


def test_text_and_not_known_together_are_refused(draft, owner, client_for):
    response = client_for(owner).post(
        _url("rapport_save", draft.case), _form_data(draft, traces="Бар.", traces_unknown="on")
    )

    assert response.status_code == 200 and "traces" in response.context["form"].errors


def test_a_complete_rapport_is_submitted_from_the_page(draft, owner, client_for, supervisor):
    data = _form_data(draft, traces="Көгала жок.", consequences_unknown="on", submit="1")

    response = client_for(owner).post(_url("rapport_save", draft.case), data)

    assert response.status_code == 302
    assert Rapport.objects.get().status == Rapport.Status.SUBMITTED


def test_a_stale_form_answers_409_and_keeps_the_other_save(draft, owner, investigator, client_for):
    services.rapport_update(rapport=draft, actor=investigator, data={"traces": "Биринчи."}, version=draft.version)

    response = client_for(owner).post(_url("rapport_save", draft.case), _form_data(draft, traces="Экинчи."))

    assert response.status_code == 409 and Rapport.objects.get().traces == "Биринчи."


def test_a_submitted_rapport_is_not_edited_from_the_page(submitted, owner, client_for):
    response = client_for(owner).post(_url("rapport_save", submitted.case), _form_data(submitted, traces="X"))

    assert response.status_code == 302 and Rapport.objects.get().traces != "X"


# -- the head ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("head", ["supervisor", "oblast_head"])
def test_a_head_of_the_unit_approves(head, submitted, client_for, request):
    response = client_for(request.getfixturevalue(head)).post(_url("rapport_approve", submitted.case))

    assert response.status_code == 302 and Rapport.objects.get().status == Rapport.Status.APPROVED


@pytest.mark.parametrize("who", ["owner", "investigator", *STRANGERS])
def test_nobody_else_approves(who, submitted, client_for, request):
    response = client_for(request.getfixturevalue(who)).post(_url("rapport_approve", submitted.case))

    assert response.status_code == 404 and Rapport.objects.get().status == Rapport.Status.SUBMITTED


def test_approving_twice_says_it_is_approved_already(approved, supervisor, client_for):
    response = client_for(supervisor).post(_url("rapport_approve", approved.case), follow=True)

    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_the_head_returns_it_with_a_reason(submitted, supervisor, client_for, owner):
    response = client_for(supervisor).post(_url("rapport_return", submitted.case), {"reason": "Толуктаңыз."})

    assert response.status_code == 302
    rapport = Rapport.objects.get()
    assert rapport.status == Rapport.Status.DRAFT and rapport.returned_reason == "Толуктаңыз."
    page = client_for(owner).get(_url("rapport", submitted.case)).content.decode()
    assert "Толуктаңыз." in page


def test_returning_without_a_reason_is_refused_with_a_field_error(submitted, supervisor, client_for):
    response = client_for(supervisor).post(_url("rapport_return", submitted.case), {"reason": ""})

    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert Rapport.objects.get().status == Rapport.Status.SUBMITTED


@pytest.mark.parametrize("who", ["owner", *STRANGERS])
def test_nobody_but_a_head_returns_it(who, submitted, client_for, request):
    response = client_for(request.getfixturevalue(who)).post(_url("rapport_return", submitted.case), {"reason": "X"})

    assert response.status_code == 404 and Rapport.objects.get().status == Rapport.Status.SUBMITTED


def test_the_head_registers_it_with_the_kbr_number_and_date(approved, supervisor, client_for):
    today = timezone.localdate().isoformat()

    response = client_for(supervisor).post(
        _url("rapport_register", approved.case), {"kbr_number": "01-2026-77", "kbr_registered_at": today}
    )

    assert response.status_code == 302
    rapport = Rapport.objects.get()
    assert rapport.status == Rapport.Status.REGISTERED and rapport.kbr_number == "01-2026-77"
    assert rapport.case.kbr_number == "01-2026-77"


@pytest.mark.parametrize("who", ["owner", *STRANGERS])
def test_nobody_but_a_head_registers_it(who, approved, client_for, request):
    data = {"kbr_number": "1", "kbr_registered_at": timezone.localdate().isoformat()}

    response = client_for(request.getfixturevalue(who)).post(_url("rapport_register", approved.case), data)

    assert response.status_code == 404 and Rapport.objects.get().status == Rapport.Status.APPROVED


def test_a_registration_date_in_the_future_is_refused(approved, supervisor, client_for):
    response = client_for(supervisor).post(
        _url("rapport_register", approved.case), {"kbr_number": "1", "kbr_registered_at": "9999-12-31"}
    )

    assert response.status_code == 200 and "kbr_registered_at" in response.context["form"].errors


def test_the_head_sees_the_decision_buttons_and_the_officer_does_not(submitted, supervisor, owner, client_for):
    assert client_for(supervisor).get(_url("rapport", submitted.case)).context["can_approve"] is True
    assert client_for(owner).get(_url("rapport", submitted.case)).context["can_approve"] is False


# -- due immediately --------------------------------------------------------------------------------------------------
def test_a_case_of_violence_against_a_woman_shows_its_rapport_due_immediately(violence_case, owner, client_for):
    client = client_for(owner)

    rapport_page = client.get(_url("rapport", violence_case)).content.decode()
    case_page = client.get(reverse("cases:detail", args=[violence_case.pk])).content.decode()

    assert 'id="due-immediately"' in rapport_page
    assert reverse("reports:rapport", args=[violence_case.pk]) in case_page
    assert "badge-alert" in case_page.split('id="rapport"')[1].split("</section>")[0]


def test_an_ordinary_case_is_not_due_immediately(draft, owner, client_for):
    assert client_for(owner).get(_url("rapport", draft.case)).context["due_immediately"] is False


def test_the_case_page_links_the_rapport_with_its_status(submitted, owner, client_for):
    page = client_for(owner).get(reverse("cases:detail", args=[submitted.case_id])).content.decode()

    panel = page.split('id="rapport"')[1].split("</section>")[0]
    assert "status-submitted" in panel and reverse("reports:rapport", args=[submitted.case_id]) in panel


def test_the_case_page_shows_no_rapport_panel_to_an_analyst(draft, analyst, client_for):
    from guardian.shortcuts import assign_perm

    assign_perm("cases.view_case", analyst, draft.case)

    page = client_for(analyst).get(reverse("cases:detail", args=[draft.case_id])).content.decode()

    assert 'id="rapport"' not in page


@pytest.mark.parametrize("who", ["analyst", "ngo_user"])
@pytest.mark.parametrize(
    ("name", "method"),
    [("rapport", "get"), ("rapport_start", "post"), ("rapport_save", "post"), ("rapport_approve", "post")],
)
def test_an_analyst_or_ngo_worker_granted_the_case_still_gets_404_and_only_the_refusal_is_logged(
    who, name, method, submitted, client_for, request
):
    from guardian.shortcuts import assign_perm

    # given an analyst or NGO worker granted the case, even with change rights
    user = request.getfixturevalue(who)
    assign_perm("cases.view_case", user, submitted.case)
    assign_perm("cases.change_case", user, submitted.case)
    client = client_for(user)

    # when they open the rapport or post to it
    response = getattr(client, method)(_url(name, submitted.case), _form_data(submitted) if method == "post" else {})

    # then the rapport is closed to them: 404, no read logged (the refusal is), nothing changed
    assert response.status_code == 404
    assert list(PersonalDataAccess.objects.filter(user=user).values_list("action", flat=True)) == ["denied"]
    assert Rapport.objects.get().status == Rapport.Status.SUBMITTED


# -- history ----------------------------------------------------------------------------------------------------------
def test_every_change_through_the_pages_is_in_the_rapport_history(draft, owner, supervisor, client_for):
    client_for(owner).post(
        _url("rapport_save", draft.case), _form_data(draft, traces="Жок.", consequences_unknown="on")
    )
    client_for(owner).post(_url("rapport_save", draft.case), _form_data(Rapport.objects.get(), submit="1"))
    client_for(supervisor).post(_url("rapport_approve", draft.case))

    reasons = list(
        Rapport.objects.get().history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["started", "edited", "submitted", "approved"]
    assert Rapport.objects.get().history.first().history_user == supervisor


def test_complete_helper_fills_the_empty_items(draft, owner):
    assert complete(draft, owner).item_missing() == []


# -- hostile input ----------------------------------------------------------------------------------------------------
HOSTILE_TEXT = {"NUL": "Көгала\x00", "RLO": "Көгала\u202eжок", "huge": "ж" * 10_001}


@pytest.mark.parametrize("field", ["circumstances", "traces", "consequences"])
@pytest.mark.parametrize("label", sorted(HOSTILE_TEXT))
def test_hostile_text_in_an_item_is_refused_with_a_field_error(field, label, draft, owner, client_for):
    response = client_for(owner).post(
        _url("rapport_save", draft.case), _form_data(draft, **{field: HOSTILE_TEXT[label]})
    )

    assert response.status_code == 200 and field in response.context["form"].errors
    assert Rapport.objects.get().version == draft.version


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("addressee", "\x00"),
        ("addressee", "9" * 40),
        ("version", "9" * 40),
        ("version", "\u202e1"),
        ("language", "k\x00"),
    ],
)
def test_hostile_choices_and_numbers_are_refused(field, value, draft, owner, client_for):
    response = client_for(owner).post(_url("rapport_save", draft.case), _form_data(draft, **{field: value}))

    assert response.status_code in (200, 409) and response.context["form"].errors


def test_a_head_of_another_district_cannot_be_the_addressee(draft, owner, other_head, client_for):
    response = client_for(owner).post(_url("rapport_save", draft.case), _form_data(draft, addressee=other_head.pk))

    assert response.status_code == 200 and "addressee" in response.context["form"].errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kbr_number", "01\x00"),
        ("kbr_number", "01\u202e77"),
        ("kbr_number", "9" * 61),
        ("kbr_registered_at", "0001-01-01"),
        ("kbr_registered_at", "9999-12-31"),
        ("kbr_registered_at", "2026\x00-01-01"),
    ],
)
def test_hostile_registration_values_are_refused_with_a_field_error(field, value, approved, supervisor, client_for):
    data = {"kbr_number": "01-2026-77", "kbr_registered_at": timezone.localdate().isoformat(), field: value}

    response = client_for(supervisor).post(_url("rapport_register", approved.case), data)

    assert response.status_code == 200 and field in response.context["form"].errors
    assert Rapport.objects.get().status == Rapport.Status.APPROVED


@pytest.mark.parametrize("reason", ["Себеп\x00", "Себеп\u202e", "ж" * 501])
def test_a_hostile_reason_for_returning_is_refused(reason, submitted, supervisor, client_for):
    response = client_for(supervisor).post(_url("rapport_return", submitted.case), {"reason": reason})

    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert Rapport.objects.get().status == Rapport.Status.SUBMITTED


def test_a_refused_decision_shows_the_rapport_and_logs_the_read(submitted, supervisor, client_for):
    client_for(supervisor).post(_url("rapport_return", submitted.case), {"reason": ""})

    assert PersonalDataAccess.objects.filter(user=supervisor, record_type="rapport").count() == 1
