"""The engine's command line: `bangfu assess FILE|-`, `--jsonl` batches, `settle`, `synth` and `assess-table`."""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from bangfu.policy import assess_households
from bangfu.policy.answer_json import answer_json, answers_jsonl
from bangfu.policy.messages import cannot_read, line_prefix
from bangfu.policy.parameters import ParameterError, ParameterSet, load_bundle
from bangfu.policy.schema import InputError, parse_document, parse_json

BAD_INPUT = 2
# Lines assessed together: enough that numpy's calls are shared, few enough that the chunk's documents and
# answers stay in the allocator's reused memory (20,000 hardship answers took 240 MiB, fresh pages each).
CHUNK = 2_000

Parse = Callable[[bytes], object]  # one document's bytes → the engine's input, or InputError
Answer = Callable[[list], list[dict]]  # a batch of inputs → their answers, in order


def dumps(answer: dict) -> str:
    """An answer as JSON, byte for byte what the API and the household page send (`answer_json`)."""
    return answer_json(answer)


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as fh:
        return fh.read()


def document_command(path: str, out: IO[str], parse: Parse, answer: Answer) -> int:
    """One document from a file (or `-`) through the engine: its answer on `out`, or the refusal on stderr."""
    try:
        document = parse(_read(path))
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return BAD_INPUT
    except OSError as exc:
        print(cannot_read(path, exc), file=sys.stderr)
        return BAD_INPUT
    out.write(dumps(answer([document])[0]) + "\n")
    return 0


def assess_one(path: str, out: IO[str], parameters: ParameterSet | None = None) -> int:
    return document_command(path, out, parse_document, lambda hs: assess_households(hs, parameters=parameters))


def _lines(path: str) -> Iterator[tuple[int, bytes]]:
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    with stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield number, line


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Python's cycle collector off while chunks are assessed.

    A chunk keeps some 10⁵ objects alive (documents, columns, answers) and makes no reference cycles
    but those a refused line leaves (an exception and its frames); the collector's full passes over
    the live objects took a quarter of a 10⁴-line run. `jsonl_command` collects once per chunk that
    had a refused line instead.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def jsonl_command(path: str, out: IO[str], parse: Parse, answer: Answer) -> int:
    """JSON Lines through the engine (assessment or settlement): one answer per input line, in order, in chunks of
    CHUNK documents; a bad line gets an error object in its place and the exit status BAD_INPUT."""
    with _no_cyclic_gc():
        return _jsonl(path, out, parse, answer)


def _jsonl(path: str, out: IO[str], parse: Parse, answer: Answer) -> int:
    status = 0
    pending: list[tuple[int, object]] = []

    def flush() -> None:
        documents = [d for _, d in pending if not isinstance(d, InputError)]
        answers = iter(answer(documents))
        refused = len(documents) < len(pending)
        lines: list[dict | str] = []
        for number, item in pending:
            if isinstance(item, InputError):
                lines.append(json.dumps({"line": number, "error": {"path": item.path, "message": item.message}},
                                        ensure_ascii=False))
            else:
                lines.append(next(answers))
        out.write(answers_jsonl(lines))
        pending.clear()
        if refused:
            gc.collect()

    try:
        for number, line in _lines(path):
            try:
                pending.append((number, parse(line)))
            except InputError as exc:
                print(f"{line_prefix(number)}:{exc}", file=sys.stderr)
                pending.append((number, exc))
                status = BAD_INPUT
            if len(pending) >= CHUNK:
                flush()
        flush()
    except OSError as exc:
        print(cannot_read(path, exc), file=sys.stderr)
        return BAD_INPUT
    return status


def assess_jsonl(path: str, out: IO[str], parameters: ParameterSet | None = None) -> int:
    """One answer per input line, in order; a bad line gets an error object in its place."""
    return jsonl_command(path, out, parse_json, lambda hs: assess_households(hs, parameters=parameters))


def _synth(args: argparse.Namespace) -> int:
    from bangfu.policy.synth import write_population

    write_population(args.households, args.seed, args.out, as_of=args.as_of, partitions=args.partitions,
                     hardship_only=args.hardship_only)
    return 0


def _assess_table(args: argparse.Namespace) -> int:
    from bangfu.policy.bulk import assess_table_command

    return assess_table_command(args)


def integer(text: str) -> int:
    return int(text)


def iso_date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# argparse names a type by its __name__: "无效的整数值:'x'", not "invalid int value: 'x'".
integer.__name__, iso_date.__name__ = "整数", "日期(YYYY-MM-DD)"
SERVICE_HINT = "服务命令(迁移数据库、演示数据、备份与恢复、导出参数包等)见 bangfu help"


def parser() -> argparse.ArgumentParser:
    chinese_argparse()
    p = argparse.ArgumentParser(prog="bangfu", description="帮扶政策计算引擎(苏政办发[2019]2号)", epilog=SERVICE_HINT)
    sub = p.add_subparsers(dest="command", required=True, title="子命令")
    bundle = "参数包(`bangfu parameters export` 导出的运行系统中的标准)"
    a = sub.add_parser("assess", help="评估一户家庭的文档(加 --jsonl 则逐行评估 JSON Lines)")
    a.add_argument("file", metavar="文件", help="JSON 文档,- 表示标准输入")
    a.add_argument("--jsonl", action="store_true", help="读取 JSON Lines,每行输出一个答复")
    a.add_argument("--parameters", metavar="参数包", help=bundle)
    m = sub.add_parser("settle", help="结算一张医疗费用单据(加 --jsonl 则逐行结算)")
    m.add_argument("file", metavar="文件", help="JSON 文档,- 表示标准输入")
    m.add_argument("--jsonl", action="store_true", help="读取 JSON Lines,每行输出一个答复")
    m.add_argument("--parameters", metavar="参数包", help=bundle)
    s = sub.add_parser("synth", help="生成模拟人口(Parquet)")
    s.add_argument("--households", type=integer, required=True, metavar="户数", help="生成的户数")
    s.add_argument("--seed", type=integer, default=1, metavar="种子", help="随机种子")
    s.add_argument("--out", required=True, metavar="路径", help="输出文件或目录")
    s.add_argument("--as-of", type=iso_date, default="2024-06-01", metavar="日期", help="写入每户的评估日期(YYYY-MM-DD)")
    s.add_argument("--partitions", type=integer, default=1, metavar="个数", help="写成含这么多个 Parquet 文件的目录,而不是一个文件")
    s.add_argument("--hardship-only", action="store_true", help="只生成已建档的困难家庭")
    t = sub.add_parser("assess-table", help="评估 Parquet 人口:按设区市汇总各项待遇")
    t.add_argument("file", metavar="路径", help="Parquet 文件,或 Parquet 文件目录(分区人口)")
    t.add_argument("--scheduler", metavar="地址",
                   help="在该地址的 Dask 集群上评估各分区(tcp://host:8786),local 表示用本机各核的本地集群")
    t.add_argument("--out", metavar="文件", help="同时把汇总写成 CSV")
    t.add_argument("--no-progress", action="store_true", help="不显示进度")
    t.add_argument("--parameters", metavar="参数包", help="用这个参数包评估(`bangfu parameters export`,或测算的标准)")
    t.add_argument("--against", metavar="参数包", help="第二个参数包(现行标准):按待遇和设区市列出差额")
    return p


# argparse's own words (Python 3.11), read through its module-level `_`: in Chinese, as every message the
# command line shows. A phrase not listed stays as argparse has it.
ARGPARSE_WORDS = {
    "usage: ": "用法:",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数:%s",
    "unrecognized arguments: %s": "无法识别的参数:%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误:%(message)s\n",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项:%(value)r(可选:%(choices)s)",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值:%(value)r",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s:%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确:%(option)s 可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同用",
    "ignored explicit argument %r": "忽略了显式参数 %r",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "unexpected option string: %s": "意外的选项:%s",
    "expected %s argument": "需要%s个值",
    "expected %s arguments": "需要%s个值",
    "conflicting option string: %s": "选项冲突:%s",
    "conflicting option strings: %s": "选项冲突:%s",
}


def chinese_argparse() -> None:
    """argparse in Chinese for this process (its messages go through `argparse._`, gettext by default)."""
    if getattr(argparse, "_bangfu_chinese", False):
        return
    original, original_n = argparse._, argparse.ngettext
    argparse._ = lambda text: ARGPARSE_WORDS.get(text) or original(text)
    argparse.ngettext = lambda one, many, n: ARGPARSE_WORDS.get(one if n == 1 else many) or original_n(one, many, n)
    argparse._bangfu_chinese = True


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command in ("assess", "settle"):
        parameters = None
        if args.parameters:
            try:
                parameters = load_bundle(args.parameters)
            except OSError as exc:
                print(cannot_read(args.parameters, exc, where="--parameters"), file=sys.stderr)
                return BAD_INPUT
            except ParameterError as exc:
                print(f"--parameters: {exc}", file=sys.stderr)
                return BAD_INPUT
        if args.command == "assess":
            return (assess_jsonl if args.jsonl else assess_one)(args.file, sys.stdout, parameters)
        from bangfu.policy.settlement.cli import settle_jsonl, settle_one

        return (settle_jsonl if args.jsonl else settle_one)(args.file, sys.stdout, parameters)
    if args.command == "synth":
        return _synth(args)
    return _assess_table(args)


if __name__ == "__main__":
    sys.exit(main())
