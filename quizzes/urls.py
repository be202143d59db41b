from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("notes/", views.topic_list, name="topic_list"),
    path("notes/<slug:slug>/", views.note, name="note"),
    path("calculator/", views.calculator, name="calculator"),
    path("exercises/<slug:uid>/", views.exercise, name="exercise"),
    path("exercises/<slug:uid>/new/", views.exercise_new, name="exercise_new"),
]
