"""Reads about users for the administration: what an administrator may grant, and whose account they may change."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet

from .models import User


def permissions_grantable_by(*, user: User) -> QuerySet[Permission]:
    """Return the permissions the user may give others: those they hold themselves (all, for a superuser)."""
    if user.is_superuser:
        return Permission.objects.all()
    held = Q(pk__in=[])
    for permission in user.get_all_permissions():
        app_label, _, codename = permission.partition(".")
        held |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(held)


def groups_grantable_by(*, user: User) -> QuerySet[Group]:
    """Return the groups the user may give others: those all of whose permissions the user holds."""
    if user.is_superuser:
        return Group.objects.all()
    not_grantable = Permission.objects.exclude(pk__in=permissions_grantable_by(user=user).values("pk"))
    return Group.objects.exclude(permissions__in=not_grantable)


def user_editable_by(*, editor: User, target: User) -> bool:
    """Whether the editor may change the target's account: never a superuser's, nor one holding what they do not.

    Changing an account includes setting its password, so a stronger account would be a way to take its powers.
    """
    if editor.is_superuser:
        return True
    if target.is_superuser:
        return False
    return target.get_all_permissions() <= editor.get_all_permissions()
