from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Khảo sát sự hài lòng")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the tally kick to the signal a stored answer sends.
        from surveys import tasks  # noqa: F401
