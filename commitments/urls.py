from django.urls import path

from commitments import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
