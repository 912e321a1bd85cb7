"""The command line answers bad input in Chinese (issue 17): `bangfu --help`, `bangfu help`, the engine's and
bangfu's own service commands — argparse's words, Django's options of every command, the errors — run as a user
runs them, in a process of their own. Option names, argument values, field paths and codes stay as they are;
Django's own commands (migrate, …) stay as Django ships them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT.parent / "shared/spec/examples/extreme-family.json"
# What may stay ASCII in a message: the program and its commands, file kinds and formats the user types.
ALLOWED = {"bangfu", "assess", "settle", "synth", "backup", "restore", "demo", "parameters", "help", "export",
           "JSON", "Lines", "YYYY", "MM", "DD", "tar", "sha256", "as_of", "Parquet", "CSV", "UTF"}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base"}
    return subprocess.run([sys.executable, "-m", "bangfu.cli", *args], capture_output=True, text=True, input=stdin,
                          env=env, cwd=ROOT, timeout=120)


def english_words(text: str, *typed: str) -> list[str]:
    """ASCII words left once option names (-x, --name), what the user typed, quoted values and codes (「…」,
    '…'), paths and field paths (members[1].birth_date:) are taken out."""
    for value in typed:
        text = text.replace(value, " ")
    text = re.sub(r"「[^」]*」|'[^']*'|(?<![\w])-{1,2}[\w-]+|/\S+|\{[^}]*\}", " ", text)
    text = re.sub(r"(?m)^[\w\[\].]+: ", " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_]+", text) if w not in ALLOWED]


@pytest.fixture(scope="module")
def bad_document(tmp_path_factory) -> str:
    document = json.loads(EXAMPLE.read_text())
    document["members"][1]["birth_date"] = "2099-01-01"
    document["members"][0]["employment"] = "boss"
    path = tmp_path_factory.mktemp("cli") / "bad.json"
    path.write_text(json.dumps(document))
    return str(path)


BAD_INPUTS = [
    ("assess",),
    ("assess", "/no/such/file.json"),
    ("assess", "-"),  # not JSON on stdin
    ("assess", "--nope", "x.json"),
    ("synth", "--households", "many", "--out", "/tmp/x"),
    ("synth", "--households", "1", "--as-of", "2024-13-01", "--out", "/tmp/x"),
    ("settle", "--jsonl"),
    ("backup",),
    ("restore", "/no/such/backup.tar"),
    ("demo", "--households", "many"),
    ("parameters", "import"),
    ("no-such-command",),
    ("help", "no-such-command"),
]


@pytest.mark.parametrize("args", BAD_INPUTS, ids=" ".join)
def test_bad_input_is_refused_in_chinese(args):
    done = run(*args, stdin="{not json")
    assert done.returncode != 0 and done.stderr.strip(), done
    assert re.search(r"[\u4e00-\u9fff]", done.stderr)
    assert "Traceback" not in done.stderr and "CommandError" not in done.stderr
    assert english_words(done.stderr, *args) == [], done.stderr


def test_a_bad_document_names_its_fields_in_chinese(bad_document):
    done = run("assess", bad_document)
    assert done.returncode == 2
    assert done.stderr.startswith("members[")
    assert "晚于评估日期as_of" in done.stderr or "取值无效" in done.stderr
    assert english_words(done.stderr, bad_document) == [], done.stderr


@pytest.mark.parametrize("args", [("--help",), ("help",), ("help", "backup"), ("help", "assess"), ("synth", "-h"),
                                  ("restore", "--help")], ids=" ".join)
def test_help_is_in_chinese(args):
    done = run(*args)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for english in ("usage:", "options:", "positional arguments", "show this help", "Verbosity level",
                    "Type 'bangfu help", "Available subcommands", "Back up the database", "Restore a backup"):
        assert english not in out, (english, out)
    if args == ("help",):  # the engine's commands, then bangfu's own with their help, Django's by name
        assert "政策计算引擎" in out and "服务命令:" in out and "把数据库和上传的文件一起备份" in out
        assert re.search(r"^  assess +评估一户家庭", out, re.M) and "migrate" in out
    if args == ("--help",):
        assert "bangfu help" in out and "子命令" in out
    if args != ("help",):
        assert out.startswith("用法:bangfu ") and "显示本帮助并退出" in out
    if "backup" in args or "restore" in args:  # Django's options of every command, in Chinese for bangfu's own
        assert "输出的详细程度" in out and "--settings 模块" in out
