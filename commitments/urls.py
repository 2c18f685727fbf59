from django.urls import path

from commitments.views import (
    city,
    completeness,
    dashboard,
    documents,
    indicators,
    reporting,
    results,
    review,
    sheets,
    targets,
    units,
)

app_name = "commitments"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("indicators/<str:code>/", indicators.indicator_detail, name="indicator"),
    path("matrix/", units.matrix, name="matrix"),
    path("city/", city.city_overview, name="city"),
    path("units/<str:code>/", units.unit_detail, name="unit"),
    path("recompute/", dashboard.recompute_now, name="recompute_now"),
    path("reports/xlsx/", documents.report_xlsx, name="report_xlsx"),
    path("reports/csv/", documents.report_csv, name="report_csv"),
    path("reports/print/", documents.report_print, name="report_print"),
    path("targets/", targets.targets, name="targets"),
    path("targets/copy/", targets.targets_copy, name="targets_copy"),
    path("targets/<int:pk>/", targets.target_edit, name="target_edit"),
]

urlpatterns += [
    path("report/", reporting.my_reports, name="my_reports"),
    path(
        "report/<str:code>/<int:year>/<int:quarter>/",
        reporting.quarterly_report,
        name="quarterly_report",
    ),
    path(
        "report/<str:code>/<int:year>/<int:quarter>/evidence/",
        reporting.report_evidence_add,
        name="report_evidence_add",
    ),
    path(
        "report/<str:code>/<int:year>/<int:quarter>/evidence/<int:pk>/delete/",
        reporting.report_evidence_delete,
        name="report_evidence_delete",
    ),
    path(
        "report/<str:code>/<int:year>/<int:quarter>/plan/",
        reporting.report_plan,
        name="report_plan",
    ),
    path("evidence/<int:pk>/file/", reporting.evidence_file, name="evidence_file"),
]

urlpatterns += [
    path("completeness/", completeness.completeness, name="completeness"),
    path("review/", review.review, name="review"),
]

urlpatterns += [
    path("results/", results.results, name="results"),
    path("results/publish/", results.results_publish, name="results_publish"),
]

urlpatterns += [
    path("sheets/", sheets.sheet_list, name="sheets"),
    path("sheets/load/", sheets.sheet_load, name="sheet_load"),
    path("sheets/<int:pk>/", sheets.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/document/", sheets.sheet_document, name="sheet_document"),
    path("sheets/<int:pk>/sheet.csv", sheets.sheet_download, name="sheet_download"),
    path("sheets/<int:pk>/confirm/", sheets.sheet_confirm, name="sheet_confirm"),
    path("sheets/<int:pk>/copy/", sheets.sheet_copy, name="sheet_copy"),
    path("sheets/<int:pk>/sign/", sheets.sheet_sign, name="sheet_sign"),
]
