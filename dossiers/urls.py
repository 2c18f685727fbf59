from django.urls import path

from dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("dossiers/import/", views.upload, name="upload"),
    path("dossiers/import/example.csv", views.example, name="example"),
    path("dossiers/late/<str:code>/<int:year>/<int:quarter>/", views.late, name="late"),
    path("dossiers/reconciliation/", views.reconciliation, name="reconciliation"),
]
