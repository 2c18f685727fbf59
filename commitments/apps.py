from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Cam kết cải cách hành chính")

    def ready(self) -> None:
        # Connects the receiver that queues a claimed recompute (tasks queue all work).
        from commitments import tasks  # noqa: F401
