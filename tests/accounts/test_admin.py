"""The user admin: staff who may change users grant no more than they hold and take over no stronger account."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USER_ADMIN_PERMS = ["view_user", "change_user", "add_user"]


def _perm(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


@pytest.fixture
def editor(ministry):
    """Personnel staff: may add and change users, and view units, nothing more."""
    editor = UserFactory(unit=ministry, is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=[*USER_ADMIN_PERMS, "view_unit"]))
    return editor


@pytest.fixture
def target(district):
    return UserFactory(unit=district, roles=[Role.INSPECTOR])


@pytest.fixture
def superuser(ministry):
    return UserFactory(unit=ministry, is_staff=True, is_superuser=True)


def change_data(user: User, **changes) -> dict:
    """What the user admin's change form posts back untouched, with `changes` applied."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "unit": user.unit_id or "",
        "position": user.position,
        "rank": user.rank,
        "organisation": user.organisation_id or "",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [p.pk for p in user.user_permissions.all()],
    }
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return data


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_the_editor_changes_an_ordinary_user(client_for, editor, target):
    # the counterpart of the refusals below: the form itself works for the editor
    response = client_for(editor).post(change_url(target), change_data(target, position="ИДН инспектору"))

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.position == "ИДН инспектору"


def test_the_editor_cannot_make_anyone_a_superuser(client_for, editor, target):
    client = client_for(editor)

    response = client.post(change_url(target), change_data(target, is_superuser="on"))

    assert response.status_code in (200, 302)
    target.refresh_from_db()
    assert not target.is_superuser
    assert client.post(change_url(editor), change_data(editor, is_superuser="on")).status_code in (200, 302)
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_the_editor_cannot_grant_a_permission_they_do_not_hold(client_for, editor, target):
    response = client_for(editor).post(
        change_url(target), change_data(target, user_permissions=[_perm("delete_user").pk])
    )

    assert response.status_code == 200
    assert "user_permissions" in response.context["adminform"].form.errors
    assert not target.user_permissions.exists()


def test_the_editor_cannot_grant_themselves_a_permission_they_do_not_hold(client_for, editor):
    held = [p.pk for p in editor.user_permissions.all()]
    client_for(editor).post(change_url(editor), change_data(editor, user_permissions=[*held, _perm("delete_user").pk]))
    assert not User.objects.get(pk=editor.pk).has_perm("accounts.delete_user")


def test_the_editor_may_grant_a_permission_they_hold(client_for, editor, target):
    response = client_for(editor).post(
        change_url(target), change_data(target, user_permissions=[_perm("view_unit").pk])
    )

    assert response.status_code == 302
    assert list(target.user_permissions.values_list("codename", flat=True)) == ["view_unit"]


def test_a_group_is_grantable_only_when_the_editor_holds_all_its_permissions(client_for, editor, target):
    auditors = Group.objects.create(name="auditors")
    auditors.permissions.add(_perm("view_unit"), _perm("delete_user"))
    viewers = Group.objects.create(name="unit viewers")
    viewers.permissions.add(_perm("view_unit"))
    client = client_for(editor)

    refused = client.post(change_url(target), change_data(target, groups=[auditors.pk]))
    assert refused.status_code == 200
    assert "groups" in refused.context["adminform"].form.errors
    assert not target.groups.filter(pk=auditors.pk).exists()

    inspector = Group.objects.get(name=Role.INSPECTOR)
    allowed = client.post(change_url(target), change_data(target, groups=[viewers.pk, inspector.pk]))
    assert allowed.status_code == 302
    assert set(target.groups.values_list("name", flat=True)) == {"unit viewers", Role.INSPECTOR}


def test_the_editor_cannot_change_their_own_roles_permissions_or_unit(client_for, editor, district):
    supervisor_role, _ = Group.objects.get_or_create(name=Role.SUPERVISOR)
    held = sorted(editor.user_permissions.values_list("pk", flat=True))

    response = client_for(editor).post(
        change_url(editor),
        change_data(editor, groups=[supervisor_role.pk], unit=district.pk, position="Бөлүм башчысы"),
    )

    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.position == "Бөлүм башчысы"  # their own name and position they may keep up to date
    assert not editor.groups.exists()
    assert editor.unit != district
    assert sorted(editor.user_permissions.values_list("pk", flat=True)) == held


def test_the_new_user_form_offers_only_grantable_groups(client_for, editor):
    viewers = Group.objects.create(name="unit viewers")
    viewers.permissions.add(_perm("view_unit"))
    deleters = Group.objects.create(name="user deleters")
    deleters.permissions.add(_perm("delete_user"))

    form = client_for(editor).get(reverse("admin:accounts_user_add")).context["adminform"].form

    offered = set(form.fields["groups"].queryset)
    assert viewers in offered and deleters not in offered


def test_the_editor_cannot_change_a_superuser(client_for, editor, superuser):
    client = client_for(editor)

    response = client.post(change_url(superuser), change_data(superuser, first_name="Бузулган"))
    password = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "x-new-password-1", "password2": "x-new-password-1"},
    )

    assert response.status_code == 403
    assert password.status_code == 403
    superuser.refresh_from_db()
    assert superuser.first_name != "Бузулган"
    assert superuser.check_password("correct-horse-battery-staple")


def test_the_editor_cannot_take_over_an_account_that_holds_more_than_they_do(client_for, editor, ministry):
    # given a staff member who may delete users, which the editor may not
    stronger = UserFactory(unit=ministry, is_staff=True)
    stronger.user_permissions.add(_perm("delete_user"))

    response = client_for(editor).post(
        reverse("admin:auth_user_password_change", args=[stronger.pk]),
        {"password1": "x-new-password-1", "password2": "x-new-password-1"},
    )

    assert response.status_code == 403
    stronger.refresh_from_db()
    assert stronger.check_password("correct-horse-battery-staple")


def test_a_superuser_may_grant_anything(client_for, superuser, target):
    response = client_for(superuser).post(
        change_url(target), change_data(target, is_superuser="on", user_permissions=[_perm("delete_user").pk])
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_superuser and target.has_perm("accounts.delete_user")
