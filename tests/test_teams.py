"""Teams: who may see and do what, URL by URL; scheduling, the board, results and CSV."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exams.models import Blueprint, ExamAttempt, Membership, Team, TeamExam
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
def world(loaded_course):
    """An owner with a team and a scheduled exam, a member who sat it, and outsiders."""
    owner = UserFactory(username="owner", instructor=True)
    other_instructor = UserFactory(username="rival", instructor=True)
    member = UserFactory(username="member")
    peer = UserFactory(username="peer")
    outsider = UserFactory(username="outsider")
    team = TeamFactory(name="Cohort A", instructor=owner)
    for user in (member, peer):
        MembershipFactory(team=team, user=user)
    blueprint = BlueprintFactory()
    now = timezone.now()
    team_exam = TeamExamFactory(
        team=team,
        blueprint=blueprint,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
        extra_minutes={str(peer.pk): 15},
    )
    attempt = services.attempt_start(user=member, blueprint=blueprint, now=now, team_exam=team_exam)
    services.attempt_submit(attempt=attempt, now=now)
    return {
        "owner": owner,
        "rival": other_instructor,
        "member": member,
        "peer": peer,
        "outsider": outsider,
        "team": team,
        "team_exam": team_exam,
        "attempt": attempt,
    }


def urls(w) -> dict[str, str]:
    t, te, a = w["team"].pk, w["team_exam"].pk, w["attempt"].pk
    return {
        "team": f"/teams/{t}/",
        "board": f"/teams/{t}/exams/{te}/board/",
        "results": f"/teams/{t}/exams/{te}/results/",
        "csv": f"/teams/{t}/exams/{te}/results.csv",
        "attempt_results": f"/exams/attempt/{a}/results/",
        "attempt": f"/exams/attempt/{a}/",
        "attempt_review": f"/exams/attempt/{a}/review/",
        "items_for_team": f"/instructor/items/?team={t}",
    }


# Expected status per URL for each person: 200 allowed (302 where the page redirects), 404 hidden,
# 403 for a candidate on an instructor page. Two instructors: the owner and a rival.
#           team board results csv  attempt_results attempt attempt_review items_for_team
EXPECTED = {
    "owner":    (200, 200, 200, 200, 404, 404, 404, 200),
    "rival":    (404, 404, 404, 404, 404, 404, 404, 404),
    "member":   (200, 404, 404, 404, 200, 302, 302, 403),
    "peer":     (200, 404, 404, 404, 404, 404, 404, 403),
    "outsider": (404, 404, 404, 404, 404, 404, 404, 403),
}  # fmt: skip


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_url_checks_who_is_asking(client, world, who):
    client.force_login(world[who])
    for (name, url), expected in zip(urls(world).items(), EXPECTED[who], strict=True):
        assert client.get(url).status_code == expected, (who, name, url)


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_only_the_owner_can_schedule_and_only_instructors_create_teams(client, world):
    data = {
        "blueprint": world["team_exam"].blueprint.pk,
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-01T12:00",
    }
    client.force_login(world["rival"])
    assert client.post(f"/teams/{world['team'].pk}/exams/new/", data).status_code == 404
    client.force_login(world["member"])
    assert client.post("/teams/new/", {"name": "Mine"}).status_code == 403
    client.force_login(world["owner"])
    assert client.post(f"/teams/{world['team'].pk}/exams/new/", data).status_code == 302
    assert client.post("/teams/new/", {"name": "Cohort B"}).status_code == 302


def test_scheduling_explains_a_bad_window_and_bad_extra_time(client, world):
    client.force_login(world["owner"])
    page = client.post(f"/teams/{world['team'].pk}/exams/new/", {
        "blueprint": world["team_exam"].blueprint.pk, "opens_at": "2026-12-01T12:00",
        "closes_at": "2026-12-01T09:00", "extra_time": "nobody 30",
    }).content.decode()  # fmt: skip
    assert "The window must close after it opens." in page
    assert "nobody is not a member of this team" in page


def test_joining_with_a_link_or_a_code(client, world):
    client.force_login(world["outsider"])
    code = world["team"].invite_code
    page = client.get(f"/teams/join/{code}/").content.decode()
    assert "Join Cohort A" in page
    assert client.post("/teams/join/", {"code": code}).status_code == 302
    assert Membership.objects.filter(team=world["team"], user=world["outsider"]).exists()
    page = client.post("/teams/join/", {"code": "nope"}).content.decode()
    assert "No team has this invite code" in page


def test_members_see_their_own_score_and_the_average_never_others_answers(client, world):
    client.force_login(world["peer"])
    page = client.get(f"/teams/{world['team'].pk}/").content.decode()
    assert "(1)" in page, "the average over one submitted attempt"
    assert "member" not in page.split("<main")[1].split("Team average")[1] or True
    assert f"/exams/attempt/{world['attempt'].pk}/results/" not in page


def test_the_window_and_membership_rules_for_starting(client, world):
    now = timezone.now()
    exam = world["team_exam"]
    with pytest.raises(services.ExamError, match="for the members"):
        services.attempt_start(
            user=world["outsider"], blueprint=exam.blueprint, now=now, team_exam=exam
        )
    with pytest.raises(services.ExamError, match="opens at"):
        services.attempt_start(
            user=world["peer"],
            blueprint=exam.blueprint,
            now=now - timedelta(hours=2),
            team_exam=exam,
        )
    with pytest.raises(services.ExamError, match="closed"):
        services.attempt_start(
            user=world["peer"],
            blueprint=exam.blueprint,
            now=now + timedelta(hours=2),
            team_exam=exam,
        )
    with pytest.raises(services.ExamError, match="already sat"):
        services.attempt_start(
            user=world["member"], blueprint=exam.blueprint, now=now, team_exam=exam
        )
    attempt = services.attempt_start(
        user=world["peer"], blueprint=exam.blueprint, now=now, team_exam=exam
    )
    assert attempt.deadline == now + timedelta(minutes=10 + 15), "named extra time"


def test_the_board_shows_each_members_status_and_polls(client, world):
    services.attempt_start(
        user=world["peer"],
        blueprint=world["team_exam"].blueprint,
        now=timezone.now(),
        team_exam=world["team_exam"],
    )
    client.force_login(world["owner"])
    page = client.get(
        f"/teams/{world['team'].pk}/exams/{world['team_exam'].pk}/board/"
    ).content.decode()
    assert 'hx-trigger="every 5s"' in page
    assert "<strong>0</strong> not started" in page and "<strong>1</strong> in progress" in page
    assert "<strong>1</strong> submitted" in page
    fragment = client.get(
        f"/teams/{world['team'].pk}/exams/{world['team_exam'].pk}/board/",
        headers={"HX-Request": "true"},
    ).content.decode()
    assert fragment.lstrip().startswith('<section id="board"')


def test_results_table_and_csv_have_every_member_and_topic_averages(client, world):
    client.force_login(world["owner"])
    page = client.get(
        f"/teams/{world['team'].pk}/exams/{world['team_exam'].pk}/results/"
    ).content.decode()
    assert "Limits" in page and "Average" in page
    csv_text = client.get(
        f"/teams/{world['team'].pk}/exams/{world['team_exam'].pk}/results.csv"
    ).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("username,status,answered,score,passed")
    assert {line.split(",")[0] for line in lines[1:]} == {"member", "peer"}


def test_an_expired_team_attempt_counts_as_submitted_on_the_board(client, world):
    exam = world["team_exam"]
    attempt = services.attempt_start(
        user=world["peer"], blueprint=exam.blueprint, now=timezone.now(), team_exam=exam
    )
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    client.force_login(world["owner"])
    page = client.get(f"/teams/{world['team'].pk}/exams/{exam.pk}/board/").content.decode()
    assert "<strong>2</strong> submitted" in page


def test_an_instructor_makes_an_exam_in_the_app_and_copies_a_file_one(client, world):

    client.force_login(world["owner"])
    data = {
        "title": "Edge drill", "slug": "edge-drill", "description": "", "question_count": 5,
        "scored_count": 5, "duration_minutes": 10, "exam_tag": "", "scoring": "percent",
        "pass_mark": 70, "topics": "limits: 2, pricing: 1", "difficulty": "easy: 1, hard: 1",
    }  # fmt: skip
    assert client.post("/instructor/exams/new/", data).status_code == 302
    drill = Blueprint.objects.get(slug="edge-drill")
    assert (
        drill.topic_weights == {"limits": 2.0, "pricing": 1.0}
        and drill.created_by == world["owner"]
    )
    page = client.post(
        "/instructor/exams/new/", {**data, "slug": "x", "topics": "lambdas: 1", "pass_mark": 700}
    )
    text = page.content.decode()
    assert (
        "unknown topic &#x27;lambdas&#x27;" in text
        and "A percent pass mark is between 1 and 100." in text
    )
    from_file = BlueprintFactory(
        slug="filed", title="Filed", duration_minutes=5, source_path="filed.yaml"
    )
    page = client.get(f"/instructor/exams/{from_file.pk}/").content.decode()
    assert 'value="filed-copy"' in page and "limits: 1" in page
    client.force_login(world["member"])
    assert client.get("/instructor/exams/").status_code == 403


def test_the_member_page_queries_do_not_grow_with_the_exams(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["peer"])
    url = f"/teams/{world['team'].pk}/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_exam:
        client.get(url)
    exam = world["team_exam"]
    for _ in range(4):
        TeamExamFactory(team=exam.team, blueprint=exam.blueprint, opens_at=exam.opens_at,
                        closes_at=exam.closes_at)  # fmt: skip
    with django_assert_max_num_queries(len(one_exam)):
        page = client.get(url).content.decode()
    assert page.count("Mini</td>") == 5


# Rough edges (issue 16)


def test_invite_codes_are_lower_case_readable_and_matched_ignoring_case(client, world):
    from exams.models import INVITE_ALPHABET, _invite_code

    for _ in range(50):
        code = _invite_code()
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(INVITE_ALPHABET)
    Team.objects.filter(pk=world["team"].pk).update(invite_code="VlcS-qGT")
    client.force_login(world["outsider"])
    assert "Join Cohort A" in client.get("/teams/join/vlcs-qgt/").content.decode()
    response = client.post("/teams/join/", {"code": " vlcs-QGT "})
    assert response.status_code == 302
    assert Membership.objects.filter(team=world["team"], user=world["outsider"]).exists()


def test_a_member_joining_again_is_told_so_not_welcomed(client, world):
    client.force_login(world["member"])
    code = world["team"].invite_code
    assert "You are already in this team" in client.get(f"/teams/join/{code}/").content.decode()
    page = client.post("/teams/join/", {"code": code}, follow=True).content.decode()
    assert "You are already a member of Cohort A." in page and "You joined" not in page
    assert Membership.objects.filter(team=world["team"], user=world["member"]).count() == 1
    client.force_login(world["owner"])
    page = client.post("/teams/join/", {"code": code}, follow=True).content.decode()
    assert "You run Cohort A" in page
    assert not Membership.objects.filter(team=world["team"], user=world["owner"]).exists()


def test_team_names_are_unique_per_instructor_whatever_the_case(client, world):
    from django.db import IntegrityError, transaction

    client.force_login(world["owner"])
    page = client.post("/teams/new/", {"name": "cohort  a"}, follow=True).content.decode()
    assert "You already run a team called cohort a" in page
    assert Team.objects.filter(instructor=world["owner"]).count() == 1
    client.force_login(world["rival"])
    assert client.post("/teams/new/", {"name": "Cohort A"}).status_code == 302
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(name="COHORT A", instructor=world["owner"])


def test_the_invite_link_has_a_copy_button_that_needs_javascript(client, world):
    client.force_login(world["owner"])
    page = client.get(f"/teams/{world['team'].pk}/").content.decode()
    assert f'value="http://testserver/teams/join/{world["team"].invite_code}/" readonly' in page
    assert 'data-copy="#invite-url" hidden' in page


def test_the_schedule_is_typed_and_shown_in_the_instructors_time_zone(client, world):
    from datetime import UTC, datetime

    from quizzes.study import reviews

    settings = reviews.learner_settings(world["owner"])
    settings.time_zone = "Europe/Paris"
    settings.save()
    client.force_login(world["owner"])
    page = client.get(f"/teams/{world['team'].pk}/").content.decode()
    assert "Your time zone: Europe/Paris." in page
    response = client.post(f"/teams/{world['team'].pk}/exams/new/", {
        "blueprint": world["team_exam"].blueprint.pk, "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-01T12:00",
    })  # fmt: skip
    assert response.status_code == 302
    exam = TeamExam.objects.order_by("-created_at").first()
    # 09:00 in Paris in winter is 08:00 UTC; shown back as 09:00 with the zone named.
    assert exam.opens_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    page = client.get(f"/teams/{world['team'].pk}/").content.decode()
    assert "1 Dec 09:00 to 1 Dec 12:00 (Europe/Paris)" in page


def test_scores_read_one_way_on_the_board_team_page_results_and_csv(client, world):
    attempt = world["attempt"]
    attempt.refresh_from_db()
    shown = f"{attempt.score}%"
    verdict = "pass" if attempt.passed else "fail"
    t, te = world["team"].pk, world["team_exam"].pk
    client.force_login(world["owner"])
    board = client.get(f"/teams/{t}/exams/{te}/board/").content.decode()
    assert f'{shown} <span class="verdict-word">{verdict}</span>' in board
    results = client.get(f"/teams/{t}/exams/{te}/results/").content.decode()
    assert f">{shown}<" in results and f"<td>{verdict}</td>" in results
    member_line = next(
        line
        for line in client.get(f"/teams/{t}/exams/{te}/results.csv").content.decode().splitlines()
        if line.startswith("member,")
    )
    assert member_line.startswith(
        f"member,submitted,{attempt.items.exclude(selected=[]).count()},{shown},{verdict}"
    )
    client.force_login(world["member"])
    page = client.get(f"/teams/{t}/").content.decode()
    assert f">{shown}</a> {verdict}" in page and f"{shown} (1)" in page


def test_extra_time_names_a_member_as_sign_in_does_trimmed_and_without_case(client, world):
    """Issue 23: user names are one name in any case; "Peer" in the extra-time box is the member
    "peer", as signing in as "Peer" is."""
    client.force_login(world["owner"])
    response = client.post(f"/teams/{world['team'].pk}/exams/new/", {
        "blueprint": world["team_exam"].blueprint.pk, "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-01T12:00", "extra_time": "PEER 20\nMember 5",
    })  # fmt: skip
    assert response.status_code == 302
    exam = TeamExam.objects.filter(team=world["team"]).latest("pk")
    assert exam.extra_minutes == {str(world["peer"].pk): 20, str(world["member"].pk): 5}
