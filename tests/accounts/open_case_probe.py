"""Open a case through the new-case form in a fresh process, with the broker its environment names (REDIS_URL).

Run by tests/accounts/test_outbox_broker.py, whose settings cannot be pointed at another broker once loaded:
    python -m tests.accounts.open_case_probe <officer id> <colleague id> <watchdog seconds>
The case is assigned to the colleague, so its commit queues two deliveries (in-app and e-mail). Prints one JSON line
{"status": <HTTP status>, "location": ...}; exits with WATCHDOG_EXIT if the request has not returned when the watchdog
fires (a hang guard, not a speed measurement).
"""

import json
import os
import sys
import threading
from datetime import timedelta

WATCHDOG_EXIT = 3


def main(officer_id: str, colleague_id: str, watchdog_seconds: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trafficking_cms.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User

    setup_test_environment()  # the test client's host name, in-memory e-mail
    client = Client()
    client.force_login(User.objects.get(pk=officer_id))
    received = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    form = {"source": "citizen", "received_at": received, "incident_place": "Бишкек", "assigned_officer": colleague_id}

    watchdog = threading.Timer(watchdog_seconds, os._exit, args=(WATCHDOG_EXIT,))
    watchdog.daemon = True
    watchdog.start()
    response = client.post(reverse("cases:create"), form)
    watchdog.cancel()
    print(json.dumps({"status": response.status_code, "location": response.get("Location", "")}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
