from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Cam kết cải cách hành chính")

    def ready(self) -> None:
        from commitments import signals  # noqa: F401  (connects the receivers)
