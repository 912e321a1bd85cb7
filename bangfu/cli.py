"""The `bangfu` command: the engine's subcommands, and Django's management commands for the service."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

ENGINE_COMMANDS = frozenset({"assess", "settle", "synth", "assess-table"})


def main(argv: list[str] | None = None) -> int:
    own_process = argv is None  # the console script (or python -m bangfu.cli), not a caller in its own process
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ENGINE_COMMANDS or not argv or argv[0] in {"-h", "--help"}:
        if own_process:  # before numpy's import: the engine's arrays need no BLAS threads, whose start at that
            os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # import cost 0.07 s of CPU (the user's wins)
        from bangfu.policy.cli import main as engine_main

        status = engine_main(argv)
        if own_process and ends_at_once(argv):
            exit_now(status)
        return status
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.config.settings.base")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()  # so that get_commands knows the apps' commands, not only Django's core ones

    if argv[0] == "help" and len(argv) > 1 and argv[1] in ENGINE_COMMANDS:
        from bangfu.policy.cli import main as engine_main

        return engine_main([argv[1], "--help"])
    asked = argv[1] if argv[0] == "help" and len(argv) > 1 and not argv[1].startswith("-") else argv[0]
    if asked not in get_commands() and asked not in ("help", "version", "--version"):
        # Django would answer "Unknown command" in English.
        print(f"未知的命令:{asked}(引擎命令见 bangfu --help,服务命令见 bangfu help)", file=sys.stderr)
        return 2
    if argv[0] == "help" and len(argv) == 1 or argv[0] == "help" and argv[1] in ("-h", "--help", "--commands"):
        print(overview())  # Django's own list is in English
        return 0

    execute_from_command_line(["bangfu", *argv])
    return 0


def ends_at_once(argv: list[str]) -> bool:
    """Whether the engine's command `argv` may end without the interpreter's teardown (`exit_now`): `assess-table`
    run in this process. A Dask run registers exit handlers; argparse takes any unambiguous prefix of `--scheduler`,
    and `--s` is one (no other option of the command starts so)."""
    return argv[0] == "assess-table" and not any(a.startswith("--s") for a in argv[1:])


def exit_now(status: int) -> NoReturn:
    """End the process once its output is written and flushed, without the interpreter's teardown.

    After `assess-table` the teardown freed the run's arrays and modules one by one: some 0.07 s of CPU of a
    10⁶-household run, for nothing the command still needs. Its files are closed and its read-ahead thread
    joined before this; it registers no exit handler (a Dask run, which does, ends the usual way). A flush that
    fails (a closed pipe) raises here as it would at exit."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def overview() -> str:
    """`bangfu help`: the engine's commands, bangfu's service commands with their Chinese help, then Django's own
    commands by name (their help stays as Django ships it)."""
    from django.core.management import get_commands, load_command_class

    from bangfu.policy.cli import parser

    engine = next(a for a in parser()._actions if getattr(a, "choices", None) and a.dest == "command")
    lines = ["用法:bangfu <命令> [选项]", "", "bangfu help <命令> 显示该命令的说明。", "", "政策计算引擎(不需要数据库):"]
    lines += [f"  {a.dest:<20}{a.help}" for a in engine._choices_actions]
    own, django_commands = [], []
    for name, app in sorted(get_commands().items()):
        if app.startswith("bangfu."):
            help_text = load_command_class(app, name).help
            own.append(f"  {name:<20}{help_text}")
        else:
            django_commands.append(name)
    lines += ["", "服务命令:", *own, "", "Django 自带的命令(说明为英文,见 bangfu help <命令>):"]
    lines += ["  " + "、".join(django_commands)]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
