"""Load the demo: units in two oblasts, one user per role, about forty cases in four districts. Refused in production.

The cases are told as stories (trafficking_cms/demo/stories_*.py) through the same services the pages use, so the data
obeys the rules; times are then moved into the past (trafficking_cms/demo/builder.py). Idempotent: units and users are
created once, and a district's cases are loaded only while the district has none.
"""

import json
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiKey, Notification, Organisation, Unit, User
from accounts.roles import Role
from cases.models import Case
from trafficking_cms.demo import stories_chui, stories_osh
from trafficking_cms.demo.builder import DemoBuilder
from trafficking_cms.demo.staff import DEMO_NGO, UNITS, USERS

DEMO_PASSWORD = "kyrgyz-demo-2026"  # noqa: S105 - documented demo password, refused outside demo mode

# The cases of each district department, loaded while the district has no case.
STORIES = {
    "alamudun": stories_chui.alamudun,
    "sokuluk": stories_chui.sokuluk,
    "kara-suu": stories_osh.kara_suu,
    "uzgen": stories_osh.uzgen,
}


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refused unless DJANGO_DEBUG or DEMO_MODE is on."

    def handle(self, *args, **options) -> None:
        from trafficking_cms.settings import env_bool

        if not (settings.DEBUG or env_bool("DEMO_MODE") or env_bool("TESTING")):
            raise CommandError("seed_demo loads known passwords: run it only with DJANGO_DEBUG=1 or DEMO_MODE=1.")
        started, started_at = time.monotonic(), timezone.now()
        with transaction.atomic():
            self.ngo, _ = Organisation.objects.get_or_create(
                name=DEMO_NGO, defaults={"kind": Organisation.Kind.CRISIS_CENTRE}
            )
            api_key = self._api_key()
            units = self._units()
            users = self._users(units)
            loaded = self._cases(units, users)
        self._date_notifications(since=started_at)  # delivered when the transaction committed (eager Celery)
        self._write_credentials(users, api_key)
        created = Case.objects.filter(unit__code__in=loaded).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"demo data ready: {len(units)} units, {len(users)} users, {created} new cases "
                f"({', '.join(loaded) or 'no district without cases'}) in {time.monotonic() - started:.1f} s"
            )
        )
        self.stdout.write(f"demo users and password: {settings.BASE_DIR / 'var' / 'demo-credentials.json'}")

    def _units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for code, parent, kind, ky, ru, en in UNITS:
            fields = {"parent": units.get(parent), "kind": kind, "name": ky, "name_ru": ru, "name_en": en}
            unit, created = Unit.objects.get_or_create(code=code, defaults=fields)
            if not created and any(getattr(unit, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(unit, name, value)
                unit.save()
            units[code] = unit
        return units

    def _users(self, units: dict[str, Unit]) -> dict[str, User]:
        users: dict[str, User] = {}
        password = None  # hashed once: a slow hash per user would make the demo slow to load
        for username, role, unit_code, first, last, position, rank in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = password or make_password(DEMO_PASSWORD)
                user = User.objects.create(
                    username=username, password=password, first_name=first, last_name=last, unit=units[unit_code],
                    position=position, rank=rank, organisation=self.ngo if role == Role.NGO_STAFF else None,
                )  # fmt: skip
            if role == Role.NGO_STAFF and user.organisation_id is None:
                user.organisation = self.ngo
                user.save(update_fields=["organisation"])
            user.groups.add(Group.objects.get_or_create(name=str(role))[0])
            users[username] = user
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User.objects.create(
                username="admin", password=password or make_password(DEMO_PASSWORD), is_staff=True,
                is_superuser=True, unit=units["mvd"],
            )  # fmt: skip
        users["admin"] = admin
        for role in Role:
            Group.objects.get_or_create(name=str(role))
        return users

    def _cases(self, units: dict[str, Unit], users: dict[str, User]) -> list[str]:
        """Tell the stories of the districts that have no case yet; return their codes."""
        builder = DemoBuilder(users=users)
        loaded = []
        for code, story in STORIES.items():
            if Case.objects.filter(unit=units[code]).exists():
                continue
            story(builder)
            loaded.append(code)
        builder.finish()
        return loaded

    def _date_notifications(self, *, since) -> None:
        """Date the notifications just delivered like the change that caused them; the older ones were read."""
        read_before = timezone.now() - timedelta(days=2)
        delivered = Notification.objects.filter(created_at__gte=since, outbox_message__isnull=False)
        for notification in delivered.select_related("outbox_message"):
            notification.created_at = notification.outbox_message.created_at
            if notification.created_at < read_before:
                notification.read_at = notification.created_at + timedelta(hours=1)
            notification.save(update_fields=["created_at", "read_at"])

    def _api_key(self) -> str | None:
        """Create the NGO's API key once and print it: only its hash is stored."""
        if ApiKey.objects.filter(organisation=self.ngo, revoked=False).exists():
            return None
        _, key = ApiKey.objects.create_key(name="demo NGO key", organisation=self.ngo)
        self.stdout.write(f"API key of the demo NGO (shown once): {key}")
        return key

    def _write_credentials(self, users: dict[str, User], api_key: str | None) -> None:
        path = settings.BASE_DIR / "var" / "demo-credentials.json"
        path.parent.mkdir(exist_ok=True)
        entries = [
            {"role": role_name, "username": user.username, "password": DEMO_PASSWORD, "unit": user.unit.code}
            for user in users.values()
            for role_name in (sorted(user.role_names()) or ["superuser"])
        ]
        content = {"users": entries}
        if path.exists():
            previous = json.loads(path.read_text(encoding="utf-8"))
            if api_key is None and previous.get("ngo_api_key"):
                api_key = previous["ngo_api_key"]
        if api_key:
            content["ngo_api_key"] = api_key
        path.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
