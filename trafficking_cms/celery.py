"""The Celery application; configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trafficking_cms.settings")

app = Celery("trafficking_cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_ready.connect
def relay_the_outbox_when_a_worker_starts(sender=None, **kwargs) -> None:
    """Queue one outbox relay run as soon as a worker is ready, instead of waiting for beat's next tick.

    After a broker lost its queue or no worker ran for a while, what is due is sent at once.
    """
    from accounts.tasks import outbox_relay  # the apps are loaded once a worker is ready

    outbox_relay.delay()
