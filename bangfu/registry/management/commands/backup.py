"""`bangfu backup DIR`: the database and the media files (documents, import files) into one checked archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from bangfu.common.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the media files together (a .tar with a manifest, and its .sha256)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write bangfu-backup-<time>.tar and its .sha256")

    def handle(self, *args, directory, **options):
        try:
            archive = backup_create(out_dir=Path(directory), db=settings.DATABASES["default"],
                                    django_connection=connections["default"], media_root=Path(settings.MEDIA_ROOT))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {archive}\nchecksum: {archive}.sha256")
