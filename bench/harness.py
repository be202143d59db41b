"""What every database bench sets up before it measures, in one place.

`prepare()` runs before Django is imported: it puts the project on the path, picks the settings and
points DATABASE_URL at a database of the bench's own, so that a bench never writes to the database a
developer works in. With a PostgreSQL URL that is a database the bench creates on the same server
(the URL's own database is only used to connect), named by the bench or by `$BENCH_DB`; otherwise a
SQLite file in a temporary folder. `BenchDatabase.run(body)` creates it, runs the measurements and
drops it (and the folder) whatever happens.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


@dataclass(frozen=True)
class BenchDatabase:
    """The bench's own database: its name, the server it was asked for, a work folder."""

    name: str
    server_url: str
    work: Path

    @property
    def postgres(self) -> bool:
        return urlsplit(self.server_url).scheme in POSTGRES_SCHEMES

    def admin_sql(self, statement: str) -> None:
        """A statement on the server the bench was pointed at, outside any transaction."""
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as admin:
            admin.execute(statement)

    def run(self, body: Callable[[], None]) -> None:
        """`body()` on a fresh database; the database and the work folder are gone afterwards."""
        if self.postgres:
            self.admin_sql(f'DROP DATABASE IF EXISTS "{self.name}"')
            self.admin_sql(f'CREATE DATABASE "{self.name}"')
        try:
            body()
        finally:
            if self.postgres:
                from django.db import connections

                connections.close_all()
                self.admin_sql(f'DROP DATABASE IF EXISTS "{self.name}"')
            shutil.rmtree(self.work, ignore_errors=True)


def prepare(*, database: str, prefix: str, settings: str = "bench_settings") -> BenchDatabase:
    """Path, settings and DATABASE_URL for a bench; call it before anything imports Django.

    `bench_settings` is the site as in production (DEBUG off, no query log) plus the bare view at
    /bench/bare/ that the speed benches compare against.
    """
    for path in (ROOT / "bench", ROOT):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    server_url = os.environ.get("DATABASE_URL", "")
    bench = BenchDatabase(
        name=os.environ.get("BENCH_DB", database),
        server_url=server_url,
        work=Path(tempfile.mkdtemp(prefix=prefix)),
    )
    if bench.postgres:
        os.environ["DATABASE_URL"] = urlunsplit(
            urlsplit(server_url)._replace(path=f"/{bench.name}")
        )
    else:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{bench.work / 'bench.sqlite3'}")
    return bench
