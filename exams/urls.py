from django.urls import path

from . import team_views, views

urlpatterns = [
    path("exams/", views.exam_list, name="exam_list"),
    path("exams/<slug:slug>/start/", views.exam_start, name="exam_start"),
    path("exams/team/<int:pk>/start/", views.team_exam_start, name="team_exam_start"),
    path("exams/attempt/<int:pk>/", views.attempt_page, name="exam_attempt"),
    path("exams/attempt/<int:pk>/save/<int:position>/", views.attempt_save, name="exam_save"),
    path("exams/attempt/<int:pk>/review/", views.attempt_review, name="exam_review"),
    path("exams/attempt/<int:pk>/submit/", views.attempt_submit, name="exam_submit"),
    path("exams/attempt/<int:pk>/results/", views.attempt_results, name="exam_results"),
    path(
        "exams/attempt/<int:pk>/items/<int:position>/review/",
        views.item_add_to_review,
        name="exam_item_review",
    ),
    path("teams/", team_views.team_list, name="team_list"),
    path("teams/new/", team_views.team_create, name="team_create"),
    path("teams/join/", team_views.team_join, name="team_join"),
    path("teams/join/<str:code>/", team_views.team_join, name="team_join_code"),
    path("teams/<int:pk>/", team_views.team_page, name="team"),
    path("teams/<int:pk>/exams/new/", team_views.team_exam_create, name="team_exam_create"),
    path("teams/<int:pk>/exams/<int:exam_pk>/board/", team_views.team_board, name="team_board"),
    path(
        "teams/<int:pk>/exams/<int:exam_pk>/results/", team_views.team_results, name="team_results"
    ),
    path(
        "teams/<int:pk>/exams/<int:exam_pk>/results.csv",
        team_views.team_results_csv,
        name="team_results_csv",
    ),
    path("instructor/items/", team_views.item_analysis, name="item_analysis"),
    path(
        "instructor/items/refresh/", team_views.item_analysis_refresh, name="item_analysis_refresh"
    ),
    path("instructor/exams/", team_views.blueprint_list, name="blueprint_list"),
    path("instructor/exams/new/", team_views.blueprint_edit, name="blueprint_new"),
    path("instructor/exams/<int:pk>/", team_views.blueprint_edit, name="blueprint_edit"),
]
