"""The spreadsheet reader (.xlsx, .xls, .xlsb, .ods): python-calamine in a child process with a memory and time cap.

calamine (Rust) reads a sheet into one dense block of rows × columns, so a few-kilobyte file with one cell at A1 and
another at XFD1048576 asks for hundreds of gigabytes, and a failed allocation aborts the whole process, which no
Python `except` can catch. Reading in a child process bounded by `RLIMIT_AS` turns that, a crash or a hang into a
refusal of the file while the worker carries on. Formula cells give the value the spreadsheet program saved, never
the formula, and nothing is computed; macros are never read.

Parent side: `read(content, wanted, ...)`. Child side (this file run as a script): the workbook on
standard input, the answer on standard output as `marshal` data (built-in types only: dates travel as tagged
tuples). No Django here: the child starts in a tenth of a second.
"""

from __future__ import annotations

import datetime
import io
import marshal
import subprocess
import sys


class Outcome(Exception):
    """What the child could not do, as a code for the parent to word: missing, rows, password, unreadable, crashed."""

    def __init__(self, code: str, detail=None):
        super().__init__(code, detail)
        self.code, self.detail = code, detail


def read(content: bytes, wanted: tuple[str, ...], *, max_rows: int, memory: int,
         seconds: int) -> dict[str, list[tuple[int, list]]]:
    """{sheet: [(row number, values)]} of the non-empty rows of each wanted sheet, the header row first."""
    # The file runs as a script (stdlib and python_calamine only), so the child needs no package on its path.
    # -I: no environment, no user site, and not this file's directory on the path (selectors.py there would
    # shadow the standard library's).
    command = [sys.executable, "-I", __file__, str(max_rows), str(memory), str(seconds), *wanted]
    try:
        done = subprocess.run(command, input=content, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired as exc:
        raise Outcome("crashed", "timeout") from exc
    if done.returncode != 0 or not done.stdout:
        stderr = done.stderr.decode("utf-8", "replace")  # the first lines name an abort, the last a traceback
        raise Outcome("crashed", f"exit {done.returncode}: {stderr[:300]} … {stderr[-700:]}")
    answer = marshal.loads(done.stdout)
    if answer[0] != "ok":
        raise Outcome(answer[0], answer[1])
    # Only rows holding a date or a date-and-time (flagged by the child) need decoding.
    return {name: [(number, [_decode(v) for v in values] if dated else values) for number, values, dated in rows]
            for name, rows in answer[1].items()}


def _decode(value):
    if type(value) is tuple:
        return datetime.date.fromordinal(value[1]) if value[0] == "d" else datetime.datetime.fromisoformat(value[1])
    return value


def _encode(value):
    if type(value) is str:
        return value if value else None
    if type(value) is float:
        return int(value) if value.is_integer() else value
    if isinstance(value, datetime.datetime):
        return ("t", value.isoformat())
    if isinstance(value, datetime.date):
        return ("d", value.toordinal())
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    return value  # bool, int


def _rows(sheet, name: str, max_rows: int) -> list[tuple[int, list, bool]]:
    # The rows from the first one holding data (`start`), which gives their numbers in the file.
    first = sheet.start[0] + 1 if sheet.start else 1
    out = []
    for index, values in enumerate(sheet.to_python(skip_empty_area=True)):
        # Text is most cells: kept as it is without a call (empty text is an empty cell, None).
        encoded = [(v or None) if type(v) is str else _encode(v) for v in values]
        if encoded.count(None) == len(encoded):
            continue
        out.append((first + index, encoded, tuple in map(type, encoded)))
        if len(out) > max_rows + 1:  # the header row is not counted
            raise Outcome("rows", name)
    return out


def _child(max_rows: int, wanted: list[str]) -> tuple:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
    except PasswordError:
        return ("password", None)
    except CalamineError as exc:  # a file calamine cannot read (anything else is a bug: it ends the child)
        return ("unreadable", f"{type(exc).__name__}: {exc}")
    with book:
        missing = [name for name in wanted if name not in book.sheet_names]
        if missing:
            return ("missing", missing[0])
        try:
            return ("ok", {name: _rows(book.get_sheet_by_name(name), name, max_rows) for name in wanted})
        except Outcome as outcome:
            return (outcome.code, outcome.detail)
        except CalamineError as exc:
            return ("unreadable", f"{type(exc).__name__}: {exc}")


def main(argv: list[str]) -> None:
    import resource

    max_rows, memory, seconds, wanted = int(argv[0]), int(argv[1]), int(argv[2]), argv[3:]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    sys.stdout.buffer.write(marshal.dumps(_child(max_rows, wanted)))


if __name__ == "__main__":
    main(sys.argv[1:])
