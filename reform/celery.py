"""The Celery application: configured from Django settings (``CELERY_*``). Each worker
beats into the cache while it runs (``reform.heartbeat``), which ``/healthz`` reads."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")

app = Celery("reform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_hearts = {}


@signals.worker_ready.connect
def _start_heartbeat(sender=None, **kwargs) -> None:
    from reform.heartbeat import Heart

    heart = _hearts[sender.hostname] = Heart(sender.hostname)
    heart.start()


@signals.worker_shutdown.connect
def _stop_heartbeat(sender=None, **kwargs) -> None:
    for heart in _hearts.values():
        heart.stop()
    _hearts.clear()
