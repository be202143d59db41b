from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("notes/", views.topic_list, name="topic_list"),
    path("notes/<slug:slug>/", views.note, name="note"),
]
