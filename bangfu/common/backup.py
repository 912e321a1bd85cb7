"""Backup and restore of the whole system: the database and the media files (documents, import files) together,
in one .tar with a manifest (row counts, a SHA-256 per file) and a .sha256 beside it (`sha256sum -c` checks it).

PostgreSQL goes through pg_dump/pg_restore (custom format); SQLite through its online backup API. Restore checks
every checksum before it touches anything, refuses a target that already holds data (unless forced), and compares
the restored row counts with the manifest. `bangfu backup DIR` and `bangfu restore ARCHIVE` call these."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

DB_PG, DB_SQLITE, MANIFEST, MEDIA = "database.pgdump", "database.sqlite3", "manifest.json", "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (and nothing was changed by a restore)."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-d", db["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 执行失败:{done.stderr.strip()[:2000]}")


def _is_postgres(db: dict) -> bool:
    return "postgresql" in db["ENGINE"]


def _open_raw(db: dict):
    """A plain DB-API connection to `db` (not Django's), for counting rows of a database Django does not use."""
    if _is_postgres(db):
        import psycopg

        return psycopg.connect(dbname=db["NAME"], host=db.get("HOST") or None, port=db.get("PORT") or None,
                               user=db.get("USER") or None, password=db.get("PASSWORD") or None)
    return sqlite3.connect(db["NAME"], uri=str(db["NAME"]).startswith("file:"))


def row_counts(raw) -> dict[str, int]:
    """Rows per table of a raw connection (the schema's own tables, not the engine's)."""
    cursor = raw.cursor()
    if isinstance(raw, sqlite3.Connection):
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    tables = sorted(name for (name,) in cursor.fetchall())
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def counts_of(db: dict) -> dict[str, int]:
    raw = _open_raw(db)
    try:
        return row_counts(raw)
    finally:
        raw.close()


def _dump_database(db: dict, django_connection, target: Path) -> dict[str, int]:
    if _is_postgres(db):
        args, env = _pg_args(db)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(target), *args], env)
        return counts_of(db)
    django_connection.ensure_connection()
    source = django_connection.connection  # works for a file and for the test suite's in-memory database
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
    return counts_of({"ENGINE": "sqlite3", "NAME": str(target)})


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def backup_create(*, out_dir: Path, db: dict, django_connection, media_root: Path,
                  now: datetime.datetime | None = None) -> Path:
    """Write `bangfu-backup-<time>.tar` and its `.sha256` into `out_dir`; returns the archive's path."""
    now = now or datetime.datetime.now(datetime.UTC)
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"bangfu-backup-{now:%Y%m%d-%H%M%S}.tar"
    with tempfile.TemporaryDirectory(dir=out_dir) as work:
        dump = Path(work) / (DB_PG if _is_postgres(db) else DB_SQLITE)
        counts = _dump_database(db, django_connection, dump)
        files = {f"{MEDIA}/{p.relative_to(media_root).as_posix()}": sha256_of(p) for p in _media_files(media_root)}
        manifest = {"format": 1, "created_at": now.isoformat(), "vendor": "postgresql" if _is_postgres(db)
                    else "sqlite", "database": {"file": dump.name, "sha256": sha256_of(dump)},
                    "row_counts": counts, "files": files}
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=dump.name)
            for name in files:
                tar.add(media_root / name[len(MEDIA) + 1:], arcname=name)
        partial.rename(archive)  # a backup is either whole or absent
    checksum = archive.with_name(archive.name + ".sha256")
    checksum.write_text(f"{sha256_of(archive)}  {archive.name}\n", encoding="utf-8")
    return archive


def backup_verify(archive: Path, work: Path) -> dict:
    """Unpack `archive` into `work` after checking its .sha256, then every file against the manifest."""
    checksum = archive.with_name(archive.name + ".sha256")
    if not checksum.exists():
        raise BackupError(f"缺少校验文件 {checksum.name}")
    expected = checksum.read_text(encoding="utf-8").split()[0]
    if sha256_of(archive) != expected:
        raise BackupError("备份文件与校验值不符:已损坏或不完整")
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    if sha256_of(work / manifest["database"]["file"]) != manifest["database"]["sha256"]:
        raise BackupError("数据库转储与备份清单不符")
    for name, digest in manifest["files"].items():
        if not (work / name).is_file() or sha256_of(work / name) != digest:
            raise BackupError(f"文件 {name} 与备份清单不符")
    return manifest


def _refuse_non_empty(db: dict, media_root: Path) -> None:
    if any(counts_of(db).values()):
        raise BackupError(f"目标数据库 {db['NAME']} 中已有数据:请恢复到空数据库(或加 --force 覆盖)")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"目标文件目录 {media_root} 不是空的(或加 --force)")


def backup_restore(*, archive: Path, db: dict, media_root: Path, force: bool = False) -> dict:
    """Restore database and media from `archive` into `db` and `media_root`; returns the row counts compared."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manifest = backup_verify(archive, work)
        vendor = "postgresql" if _is_postgres(db) else "sqlite"
        if manifest["vendor"] != vendor:
            raise BackupError(f"备份来自 {manifest['vendor']} 数据库,目标是 {vendor}")
        if not force:
            _refuse_non_empty(db, media_root)
        dump = work / manifest["database"]["file"]
        if vendor == "postgresql":
            args, env = _pg_args(db)
            _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--exit-on-error",
                  "--single-transaction", *args, str(dump)], env)
        else:
            source, target = sqlite3.connect(dump), sqlite3.connect(db["NAME"])
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        if force and media_root.exists():
            shutil.rmtree(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        for name in manifest["files"]:
            destination = media_root / name[len(MEDIA) + 1:]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / name, destination)
    restored = counts_of(db)
    differ = {t: (n, restored.get(t)) for t, n in manifest["row_counts"].items() if restored.get(t) != n}
    if differ:
        raise BackupError(f"恢复后行数与备份不一致:{differ}")
    return {"tables": len(restored), "rows": sum(restored.values()), "files": len(manifest["files"])}
