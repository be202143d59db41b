"""The lambda_cost command: a table or JSON, and one clear line for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from .conftest import REPO


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "lambda_cost", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )


def test_it_prints_every_line_with_its_formula_and_the_total(capsys):
    call_command(
        "lambda_cost", "--requests", "5000000", "--duration-ms", "200", "--memory-mb", "256"
    )
    out = capsys.readouterr().out
    assert "Requests: (5,000,000 − 1,000,000 free) × $0.20 / 1M = $0.80" in out
    assert "Duration" in out and "250,000" in out
    assert out.strip().endswith("Total: $0.80 per month")


def test_json_has_the_total_and_one_entry_per_line_item(capsys):
    call_command(
        "lambda_cost", "--requests", "30000000", "--duration-ms", "200", "--memory-mb", "128",
        "--no-free-tier", "--json",
    )  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "18.50"
    assert set(data["lines"]) == {"requests", "duration"}
    assert data["lines"]["requests"]["rounded"] == "6.00"
    assert data["lines"]["duration"]["rounded"] == "12.50"


def test_arm64_provisioned_and_ephemeral_options_are_priced(capsys):
    call_command(
        "lambda_cost", "--requests", "1000000", "--duration-ms", "100", "--memory-mb", "1024",
        "--arch", "arm64", "--ephemeral-mb", "2048", "--provisioned", "2", "--provisioned-hours",
        "10", "--json",
    )  # fmt: skip
    lines = json.loads(capsys.readouterr().out)["lines"]
    assert {"requests", "ephemeral", "provisioned", "provisioned_duration"} <= set(lines)


BASE_ARGS = ["--requests", "1", "--duration-ms", "1", "--memory-mb", "128"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            BASE_ARGS[:4] + ["--memory-mb", "20000"],
            "memory must be between 128 and 10240 MB, got 20000",
        ),
        (["--requests", "abc"] + BASE_ARGS[2:], "requests must be"),
        (BASE_ARGS[:2] + ["--duration-ms", "-5"] + BASE_ARGS[4:], "duration"),
        (BASE_ARGS + ["--arch", "sparc"], "arch"),
        (BASE_ARGS + ["--edge", "--arch", "arm64"], "x86_64"),
        (["--duration-ms", "1"], "required"),
        (BASE_ARGS + ["--bogus"], "unrecognized"),
    ],
)
def test_bad_input_gives_one_clear_line_and_no_traceback(args, message):
    done = run(*args)
    assert done.returncode in (1, 2)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert message in lines[0]
    assert "Traceback" not in done.stderr
