from django.urls import path

from .views import analysis, blueprints, sitting, teams

urlpatterns = [
    path("exams/", sitting.exam_list, name="exam_list"),
    path("exams/<slug:slug>/start/", sitting.exam_start, name="exam_start"),
    path("exams/team/<int:pk>/start/", sitting.team_exam_start, name="team_exam_start"),
    path("exams/attempt/<int:pk>/", sitting.attempt_page, name="exam_attempt"),
    path("exams/attempt/<int:pk>/save/<int:position>/", sitting.attempt_save, name="exam_save"),
    path("exams/attempt/<int:pk>/review/", sitting.attempt_review, name="exam_review"),
    path("exams/attempt/<int:pk>/submit/", sitting.attempt_submit, name="exam_submit"),
    path("exams/attempt/<int:pk>/results/", sitting.attempt_results, name="exam_results"),
    path(
        "exams/attempt/<int:pk>/items/<int:position>/review/",
        sitting.item_add_to_review,
        name="exam_item_review",
    ),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/join/", teams.team_join, name="team_join"),
    path("teams/join/<str:code>/", teams.team_join, name="team_join_code"),
    path("teams/<int:pk>/", teams.team_page, name="team"),
    path("teams/<int:pk>/exams/new/", teams.team_exam_create, name="team_exam_create"),
    path("teams/<int:pk>/exams/<int:exam_pk>/board/", teams.team_board, name="team_board"),
    path(
        "teams/<int:pk>/exams/<int:exam_pk>/results/",
        teams.team_results,
        name="team_results",
    ),
    path(
        "teams/<int:pk>/exams/<int:exam_pk>/results.csv",
        teams.team_results_csv,
        name="team_results_csv",
    ),
    path("instructor/items/", analysis.item_analysis, name="item_analysis"),
    path(
        "instructor/items/refresh/",
        analysis.item_analysis_refresh,
        name="item_analysis_refresh",
    ),
    path("instructor/exams/", blueprints.blueprint_list, name="blueprint_list"),
    path("instructor/exams/new/", blueprints.blueprint_edit, name="blueprint_new"),
    path("instructor/exams/<int:pk>/", blueprints.blueprint_edit, name="blueprint_edit"),
]
