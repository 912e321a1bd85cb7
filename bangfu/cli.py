"""The `bangfu` command: the engine's subcommands, and Django's management commands for the service."""

from __future__ import annotations

import os
import sys

ENGINE_COMMANDS = frozenset({"assess", "settle", "synth", "assess-table"})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ENGINE_COMMANDS or not argv or argv[0] in {"-h", "--help"}:
        from bangfu.policy.cli import main as engine_main

        return engine_main(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.config.settings.base")
    from django.core.management import execute_from_command_line, get_commands

    if argv[0] not in get_commands() and argv[0] not in ("help", "version", "--version"):
        # Django would answer "Unknown command" in English.
        print(f"未知的命令:{argv[0]}(引擎命令见 bangfu --help,服务命令见 bangfu help)", file=sys.stderr)
        return 2

    execute_from_command_line(["bangfu", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
