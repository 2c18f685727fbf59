from django.contrib import admin
from django.urls import include, path

from reform import accounts, health

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before django.contrib.auth.urls: the reset email has an HTML part beside its text
    # one, and the form is throttled (reform/accounts.py).
    path(
        "accounts/password_reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),
    path("api/", include("api.urls")),
    path("", include("surveys.urls")),
    path("", include("dossiers.urls")),
    path("", include("commitments.urls")),
]
