"""Queue an outbox relay run through the broker every few seconds, as beat does every 30 s in production.

Run by tests/accounts/test_outbox_faults.py beside a worker process (a faster beat, so a test need not wait 30 s):
    python -m tests.accounts.relay_loop <interval seconds>
The relay task runs in the worker, which claims the due rows and queues their deliveries. While the broker is down a
run cannot be queued: the loop logs it and tries again at the next tick, as beat does.
"""

import logging
import os
import sys
import time


def main(interval: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trafficking_cms.settings")
    import django

    django.setup()
    from accounts.tasks import outbox_relay

    logging.basicConfig(level=logging.INFO, format="%(asctime)s relay-loop %(message)s")
    while True:
        try:
            outbox_relay.delay()
        except Exception as exc:  # the broker is down: beat's next tick tries again
            logging.warning("relay run not queued: %s", type(exc).__name__)
        time.sleep(interval)


if __name__ == "__main__":
    main(float(sys.argv[1]))
