"""Item statistics in the background: stored after each submitted exam, read by the page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from exams.analysis import statistics as analysis
from exams.analysis import tasks
from exams.models import ItemAnalysis, ItemStatistic
from exams.sitting import services

from .factories import (
    BlueprintFactory,
    MembershipFactory,
    TeamExamFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def blueprint(loaded_course):
    return BlueprintFactory()


def sit(user, blueprint, team_exam=None):
    now = timezone.now()
    attempt = services.attempt_start(user=user, blueprint=blueprint, now=now, team_exam=team_exam)
    for item in attempt.items.select_related("question"):
        keys = [c["key"] for c in item.question.choices if c["correct"]]
        services.attempt_save_authored(
            attempt=attempt, position=item.position, selected=keys, flagged=False, seq=1, now=now
        )
    return services.attempt_submit(attempt=attempt, now=now)


def test_submitting_an_exam_stores_the_site_wide_statistics_of_its_questions(blueprint):
    attempt = sit(UserFactory(), blueprint)
    site = ItemAnalysis.objects.get(team=None)
    stored = {s.question_id: s for s in site.items.all()}
    assert set(stored) == set(attempt.items.values_list("question_id", flat=True))
    assert [(s.responses, s.facility) for s in stored.values()] == [(1, 1.0), (1, 1.0)]
    assert site.computed_at is not None


def test_a_team_exam_refreshes_the_site_and_that_team(blueprint):
    owner, member = UserFactory(instructor=True), UserFactory()
    team = TeamFactory(instructor=owner)
    MembershipFactory(team=team, user=member)
    team_exam = TeamExamFactory(team=team, blueprint=blueprint)
    sit(member, blueprint, team_exam)
    assert ItemStatistic.objects.filter(analysis__team=team).count() == 2
    assert ItemStatistic.objects.filter(analysis__team=None).count() == 2


def test_a_request_older_than_the_last_run_is_already_covered(blueprint):
    before = timezone.now()
    sit(UserFactory(), blueprint)
    assert analysis.statistics_store(team=None, requested_at=before) is False
    assert analysis.statistics_store(team=None, requested_at=timezone.now()) is True


def test_a_task_for_a_deleted_team_does_nothing(blueprint):
    team = TeamFactory(name="Gone")
    pk = team.pk
    team.delete()
    result = tasks.item_statistics_refresh.enqueue(pk, timezone.now().isoformat())
    assert result.return_value is False


@pytest.mark.parametrize("sittings", [1, 6])
def test_the_item_analysis_page_reads_stored_rows_in_a_fixed_number_of_queries(
    client, blueprint, sittings, django_assert_max_num_queries
):
    instructor = UserFactory(instructor=True)
    for _ in range(sittings):
        sit(UserFactory(), blueprint)
    client.force_login(instructor)
    with django_assert_max_num_queries(10):
        page = client.get("/instructor/items/")
    assert page.status_code == 200 and "Figures as of" in page.content.decode()


def test_only_instructors_may_ask_for_a_recompute(client, blueprint):
    client.force_login(UserFactory())
    assert client.post("/instructor/items/refresh/").status_code == 403
    assert client.get("/instructor/items/refresh/").status_code in (403, 405)
