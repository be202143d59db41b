"""`lambda_cost`: a Lambda bill, line by line with its formulas, from the pricing engine."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.costs import pricing
from quizzes.costs.usage import PricingError, Usage


class Command(BaseCommand):
    help = "Compute a monthly AWS Lambda bill (us-east-1) with every line item and its formula."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: object) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message: str) -> None:
            # argparse prints the whole usage; a person needs the one line that says what is wrong.
            sys.stderr.write(f"lambda_cost: {message} (see --help)\n")
            sys.exit(2)

        parser.error = one_line_error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", required=True, help="requests per month")
        parser.add_argument("--duration-ms", required=True, help="average duration per request, ms")
        parser.add_argument("--memory-mb", required=True, help="memory, 128-10240 MB")
        parser.add_argument("--arch", default="x86_64", help="x86_64 (default) or arm64")
        parser.add_argument("--ephemeral-mb", default="512", help="ephemeral storage, 512-10240 MB")
        parser.add_argument(
            "--no-free-tier", action="store_true", help="do not deduct the free tier"
        )
        parser.add_argument("--provisioned", default="0", help="provisioned concurrency units")
        parser.add_argument(
            "--provisioned-hours", default="0", help="hours provisioned concurrency is on"
        )
        parser.add_argument(
            "--provisioned-requests",
            default=None,
            help="requests served by provisioned concurrency",
        )
        parser.add_argument("--edge", action="store_true", help="price as Lambda@Edge")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: object, **options: object) -> None:
        try:
            usage = Usage.from_values(
                requests=options["requests"],
                duration_ms=options["duration_ms"],
                memory_mb=options["memory_mb"],
                arch=options["arch"],
                ephemeral_mb=options["ephemeral_mb"],
                free_tier=not options["no_free_tier"],
                provisioned_units=options["provisioned"],
                provisioned_hours=options["provisioned_hours"],
                provisioned_requests=options["provisioned_requests"],
                edge=options["edge"],
            )
            breakdown = pricing.estimate(usage)
        except PricingError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(breakdown.to_dict(), indent=2))
            return
        self.stdout.write(render_table(breakdown))


def render_table(breakdown: pricing.Breakdown) -> str:
    rows = [("item", "quantity", "free", "billable", "unit price", "amount")]
    for line in breakdown.lines:
        rows.append(
            (
                line.label,
                _number(line.quantity, line.unit),
                _number(line.free, ""),
                _number(line.billable, ""),
                line.price_text,
                f"${line.rounded:,.2f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for index, row in enumerate(rows):
        out.append(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            ).rstrip()
        )
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append("")
    for line in breakdown.lines:
        out.append(f"{line.label}: {line.formula}")
    out.append("")
    out.append(f"Total: ${breakdown.total:,.2f} per month")
    return "\n".join(out)


def _number(value: object, unit: str) -> str:
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()
