"""`create_demo_users`: the `candidate` and `instructor` accounts for trying the site locally."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.roles import ensure_roles

DEMO_USERS = {
    "candidate": os.environ.get("DEMO_CANDIDATE_PASSWORD", "study-lambda-2026"),
    "instructor": os.environ.get("DEMO_INSTRUCTOR_PASSWORD", "teach-lambda-2026"),
}


class Command(BaseCommand):
    help = "Create (or reset) the demo users and print their passwords. Development only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="allow it with DEBUG off")

    def handle(self, *args: object, force: bool, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("demo users with known passwords are for DEBUG=1 only (or --force)")
        group = ensure_roles()
        for username, password in DEMO_USERS.items():
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com"}
            )
            user.set_password(password)
            user.save()
            if username == "instructor":
                user.groups.add(group)
            self.stdout.write(f"  {username:<11} password: {password}")
