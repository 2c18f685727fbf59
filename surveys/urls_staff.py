"""Signed in: directors' results, moderation and publishing; staff's paper entry."""

from django.urls import path

from surveys.views import paper, staff

DESK_QUARTER = "<str:code>/<int:year>/Q<int:quarter>/"

urlpatterns: list = [
    path("", staff.overview, name="overview"),
    path("<int:year>/responses.xlsx", staff.responses_xlsx, name="responses_xlsx"),
    path("<str:code>/paper/", paper.paper_entry, name="paper_entry"),
    path(DESK_QUARTER, staff.desk_quarter, name="desk_quarter"),
    path(f"{DESK_QUARTER}publish/", staff.desk_publish, name="desk_publish"),
    path(
        f"{DESK_QUARTER}responses/<int:pk>/void/",
        staff.response_void,
        name="response_void",
    ),
    path(
        f"{DESK_QUARTER}responses/<int:pk>/comment/",
        staff.comment_moderate,
        name="comment_moderate",
    ),
]
