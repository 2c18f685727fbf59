"""The survey's URLs: the public pages under /s/ (CONTRACT.md: /s/<unit code>/) and the
signed-in pages of directors and staff under /surveys/."""

from django.urls import include, path

app_name = "surveys"

urlpatterns = [
    path("s/", include("surveys.urls_public")),
    path("surveys/", include("surveys.urls_staff")),
]
