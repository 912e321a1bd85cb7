"""The base of bangfu's own management commands: their help and their errors in Chinese, as the engine's
(`bangfu.policy.cli.chinese_argparse` for argparse's words). Django's own commands stay as Django ships them."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from bangfu.policy.cli import chinese_argparse

# The options Django gives every command, by dest: their help in Chinese, and a Chinese placeholder for a value.
DEFAULT_OPTIONS: dict[str, tuple[str, str | None]] = {
    "version": ("显示版本号并退出", None),
    "verbosity": ("输出的详细程度:0 最少,1 正常,2 详细,3 非常详细", None),
    "settings": ("设置模块(如 bangfu.config.settings.production);不给时用环境变量 DJANGO_SETTINGS_MODULE", "模块"),
    "pythonpath": ("加入模块搜索路径的目录", "目录"),
    "traceback": ("出错时显示完整的调用栈", None),
    "no_color": ("输出不加颜色", None),
    "force_color": ("输出强制加颜色", None),
    "skip_checks": ("跳过系统检查", None),
}
ERROR = "错误:{}"


class Command(BaseCommand):
    """A bangfu command: argparse's words and Django's options in Chinese; a `CommandError` printed as 错误:…
    (Django would print the class name `CommandError:` before it), with its exit status."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        chinese_argparse()
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        for action in parser._actions:
            if action.dest in DEFAULT_OPTIONS:
                action.help, metavar = DEFAULT_OPTIONS[action.dest]
                if metavar is not None:
                    action.metavar = metavar
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if options.get("traceback") or not getattr(self, "_called_from_command_line", False):
                raise  # call_command (and --traceback) get the exception itself
            self.stderr.write(ERROR.format(exc))
            sys.exit(exc.returncode)
