"""`bangfu settle FILE|-` and `bangfu settle --jsonl`: the settlement format on the command line (the assessment's
commands, `bangfu.policy.cli`, with the settlement's parser and engine)."""

from __future__ import annotations

from typing import IO

from bangfu.policy.cli import document_command, jsonl_command
from bangfu.policy.parameters import ParameterSet
from bangfu.policy.settlement import parse_bill, settle_documents


def settle_one(path: str, out: IO[str], parameters: ParameterSet | None = None) -> int:
    return document_command(path, out, parse_bill, lambda bills: settle_documents(bills, parameters=parameters))


def settle_jsonl(path: str, out: IO[str], parameters: ParameterSet | None = None) -> int:
    """One answer per input line, in order; a bad line gets an error object in its place."""
    return jsonl_command(path, out, parse_bill, lambda bills: settle_documents(bills, parameters=parameters))
