from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from quizzes.views.language import language_set

urlpatterns = [
    path("", include("quizzes.urls")),
    path("", include("exams.urls")),
    path("accounts/", include("accounts.urls")),
    # The header's language switcher (a form POST) and the strings scripts show, per language.
    path("i18n/setlang/", language_set, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
