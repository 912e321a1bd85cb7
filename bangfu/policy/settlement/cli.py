"""`bangfu settle FILE|-` and `bangfu settle --jsonl`: the settlement format on the command line."""

from __future__ import annotations

import json
import sys
from typing import IO

from bangfu.policy.cli import BAD_INPUT, CHUNK, _lines, _read, dumps
from bangfu.policy.messages import cannot_read, line_prefix
from bangfu.policy.parameters import ParameterSet
from bangfu.policy.schema import InputError
from bangfu.policy.settlement import parse_bill, settle_documents


def settle_one(path: str, out: IO[str], parameters: ParameterSet | None = None) -> int:
    try:
        document = parse_bill(_read(path))
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return BAD_INPUT
    except OSError as exc:
        print(cannot_read(path, exc), file=sys.stderr)
        return BAD_INPUT
    out.write(dumps(settle_documents([document], parameters=parameters)[0]) + "\n")
    return 0


def settle_jsonl(path: str, out: IO[str], parameters: ParameterSet | None = None) -> int:
    """One answer per input line, in order; a bad line gets an error object in its place."""
    status = 0
    pending: list[tuple[int, object]] = []

    def flush() -> None:
        answers = iter(settle_documents([d for _, d in pending if not isinstance(d, InputError)],
                                        parameters=parameters))
        for number, item in pending:
            if isinstance(item, InputError):
                out.write(json.dumps({"line": number, "error": {"path": item.path, "message": item.message}},
                                     ensure_ascii=False) + "\n")
            else:
                out.write(dumps(next(answers)) + "\n")
        pending.clear()

    try:
        for number, line in _lines(path):
            try:
                pending.append((number, parse_bill(line)))
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
