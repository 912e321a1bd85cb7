"""`bangfu restore ARCHIVE`: database and media files back from a backup, every checksum verified first."""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from bangfu.common.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore a backup (bangfu backup) into an empty database and media directory; checksums and row "
            "counts are checked. By default the configured ones; --database-url and --media-root name others.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the bangfu-backup-<time>.tar (its .sha256 beside it)")
        parser.add_argument("--database-url", help="restore into this database instead (it must exist, empty)")
        parser.add_argument("--media-root", help="restore the files into this directory instead")
        parser.add_argument("--force", action="store_true", help="replace a target that already holds data")

    def handle(self, *args, archive, database_url=None, media_root=None, force=False, **options):
        db = dj_database_url.parse(database_url) if database_url else settings.DATABASES["default"]
        connections.close_all()  # nothing of this process holds the target open while it is replaced
        try:
            report = backup_restore(archive=Path(archive), db=db, media_root=Path(media_root or settings.MEDIA_ROOT),
                                    force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {report['tables']} tables ({report['rows']} rows, counts as in the backup) "
                          f"and {report['files']} files")
