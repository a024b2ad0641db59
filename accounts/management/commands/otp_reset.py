"""Reset a user's two-factor authenticator: their devices are deleted and their sessions ended; they enrol a new
authenticator at their next sign-in (a lost or replaced phone)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.otp import otp_reset


class Command(BaseCommand):
    help = "Delete a user's two-factor (TOTP) devices and end their sessions; they enrol again at the next sign-in."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user with the username {username!r}.")
        deleted = otp_reset(user=user)
        self.stdout.write(f"{deleted} device(s) deleted; the user's sessions are ended and they enrol again.")
