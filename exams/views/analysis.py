"""Item analysis for instructors: which questions work, site-wide or for one team.

The figures are computed in the background (`exams.analysis.tasks`); these views only read them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from exams.analysis import selectors
from exams.analysis import statistics as analysis
from exams.analysis.tasks import statistics_refresh_later
from studyapp.htmx import HtmxHttpRequest

from .teams import INSTRUCTOR

ITEMS_PER_PAGE = 100


@login_required
@permission_required(INSTRUCTOR, raise_exception=True)
@require_safe
def item_analysis(request: HtmxHttpRequest) -> HttpResponse:
    """Which questions work: facility, discrimination, choice picks; site-wide or for one team.

    The figures are computed in the background after each submitted exam or quiz
    (exams/analysis/tasks.py); this page only reads them, so it stays fast however many attempts
    there are.
    """
    team = selectors.team_named(request.user, request.GET.get("team", ""))
    filters = {key: request.GET.get(key, "") for key in ("bank", "topic", "tag")}
    scope = analysis.analysis_for(team)
    sort = request.GET.get("sort", "flags")
    flagged = bool(request.GET.get("flagged"))
    rows = analysis.stored_rows(scope, **filters, flagged=flagged, sort=sort)
    page = Paginator(rows, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": page,
        "page": page,
        "query": query.urlencode(),
        "scope": scope,
        "team": team,
        "filters": filters,
        "sort": sort,
        "flagged_only": flagged,
        **selectors.filter_choices(request.user),
    }
    return render(request, "exams/item_analysis.html", context)


@login_required
@permission_required(INSTRUCTOR, raise_exception=True)
@require_POST
def item_analysis_refresh(request: HtmxHttpRequest) -> HttpResponse:
    """Recompute the statistics now (they also refresh after every submitted exam or quiz)."""
    team = selectors.team_named(request.user, request.POST.get("team", ""))
    statistics_refresh_later(team_id=team and team.pk)
    messages.success(request, _("Statistics are being recomputed; reload the page in a moment."))
    url = reverse("item_analysis")
    return redirect(f"{url}?team={team.pk}" if team else url)
