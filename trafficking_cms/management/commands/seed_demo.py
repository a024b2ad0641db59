"""Load the demo: units in two oblasts, one user per role, about forty cases in four districts. Refused in production.

The cases are told as stories (trafficking_cms/demo/stories_*.py) through the same services the pages use, so the data
obeys the rules; times are then moved into the past (trafficking_cms/demo/builder.py). Idempotent: units and users are
created once, and a district's cases are loaded only while the district has none.
"""

import json
import os
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiKey, Notification, Organisation, Unit, User
from accounts.roles import Role
from cases.models import Case
from referrals import services as referral_services
from referrals.models import SUBSCRIBABLE_EVENTS, Recipient, WebhookEndpoint
from referrals.webhooks import webhook_endpoint_create
from trafficking_cms.demo import stories_chui, stories_osh
from trafficking_cms.demo.builder import DemoBuilder
from trafficking_cms.demo.directory import ORGANISATIONS
from trafficking_cms.demo.staff import DEMO_NGOS, IN_RUSSIAN, NGO_OF_USER, UNITS, USERS

# Where the integrator's guide's example receiver listens (docs/examples/webhook_receiver.py --port 9000).
DEMO_WEBHOOK_URL = "http://127.0.0.1:9000/"
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
            units = self._units()
            self.organisations = self._directory(units)
            api_keys = {code: self._api_key(self.organisations[code]) for code in DEMO_NGOS}
            users = self._users(units)
            loaded = self._cases(units, users)
            # Registered after the stories, so that their events are not sent to a receiver nobody started.
            webhook = self._webhook_endpoint(self.organisations[DEMO_NGOS[0]])
        self._date_notifications(since=started_at)  # delivered when the transaction committed (eager Celery)
        self._write_credentials(users, api_keys, webhook)
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
                    position=position, rank=rank, organisation=self._organisation_of(username, role),
                    position_ru=IN_RUSSIAN.get(position, ""), rank_ru=IN_RUSSIAN.get(rank, ""),
                )  # fmt: skip
            elif not user.position_ru and position in IN_RUSSIAN:  # a demo loaded before the Russian was kept
                user.position_ru, user.rank_ru = IN_RUSSIAN[position], IN_RUSSIAN.get(rank, "")
                user.save(update_fields=["position_ru", "rank_ru"])
            if role == Role.NGO_STAFF and user.organisation_id is None:
                user.organisation = self._organisation_of(username, role)
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

    def _organisation_of(self, username: str, role: str) -> Organisation | None:
        return self.organisations[NGO_OF_USER[username]] if role == Role.NGO_STAFF else None

    def _directory(self, units: dict[str, Unit]) -> dict[str, Organisation]:
        """The organisations that take referrals, with their directory entries; the police units that take them."""
        organisations = {}
        for (
            code,
            kind,
            region,
            ky,
            ru,
            en,
            offered,
            categories,
            agreement,
            phone,
            email,
            address,
            hours,
            active,
        ) in ORGANISATIONS:
            organisation = (
                Organisation.objects.filter(code=code).first() or Organisation.objects.filter(name=ky).first()
            )
            if organisation is None:
                organisation = Organisation.objects.create(code=code, name=ky, kind=kind, active=active)
            elif organisation.code != code:
                organisation.code = code
                organisation.save(update_fields=["code"])
            Recipient.objects.get_or_create(
                organisation=organisation,
                defaults={
                    "kind": kind, "region": units[region] if region else None, "name_ru": ru, "name_en": en,
                    "services": [str(s) for s in offered], "agreement_categories": [str(c) for c in categories],
                    "agreement_reference": agreement, "phone": phone, "email": email, "address": address,
                    "hours": hours, "active": active,
                },
            )  # fmt: skip
            organisations[code] = organisation
        referral_services.internal_recipients_ensure(intl_unit=units["mvd"], hotline_unit=units["alamudun"])
        return organisations

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

    def _api_key(self, organisation: Organisation) -> str | None:
        """Create an NGO's API key once and print it: only its hash is stored."""
        if ApiKey.objects.filter(organisation=organisation, revoked=False).exists():
            return None
        _, key = ApiKey.objects.create_key(name=f"{organisation.code} key", organisation=organisation)
        self.stdout.write(f"API key of {organisation.code} (shown once): {key}")
        return key

    def _webhook_endpoint(self, organisation: Organisation) -> dict | None:
        """Register the first NGO's endpoint at the integrator's guide's example receiver, once; return it with its
        secret when it was made now (the secret is shown once: the credentials file keeps it)."""
        if WebhookEndpoint.objects.filter(organisation=organisation).exists():
            return None
        endpoint, secret = webhook_endpoint_create(
            organisation=organisation, url=DEMO_WEBHOOK_URL, event_types=list(SUBSCRIBABLE_EVENTS),
            description="docs/examples/webhook_receiver.py --port 9000",
        )  # fmt: skip
        return {"endpoint_id": str(endpoint.pk), "url": endpoint.url, "secret": secret}

    def _write_credentials(
        self, users: dict[str, User], api_keys: dict[str, str | None], webhook: dict | None = None
    ) -> None:
        path = settings.BASE_DIR / "var" / "demo-credentials.json"
        path.parent.mkdir(mode=0o700, exist_ok=True)
        entries = [
            {"role": role_name, "username": user.username, "password": DEMO_PASSWORD, "unit": user.unit.code}
            for user in users.values()
            for role_name in (sorted(user.role_names()) or ["superuser"])
        ]
        content: dict = {"users": entries, "api_keys": {}}
        previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        for code, key in api_keys.items():
            key = key or previous.get("api_keys", {}).get(code)
            if code == DEMO_NGOS[0]:
                key = key or previous.get("ngo_api_key")
            if key:
                content["api_keys"][code] = key
        if DEMO_NGOS[0] in content["api_keys"]:
            content["ngo_api_key"] = content["api_keys"][DEMO_NGOS[0]]  # the name the first API clients read
        webhook = webhook or previous.get("webhooks", {}).get(DEMO_NGOS[0])
        if webhook:
            content["webhooks"] = {DEMO_NGOS[0]: webhook}
        _write_private(path, json.dumps(content, ensure_ascii=False, indent=2))


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable by this user only (0600): a new file is created with that mode and then
    replaces the old one, so the passwords are never readable by others, not even for a moment."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o600)  # whatever the umask
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
