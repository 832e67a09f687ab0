"""Consistent snapshots of the whole database, and putting one back.

SQLite: the online backup API copies a consistent snapshot while the server keeps running.
PostgreSQL: pg_dump (custom format) and pg_restore, the database's own tools.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from goldthread.core import audit
from goldthread.core.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def _engine() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise DomainError.on("database", f"{name} is not installed; install the PostgreSQL client tools.")
    return tool


def _pg_arguments() -> list[str]:
    s = connection.settings_dict
    args = ["--dbname", s["NAME"], "--no-password"]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    return args


def _pg_env() -> dict[str, str]:
    env = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def backup(path: Path) -> Path:
    """Write a snapshot to `path` and check that it reads back."""
    if path.exists() and path.is_dir():
        raise DomainError.on("output", f"{path} is a directory; name a file.")
    if not path.parent.exists():
        raise DomainError.on("output", f"The folder {path.parent} does not exist.")
    connection.ensure_connection()
    if _engine() == "sqlite":
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
            if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":  # read back every page
                raise DomainError.on("output", f"The snapshot at {path} failed its integrity check.")
        finally:
            target.close()
    else:
        result = subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--file", str(path), *_pg_arguments()],
            capture_output=True,
            text=True,
            env=_pg_env(),
        )
        if result.returncode != 0:
            raise DomainError.on("database", f"pg_dump failed: {result.stderr.strip().splitlines()[-1]}")
        listing = subprocess.run([_pg_tool("pg_restore"), "--list", str(path)], capture_output=True)
        if listing.returncode != 0:
            raise DomainError.on("output", f"The snapshot at {path} cannot be read back by pg_restore.")
    return path


def restore(path: Path) -> None:
    """Replace the whole database with the snapshot at `path` (taken by `backup` on the same kind of database)."""
    if not path.is_file():
        raise DomainError.on("input", f"No backup file at {path}.")
    head = path.read_bytes()[:16]
    connection.ensure_connection()
    if _engine() == "sqlite":
        if head != SQLITE_MAGIC:
            raise DomainError.on("input", f"{path} is not an SQLite backup.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        if not head.startswith(PGDUMP_MAGIC):
            raise DomainError.on("input", f"{path} is not a pg_dump custom-format backup.")
        result = subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *_pg_arguments(),
                str(path),
            ],
            capture_output=True,
            text=True,
            env=_pg_env(),
        )
        if result.returncode != 0:
            raise DomainError.on("database", f"pg_restore failed: {result.stderr.strip().splitlines()[-1]}")
    connection.close()  # later queries must see the restored schema, not cached state


def record_restore(path: Path) -> None:
    """The restored trail cannot know it was restored; say so in it."""
    audit.record_about(None, "database.restored", "database", {"from": str(path)})
