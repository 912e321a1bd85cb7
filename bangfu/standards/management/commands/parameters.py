"""`bangfu parameters export [--out FILE]`: the running system's parameters (the engine's with every
administrator's standard) as a bundle for `bangfu assess --parameters FILE`."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from bangfu.common import clock
from bangfu.common.commands import Command as ChineseCommand
from bangfu.standards.selectors import parameter_bundle


class Command(ChineseCommand):
    help = "导出本系统当前使用的全部政策参数(含管理员确认和新增的标准),供 bangfu assess --parameters 使用"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export"], metavar="操作", help="export:导出参数包")
        parser.add_argument("--out", metavar="文件", help="写入该文件(默认输出到标准输出)")

    def handle(self, *args, action: str, out: str | None = None, **options):
        bundle = {**parameter_bundle(), "exported_at": clock.local_now().isoformat(timespec="seconds")}
        text = json.dumps(bundle, ensure_ascii=False, indent=1, default=str) + "\n"  # a date in a reference: ISO text
        if not out:
            self.stdout.write(text, ending="")
            return
        try:
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise CommandError(f"无法写入{out}:{exc.strerror}") from exc
        self.stderr.write(f"已导出{len(bundle['parameters'])}个参数到{out}")
