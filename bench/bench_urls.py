"""The site's URLs plus `/bench/bare/`: the floor any page pays (middleware, session, one query)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from quizzes.models import Card
from studyapp.urls import urlpatterns as site_urlpatterns


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    """One indexed query behind the same middleware as every page of the site."""
    try:
        pk = int(request.GET.get("card", "0"))
    except ValueError:
        pk = 0
    card = Card.objects.filter(user=request.user, pk=pk).first()
    return HttpResponse(f"card {card.pk if card else None}")


urlpatterns = [*site_urlpatterns, path("bench/bare/", bare, name="bench_bare")]
