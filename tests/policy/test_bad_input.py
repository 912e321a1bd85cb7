"""The spec's "Bad input" rules: every one refused as a whole, naming the first bad field by its path.

Each case is checked through `assess` (InputError.path) and, for the first case of each rule, through the
command line (`bangfu assess -`: status 2, nothing on stdout, one line on stderr starting with the path).
Messages are the engine's to word; only paths are asserted.
"""

from __future__ import annotations

import copy
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pytest
from policy_documents import BANGFU, DELETE, bad, text


def _nested(levels: int) -> object:
    """A value `levels` lists deep: inside a document (level 1) it reaches level `levels` + 1."""
    value: object = 1
    for _ in range(levels):
        value = [value]
    return value


RULES: dict[str, list[tuple[str, object, set[str]]]] = {
    "required field missing": [
        (f"no {field}", bad((field, DELETE)), {field}) for field in ("as_of", "region", "category", "archived", "members")
    ] + [
        (f"no members[1].{field}", bad((f"members[1].{field}", DELETE)), {f"members[1].{field}"})
        for field in ("id", "relation", "sex", "birth_date")
    ] + [
        (f"no school {field}", bad((f"members[2].school.{field}", DELETE)), {f"members[2].school.{field}"})
        for field in ("stage", "year", "institution")
    ] + [
        (f"no business {field}", bad((f"members[0].business.{field}", DELETE)), {f"members[0].business.{field}"})
        for field in ("kind", "registered_on")
    ],
    "wrong type": [
        ("a string for a number", bad(("monthly_income", "1800")), {"monthly_income"}),
        ("3.0 for an integer school year", bad(("members[2].school.year", 3.0)), {"members[2].school.year"}),
        ('"true" for a bool', bad(("archived", "true")), {"archived"}),
        ("a string for the CPI", bad(("cpi_yoy_percent", "2.1")), {"cpi_yoy_percent"}),
        ("1 for a bool", bad(("dibao", 1)), {"dibao"}),
        ("true for a number", bad(("monthly_income", True)), {"monthly_income"}),
        ("2.0 employees", bad(("members[0].business.employees", 2.0)), {"members[0].business.employees"}),
        ("true employees", bad(("members[0].business.employees", True)), {"members[0].business.employees"}),
        ('"1" as disability grade', bad(("members[1].disability_grade", "1")), {"members[1].disability_grade"}),
        ("1.0 as disability grade", bad(("members[1].disability_grade", 1.0)), {"members[1].disability_grade"}),
        ('"yes" for willing_to_work', bad(("members[0].willing_to_work", "yes")), {"members[0].willing_to_work"}),
        ('"true" for excellent', bad(("members[2].school.excellent", "true")), {"members[2].school.excellent"}),
        ("a number for the region", bad(("region", 320102)), {"region"}),
        ("a number for as_of", bad(("as_of", 20190601)), {"as_of"}),
        ("a number for an id", bad(("members[1].id", 7)), {"members[1].id"}),
        ("an object for members", bad(("members", {"f": {}})), {"members"}),
        ("a string for a member", bad(("members[1]", "w")), {"members[1]"}),
        ("a string for a school", bad(("members[2].school", "primary")), {"members[2].school"}),
        ("a string for the causes", bad(("hardship_causes", "illness")), {"hardship_causes"}),
    ],
    "value outside its enumeration": [
        ("category poor", bad(("category", "poor")), {"category"}),
        ("relation cousin", bad(("members[1].relation", "cousin")), {"members[1].relation"}),
        ("sex other", bad(("members[1].sex", "other")), {"members[1].sex"}),
        ("employment freelance", bad(("members[0].employment", "freelance")), {"members[0].employment"}),
        ("work ability some", bad(("members[0].work_ability", "some")), {"members[0].work_ability"}),
        ("retirement group female_60", bad(("members[1].retirement_group", "female_60")), {"members[1].retirement_group"}),
        ("stage kindergarten", bad(("members[2].school.stage", "kindergarten")), {"members[2].school.stage"}),
        ("institution private", bad(("members[2].school.institution", "private")), {"members[2].school.institution"}),
        ("business kind shop", bad(("members[0].business.kind", "shop")), {"members[0].business.kind"}),
        ("premises home", bad(("members[0].business.premises", "home")), {"members[0].business.premises"}),
        ("a cause flood", bad(("hardship_causes", ["illness", "flood"])), {"hardship_causes[1]"}),
        ("category in capitals", bad(("category", "HARDSHIP")), {"category"}),
    ],
    "value outside its range": [
        ("disability grade 5", bad(("members[1].disability_grade", 5)), {"members[1].disability_grade"}),
        ("disability grade 0", bad(("members[1].disability_grade", 0)), {"members[1].disability_grade"}),
        ("school year 0", bad(("members[2].school.year", 0)), {"members[2].school.year"}),
        ("school year -1", bad(("members[2].school.year", -1)), {"members[2].school.year"}),
        ("negative income", bad(("monthly_income", -0.01)), {"monthly_income"}),
        ("employees -1", bad(("members[0].business.employees", -1)), {"members[0].business.employees"}),
        ("no member at all", bad(("members", [])), {"members"}),
    ],
    "null where not allowed": [
        (f"{path} null", bad((path, None)), {path})
        for path in ("as_of", "region", "category", "archived", "dibao", "monthly_income", "hardship_causes",
                     "cpi_yoy_percent", "members", "members[1].sex", "members[1].birth_date", "members[1].employment",
                     "members[0].retirement_group", "members[0].willing_to_work", "members[2].school.year",
                     "members[0].business.registered_on", "members[0].business.employees")
    ],
    "impossible date": [
        ("as_of 2019-02-30", bad(("as_of", "2019-02-30")), {"as_of"}),
        ("birth on 29 February 2001", bad(("members[1].birth_date", "2001-02-29")), {"members[1].birth_date"}),
        ("business registered on 31 April", bad(("members[0].business.registered_on", "2019-04-31")),
         {"members[0].business.registered_on"}),
        ("month 13", bad(("as_of", "2019-13-01")), {"as_of"}),
        ("not YYYY-MM-DD", bad(("as_of", "2019-6-1")), {"as_of"}),
        ("slashes", bad(("members[1].birth_date", "1977/02/02")), {"members[1].birth_date"}),
        ("a date and time", bad(("as_of", "2019-06-01T00:00:00")), {"as_of"}),
    ],
    "date after as_of": [
        ("birth the day after as_of", bad(("members[1].birth_date", "2019-06-02")), {"members[1].birth_date"}),
        ("business registered after as_of", bad(("members[0].business.registered_on", "2019-06-02")),
         {"members[0].business.registered_on"}),
    ],
    "region not an existing Jiangsu division": [
        ("Shanghai", bad(("region", "310101")), {"region"}),
        ("the province 320000", bad(("region", "320000")), {"region"}),
        ("the placeholder 320101", bad(("region", "320101")), {"region"}),
        ("320613 before 2020", bad(("region", "320613")), {"region"}),
        ("320602 from 2020", bad(("as_of", "2020-06-01"), ("region", "320602")), {"region"}),
        ("白下区 320103, merged in 2013", bad(("region", "320103")), {"region"}),
        ("five digits", bad(("region", "32010")), {"region"}),
        ("seven digits", bad(("region", "3201020")), {"region"}),
        ("letters", bad(("region", "32O102")), {"region"}),
    ],
    "two members with one id": [
        ("f twice", bad(("members[1].id", "f")), {"members[1].id", "members"}),
        ("w twice", bad(("members[2].id", "w")), {"members[2].id", "members"}),
    ],
    "not exactly one self": [
        ("no self", bad(("members[0].relation", "other")), {"members"}),
        ("two selves", bad(("members[1].relation", "self")), {"members", "members[1].relation"}),
    ],
    "retirement group contradicting sex": [
        ("a man as female_50", bad(("members[0].retirement_group", "female_50")), {"members[0].retirement_group"}),
        ("a man as female_55", bad(("members[0].retirement_group", "female_55")), {"members[0].retirement_group"}),
        ("a woman as male", bad(("members[1].retirement_group", "male")), {"members[1].retirement_group"}),
    ],
    "text that is not a JSON document": [
        ("not JSON", "{as_of: 2019-06-01", {"$"}),
        ("empty text", "", {"$"}),
        ("a JSON list", "[1, 2]", {"$"}),
        ("JSON null", "null", {"$"}),
        ("invalid UTF-8", b'{"as_of": "\xff"}', {"$"}),
    ],
    # Version 2.
    "a number that is not finite": [
        ("NaN income", text(bad(("monthly_income", float("nan")))), {"monthly_income"}),
        ("Infinity as CPI", text(bad(("cpi_yoy_percent", float("inf")))), {"cpi_yoy_percent"}),
        ("1e400 overflows to infinity", text(bad(("monthly_income", 0.0))).replace(b'"monthly_income": 0.0',
                                                                                     b'"monthly_income": 1e400'),
         {"monthly_income"}),
        ("-Infinity in an unknown field", text(bad(("note", float("-inf")))), {"note"}),
        ("NaN inside a list of an unknown field", text(bad(("extra", [1, float("nan")]))), {"extra[1]"}),
    ],
    "a string holding the NUL character": [
        ("NUL in a member id", bad(("members[1].id", "w\x00")), {"members[1].id"}),
        ("NUL in the region", bad(("region", "320102\x00")), {"region"}),
        ("NUL in an unknown field", bad(("remark", "a\x00b")), {"remark"}),
        ("NUL written as an escape in JSON text", b'{"as_of": "2019-06-01\\u0000"}', {"as_of"}),
    ],
    "nesting deeper than 32 levels": [
        ("33 levels in an unknown field", bad(("deep", _nested(32))), {"$"}),
        ("50,000 levels as JSON text", b'{"x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", {"$"}),
        ("50,000 objects deep", b'{"x": ' + b'{"y": ' * 50_000 + b"1" + b"}" * 50_000 + b"}", {"$"}),
    ],
    "values past the bounds": [
        ("as_of in 1994", bad(("as_of", "1994-12-31")), {"as_of"}),
        ("as_of in 2101", bad(("as_of", "2101-01-01")), {"as_of"}),
        ("born in 1899", bad(("members[1].birth_date", "1899-12-31")), {"members[1].birth_date"}),
        ("income over a hundred million", bad(("monthly_income", 100_000_000.01)), {"monthly_income"}),
        ("CPI over 100", bad(("cpi_yoy_percent", 100.1)), {"cpi_yoy_percent"}),
        ("CPI under -100", bad(("cpi_yoy_percent", -100.5)), {"cpi_yoy_percent"}),
        ("school year 11", bad(("members[2].school.year", 11)), {"members[2].school.year"}),
        ("a million and one employees", bad(("members[0].business.employees", 1_000_001)),
         {"members[0].business.employees"}),
        ("an unknown cause", bad(("hardship_causes", ["accident", "flood"])), {"hardship_causes[1]"}),
    ],
    "first error in document order": [
        ("an impossible birth date before a school year 0",
         bad(("members[0].birth_date", "2019-02-30"), ("members[2].school.year", 0)), {"members[0].birth_date"}),
        ("a bad region before a missing sex", bad(("region", "999999"), ("members[1].sex", DELETE)), {"region"}),
        ("a bad as_of before a bad category", bad(("as_of", "2019-02-30"), ("category", "poor")), {"as_of"}),
        ("a missing sex in member 1 before a school year 0 in member 2",
         bad(("members[1].sex", DELETE), ("members[2].school.year", 0)), {"members[1].sex"}),
        ("a bad sex before a bad birth date of the same member",
         bad(("members[1].sex", "x"), ("members[1].birth_date", "2019-02-30")), {"members[1].sex"}),
    ],
}

CASES = [
    pytest.param(doc, paths, i == 0, id=f"{rule}: {name}")
    for rule, cases in RULES.items()
    for i, (name, doc, paths) in enumerate(cases)
]
CLI_CASES = [p for p in CASES if p.values[2]]


@cache
def _cli_results() -> dict[str, subprocess.CompletedProcess]:
    """Every command-line case at once, a few processes in parallel, so the suite stays quick."""
    def run(param):
        return param.id, subprocess.run([str(BANGFU), "assess", "-"], input=text(param.values[0]),
                                        capture_output=True, timeout=60)
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(run, CLI_CASES))


@pytest.mark.parametrize(("doc", "paths", "on_cli"), CASES)
def test_assess_refuses_with_the_path(doc, paths, on_cli) -> None:
    from bangfu.policy import InputError, assess

    with pytest.raises(InputError) as caught:
        assess(copy.deepcopy(doc))
    err = caught.value
    assert err.path in paths, f"path {err.path!r}, expected one of {sorted(paths)} ({err})"
    assert isinstance(err.message, str) and err.message
    assert str(err) == f"{err.path}: {err.message}"


@pytest.mark.parametrize(("doc", "paths", "on_cli"), CLI_CASES)
def test_command_line_refuses_with_status_2_and_one_line(request, doc, paths, on_cli) -> None:
    done = _cli_results()[request.node.callspec.id]
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2, stderr
    assert done.stdout == b""
    lines = stderr.rstrip("\n").split("\n")
    assert len(lines) == 1, f"stderr has {len(lines)} lines: {stderr!r}"
    assert any(lines[0].startswith(f"{path}: ") for path in paths), lines[0]


@pytest.mark.parametrize(("name", "doc"), [
    ("32 levels deep", bad(("deep", _nested(31)))),
    ("as_of 1995-01-01", bad(("as_of", "1995-01-01"), ("members[0].business.registered_on", "1994-03-01"),
                             ("members[2].birth_date", "1990-01-01"))),
    ("as_of 2100-12-31", bad(("as_of", "2100-12-31"))),
    ("born 1900-01-01", bad(("members[1].birth_date", "1900-01-01"))),
    ("income of exactly a hundred million", bad(("monthly_income", 100_000_000))),
    ("CPI of -100", bad(("cpi_yoy_percent", -100))),
    ("CPI of 100", bad(("cpi_yoy_percent", 100))),
    ("school year 10", bad(("members[2].school.year", 10))),
    ("a million employees", bad(("members[0].business.employees", 1_000_000))),
    ("the accident cause", bad(("hardship_causes", ["accident"]))),
    ("brackets and a NUL-looking text inside a string", bad(("remark", "[[[[" * 20 + "\\u0000 NaN"))),
], ids=lambda x: x if isinstance(x, str) else "")
def test_values_at_the_bounds_are_accepted(name, doc) -> None:
    from bangfu.policy import assess
    from bangfu.policy.schema import parse_json

    assert assess(copy.deepcopy(doc))["as_of"] == doc["as_of"]
    assert parse_json(text(doc)).as_of.isoformat() == doc["as_of"]
