"""The access matrix's world, built once per module inside a transaction rolled back at the end."""

import pytest
from django.db import transaction
from django.test import Client, TestCase, override_settings

from .world import World, build_world, check_world

ROLES_WITH_SESSIONS = [
    "owner", "head", "duty", "operator", "ngo", "superuser",
    "colleague", "foreign_inspector", "foreign_head", "analyst", "foreign_ngo", "staff",
]  # fmt: skip


def _signed_in_clients(world: World) -> dict:
    """One client per role, signed in once (their sessions live as long as the world)."""
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role in ROLES_WITH_SESSIONS:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(world.users[role])
    return clients


@pytest.fixture(autouse=True)
def _media_root(settings, world_media):
    """The world's files (attachments, PDFs) stay where the world was built, for every test of the module."""
    settings.MEDIA_ROOT = world_media


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("world-media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media) -> World:
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=world_media):
        from trafficking_cms.celery import app

        eager = (app.conf.task_always_eager, app.conf.task_eager_propagates)
        app.conf.task_always_eager, app.conf.task_eager_propagates = True, True  # also with REDIS_URL set
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # The PDFs and notifications are made by tasks queued after the commit: run them as the world is built.
            with TestCase.captureOnCommitCallbacks(execute=True):
                built = build_world()
            check_world(built)
            built.clients = _signed_in_clients(built)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            app.conf.task_always_eager, app.conf.task_eager_propagates = eager
