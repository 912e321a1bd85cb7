"""No app imports another app's private names (`_name`): what an app offers others is public, or is not offered."""

from __future__ import annotations

import ast
from pathlib import Path

import bangfu

ROOT = Path(bangfu.__file__).parent


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "bangfu" else parts[0]


def test_no_app_imports_another_apps_private_names():
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        own = path.relative_to(ROOT).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                    node.module.startswith("bangfu.") and _package(node.module) != own):
                found += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []
