"""Every `manage.py` command README shows works as written on a fresh clone.

The tracked files are copied to a new folder (no database, no static files, no environment), and
each command is run there as a newcomer would. Production stays the default for the server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from .conftest import REPO
from .test_importers import GIFT
from .test_settings import PRODUCTION, STRONG_SECRET

UNSET = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_OFF", "REDIS_URL")


def readme_commands() -> list[str]:
    """The `manage.py ...` commands in README's code spans, with [--optional] parts both ways."""
    found = re.findall(
        r"`(?:\.venv/bin/python )?manage\.py ([^`]+)`", (REPO / "README.md").read_text()
    )
    commands = []
    for command in found:
        if command.startswith("check --deploy"):
            continue  # needs production values: tests/test_settings.py runs it with them
        optional = re.findall(r"\[([^\]]+)\]", command)
        plain = re.sub(r"\s*\[[^\]]+\]", "", command)
        commands.append(plain)
        commands += [f"{plain} {extra}" for extra in optional]
    return list(dict.fromkeys(commands))


def fresh_clone(tmp_path):
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.split()  # fmt: skip
    clone = tmp_path / "clone"
    for name in files:
        source = REPO / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    return clone


def run(clone, command: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, "manage.py", *command.split()],
        cwd=clone, env={**clean, **env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_every_readme_command_works_as_written_on_a_fresh_clone(tmp_path):
    clone = fresh_clone(tmp_path)
    (clone / "FILE").write_text(GIFT)
    commands = readme_commands()
    assert any(c.startswith("load_content") for c in commands)
    assert any(c.startswith("lambda_cost") for c in commands)
    for command in commands:
        done = run(clone, command)
        assert done.returncode == 0, f"manage.py {command}\n{done.stderr[-3000:]}"
        assert "Traceback" not in done.stderr, command
        assert "development settings" in done.stderr
    assert (clone / "BANK.yaml").is_file()


def test_the_production_commands_run_with_production_values(tmp_path):
    clone = fresh_clone(tmp_path)
    env = {**PRODUCTION, "REDIS_URL": "", "SECRET_KEY": STRONG_SECRET,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
           "CONTENT_DIR": str(clone / "tests" / "fixtures" / "course")}  # fmt: skip
    done = run(clone, "load_content", **env)
    assert done.returncode != 0 and "run `manage.py migrate` first" in done.stderr
    for command in ("migrate --noinput", "load_content"):
        done = run(clone, command, **env)
        assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"
        assert "development settings" not in done.stderr
