"""`bangfu restore ARCHIVE`: database and media files back from a backup, every checksum verified first."""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections

from bangfu.common.backup import BackupError, backup_restore
from bangfu.common.commands import Command as ChineseCommand
from bangfu.policy.messages import cannot_read


class Command(ChineseCommand):
    help = ("把备份(bangfu backup)恢复到空的数据库和文件目录,并核对校验值和行数。默认恢复到本系统配置的数据库和目录,"
            "--database-url 和 --media-root 可另行指定")

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="备份文件", help="bangfu-backup-<时间>.tar(其 .sha256 放在旁边)")
        parser.add_argument("--database-url", metavar="数据库地址", help="改为恢复到这个数据库(须已存在且为空)")
        parser.add_argument("--media-root", metavar="目录", help="改为把文件恢复到这个目录")
        parser.add_argument("--force", action="store_true", help="目标中已有数据时覆盖")

    def handle(self, *args, archive, database_url=None, media_root=None, force=False, **options):
        db = dj_database_url.parse(database_url) if database_url else settings.DATABASES["default"]
        connections.close_all()  # nothing of this process holds the target open while it is replaced
        try:
            report = backup_restore(archive=Path(archive), db=db, media_root=Path(media_root or settings.MEDIA_ROOT),
                                    force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:  # no such archive, no permission: said in Chinese, not as a traceback
            raise CommandError(cannot_read(archive, exc, where="备份文件")) from exc
        self.stdout.write(f"已恢复{report['tables']}张表({report['rows']}行,与备份一致)和{report['files']}个文件")
