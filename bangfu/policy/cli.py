"""The engine's command line: `bangfu assess FILE|-`, `--jsonl` batches, `settle`, `synth` and `assess-table`."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from bangfu.policy import assess_households
from bangfu.policy.answer_json import answer_json
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
        print(f"$: cannot read {path} ({exc.strerror})", file=sys.stderr)
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
        lines = []
        for number, item in pending:
            if isinstance(item, InputError):
                lines.append(json.dumps({"line": number, "error": {"path": item.path, "message": item.message}},
                                        ensure_ascii=False))
            else:
                lines.append(dumps(next(answers)))
        lines.append("")
        out.write("\n".join(lines))
        pending.clear()
        if refused:
            gc.collect()

    try:
        for number, line in _lines(path):
            try:
                pending.append((number, parse(line)))
            except InputError as exc:
                print(f"line {number}: {exc}", file=sys.stderr)
                pending.append((number, exc))
                status = BAD_INPUT
            if len(pending) >= CHUNK:
                flush()
        flush()
    except OSError as exc:
        print(f"$: cannot read {path} ({exc.strerror})", file=sys.stderr)
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bangfu", description="帮扶 policy engine (苏政办发[2019]2号)")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("assess", help="assess a household document (or JSON Lines with --jsonl)")
    a.add_argument("file", help="a JSON document, or - for standard input")
    a.add_argument("--jsonl", action="store_true", help="read JSON Lines, write one answer per line")
    a.add_argument("--parameters", metavar="FILE",
                   help="a parameter bundle written by `bangfu parameters export` (the figures of a running system)")
    m = sub.add_parser("settle", help="settle a medical bill (or JSON Lines of bills with --jsonl)")
    m.add_argument("file", help="a JSON document, or - for standard input")
    m.add_argument("--jsonl", action="store_true", help="read JSON Lines, write one answer per line")
    m.add_argument("--parameters", metavar="FILE",
                   help="a parameter bundle written by `bangfu parameters export` (the figures of a running system)")
    s = sub.add_parser("synth", help="write a synthetic population as Parquet")
    s.add_argument("--households", type=int, required=True)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--out", required=True)
    s.add_argument("--as-of", default="2024-06-01", help="the assessment date written into every household")
    s.add_argument("--partitions", type=int, default=1,
                   help="write a directory of this many Parquet files instead of one file")
    s.add_argument("--hardship-only", action="store_true", help="archived hardship households only")
    t = sub.add_parser("assess-table", help="assess a Parquet population: per-benefit totals by city")
    t.add_argument("file", help="a Parquet file, or a directory of Parquet files (a partitioned population)")
    t.add_argument("--scheduler", metavar="ADDRESS",
                   help="assess the partitions on the Dask cluster at ADDRESS (tcp://host:8786), "
                        "or 'local' for a local cluster of this machine's cores")
    t.add_argument("--out", help="write the totals as CSV here as well")
    t.add_argument("--no-progress", action="store_true")
    t.add_argument("--parameters", metavar="FILE",
                   help="assess with this parameter bundle (`bangfu parameters export`, or a what-if's figures)")
    t.add_argument("--against", metavar="FILE",
                   help="a second bundle (the figures in force): print the difference per benefit and city")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command in ("assess", "settle"):
        parameters = None
        if args.parameters:
            try:
                parameters = load_bundle(args.parameters)
            except OSError as exc:
                print(f"--parameters: 无法读取{args.parameters}({exc.strerror})", file=sys.stderr)
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
