from django.urls import path

from commitments.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
