"""The command line's JSON Lines mode: answers in order, a bad line refused in its place, exit status 2."""

import io
import json
from pathlib import Path

from bangfu.policy import cli
from bangfu.policy.table import HOUSEHOLD_COLUMNS, PERSON_COLUMNS, Population

EXAMPLE = Path(__file__).parents[3] / "shared/spec/examples/extreme-family.json"


def test_a_bad_line_gets_an_error_in_its_place_and_the_others_are_answered(tmp_path, capsys) -> None:
    good = json.loads(EXAMPLE.read_text())
    lines = tmp_path / "batch.jsonl"
    lines.write_text("\n".join([json.dumps(good), '{"as_of": "2019-02-30"}', "", json.dumps(good)]) + "\n")
    out = io.StringIO()
    assert cli.assess_jsonl(str(lines), out) == cli.BAD_INPUT
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r.get("region") for r in rows] == ["320102", None, "320102"]
    assert rows[1] == {"line": 2, "error": {"path": "as_of", "message": "日期2019-02-30不存在"}}
    assert capsys.readouterr().err.strip() == "第2行:as_of: 日期2019-02-30不存在"


def test_a_clean_batch_exits_zero_and_keeps_money_as_numbers(tmp_path) -> None:
    lines = tmp_path / "batch.jsonl"
    lines.write_text(EXAMPLE.read_text().replace("\n", "") + "\n")
    out = io.StringIO()
    assert cli.assess_jsonl(str(lines), out) == 0
    answer = json.loads(out.getvalue())
    assert isinstance(answer["total_cash"], float) and answer["total_cash"] > 0


def test_a_missing_file_is_bad_input(capsys) -> None:
    assert cli.assess_one("/no/such/file.json", io.StringIO()) == cli.BAD_INPUT
    assert capsys.readouterr().err == "$: 无法读取/no/such/file.json(文件不存在)\n"


def test_population_columns_are_the_dataclass_fields() -> None:
    from dataclasses import fields

    names = {f.name for f in fields(Population)} - {"member_ids"}
    assert names == set(HOUSEHOLD_COLUMNS) | set(PERSON_COLUMNS)


def test_the_fast_json_path_refuses_exactly_what_the_document_path_refuses() -> None:
    from test_bad_input import CASES

    from bangfu.policy.schema import InputError, parse_document, parse_json

    for doc, _paths, _ in CASES:
        try:
            text = doc if isinstance(doc, (str, bytes)) else json.dumps(doc, ensure_ascii=False)
        except TypeError:  # a case made of Python objects JSON cannot carry
            continue
        try:
            parse_document(text)
        except InputError as slow:
            try:
                parse_json(text)
            except InputError as fast:
                assert (fast.path, fast.message) == (slow.path, slow.message), text
            else:
                raise AssertionError(f"fast path accepted {text}")
        else:
            assert parse_json(text) == parse_document(text)


def test_json_lines_leave_the_cycle_collector_as_they_found_it(tmp_path) -> None:
    import gc

    lines = tmp_path / "batch.jsonl"
    lines.write_text(EXAMPLE.read_text().replace("\n", "") + "\n" + "not json\n")
    assert gc.isenabled()
    assert cli.assess_jsonl(str(lines), io.StringIO()) == cli.BAD_INPUT
    assert gc.isenabled()
    gc.disable()
    try:
        cli.assess_jsonl(str(lines), io.StringIO())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_any_malformed_line_gets_its_error_object_and_the_others_are_answered(tmp_path, capsys) -> None:
    """Version 2: a line nested 50,000 deep, a NaN, a NUL: each refused in its place, no traceback."""
    good = EXAMPLE.read_text().replace("\n", "")
    deep = '{"x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    nan = good.replace('"as_of"', '"noise": NaN, "as_of"', 1)
    nul = good.replace('"as_of"', '"remark": "a\\u0000b", "as_of"', 1)
    lines = tmp_path / "batch.jsonl"
    lines.write_text("\n".join([good, deep, nan, nul, "[" * 100_000, good]) + "\n")
    out = io.StringIO()
    assert cli.assess_jsonl(str(lines), out) == cli.BAD_INPUT
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r.get("region") for r in rows] == ["320102", None, None, None, None, "320102"]
    assert [r["error"]["path"] for r in rows[1:5]] == ["$", "noise", "remark", "$"]
    assert all(r["line"] == i for i, r in enumerate(rows[1:5], start=2))
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 4


def test_a_deeply_nested_document_on_the_command_line_exits_2_with_one_line(tmp_path, capsys) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"x": ' + "{" * 40_000 + "}" * 40_000 + "}")
    assert cli.assess_one(str(path), io.StringIO()) == cli.BAD_INPUT
    assert capsys.readouterr().err.strip().startswith("$: ")
