from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from commitments.views import health

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before django.contrib.auth.urls, so that the reset email has an HTML part beside
    # its text one (templates/registration/password_reset_email.txt and .html).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            html_email_template_name="registration/password_reset_email.html",
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),
    path("", include("commitments.urls")),
]
