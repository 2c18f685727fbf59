from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import reads, sheets, tokens, writes

app_name = "api"

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "v1/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("v1/", reads.ApiRoot.as_view(), name="root"),
    path("v1/units/", reads.UnitList.as_view(), name="units"),
    path("v1/commitments/", reads.CommitmentList.as_view(), name="commitments"),
    path("v1/indicators/", reads.IndicatorList.as_view(), name="indicators"),
    path("v1/targets/", reads.TargetList.as_view(), name="targets"),
    path("v1/targets/<int:pk>/", writes.TargetUpdate.as_view(), name="target_update"),
    path("v1/statuses/", reads.StatusList.as_view(), name="statuses"),
    path("v1/figures/", reads.FigureList.as_view(), name="figures"),
    path("v1/figures/batch/", writes.FigureBatch.as_view(), name="figure_batch"),
    path("v1/reports/", reads.ReportList.as_view(), name="reports"),
    path("v1/evidence/", reads.EvidenceList.as_view(), name="evidence"),
    path("v1/publications/", reads.PublicationList.as_view(), name="publications"),
    path("v1/survey-results/", reads.SurveyResultList.as_view(), name="survey_results"),
    path(
        "v1/reports/<str:code>/<int:year>/<int:quarter>/action/",
        writes.ReportAction.as_view(),
        name="report_action",
    ),
    path("v1/sheets/", sheets.SheetList.as_view(), name="sheets"),
    path(
        "v1/sheets/<str:department>/<int:year>/",
        sheets.SheetOfDepartment.as_view(),
        name="sheet",
    ),
    path("v1/tokens/", tokens.TokenCreate.as_view(), name="token_create"),
    path("v1/tokens/current/", tokens.TokenCurrent.as_view(), name="token_current"),
    # Last: any other address under /api/v1/ answers a 404 problem.
    re_path(r"^v1/", reads.NoSuchEndpoint.as_view()),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<str:key>/revoke/", tokens.token_revoke, name="token_revoke"),
]
