from django.contrib import admin
from django.urls import include, path

from quizzes.views.language import javascript_catalogue, language_set

urlpatterns = [
    path("", include("quizzes.urls")),
    path("", include("exams.urls")),
    path("accounts/", include("accounts.urls")),
    # The header's language switcher (a form POST) and the strings scripts show, per language.
    path("i18n/setlang/", language_set, name="set_language"),
    path("jsi18n/", javascript_catalogue, name="javascript-catalog"),
    path("jsi18n/<slug:code>/", javascript_catalogue, name="javascript-catalog-language"),
    path("admin/", admin.site.urls),
]
