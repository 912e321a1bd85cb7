"""The restore drill (issue 13): back up database and media together, restore into a fresh database and
directory, compare row counts and file hashes, and open a restored document. A damaged archive is refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from bangfu.common.backup import counts_of, sha256_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
PDF = b"%PDF-1.4\n" + "低保证明 南京市玄武区".encode() + b"\n%%EOF\n"


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database beside the test's own: a file on SQLite, a new database on PostgreSQL (dropped after)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    admin = dict(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db.get("PASSWORD") or None,
                 dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as raw:
        raw.execute(f'DROP DATABASE IF EXISTS "{name}"')
        raw.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    with psycopg.connect(**admin) as raw:
        raw.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_into_a_fresh_database_and_directory(make_household, users, tmp_path, fresh_database):
    from bangfu.registry.services import document_upload

    household = make_household()
    document = document_upload(actor=users["caseworker_g1"], household=household, doc_type="income_proof",
                               name="收入证明.pdf", content=PDF)
    call_command("backup", str(tmp_path / "backups"))
    archive = next((tmp_path / "backups").glob("bangfu-backup-*.tar"))
    assert (tmp_path / "backups" / f"{archive.name}.sha256").exists()

    media = tmp_path / "restored-media"
    call_command("restore", str(archive), "--database-url", fresh_database, "--media-root", str(media))

    target = dj_database_url.parse(fresh_database)
    source = counts_of(connection.settings_dict)
    restored = counts_of(target)
    assert restored == source and restored["registry_household"] >= 1 and restored["audit_auditentry"] >= 1
    originals = {p.relative_to(settings.MEDIA_ROOT): sha256_of(p) for p in Path(settings.MEDIA_ROOT).rglob("*")
                 if p.is_file()}
    copies = {p.relative_to(media): sha256_of(p) for p in media.rglob("*") if p.is_file()}
    assert copies == originals
    # Open the document as the restored system would: its row names the file, the file has its hash.
    from bangfu.common.backup import _open_raw

    raw = _open_raw(target)
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT file, sha256 FROM registry_document WHERE id = " + str(int(document.pk)))
        name, digest = cursor.fetchone()
    finally:
        raw.close()
    content = (media / name).read_bytes()
    assert content == PDF and hashlib.sha256(content).hexdigest() == digest

    with pytest.raises(CommandError, match="中已有数据"):  # never over a database in use
        call_command("restore", str(archive), "--database-url", fresh_database, "--media-root", str(tmp_path / "m3"))


def test_a_damaged_archive_is_refused_before_anything_is_touched(make_household, tmp_path, fresh_database):
    make_household()
    call_command("backup", str(tmp_path))
    archive = next(tmp_path.glob("bangfu-backup-*.tar"))
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="校验"):
        call_command("restore", str(archive), "--database-url", fresh_database, "--media-root", str(tmp_path / "m"))
    assert not (tmp_path / "m").exists()
