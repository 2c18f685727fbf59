"""Third-party apps as the admin shows them: their section named in the reader's
language (the app's label, and so its tables and migrations, stay as they are)."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes: the failed log-ins it counts and the locks it sets."""

    verbose_name = _("Đăng nhập sai và tạm khóa")
