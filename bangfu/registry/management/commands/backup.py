"""`bangfu backup DIR`: the database and the media files (documents, import files) into one checked archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections

from bangfu.common.backup import BackupError, backup_create
from bangfu.common.commands import Command as ChineseCommand
from bangfu.policy.messages import os_reason


class Command(ChineseCommand):
    help = "把数据库和上传的文件一起备份(一个含清单的 .tar 及其 .sha256 校验文件)"

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="目录", help="写入 bangfu-backup-<时间>.tar 及其 .sha256 的目录")

    def handle(self, *args, directory, **options):
        try:
            archive = backup_create(out_dir=Path(directory), db=settings.DATABASES["default"],
                                    django_connection=connections["default"], media_root=Path(settings.MEDIA_ROOT))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"无法写入{directory}({os_reason(exc, '写入失败')})") from exc
        self.stdout.write(f"已写入备份:{archive}\n校验文件:{archive}.sha256")
