"""Documents the spec accepts: every field, nulls where allowed, unknown fields, text and bytes, the command line."""

from __future__ import annotations

import json
import subprocess

import pytest
from policy_documents import BANGFU, bad, base, text


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(base(), id="every field given"),
        pytest.param(bad(("members[1].disability_grade", None), ("members[0].school", None),
                         ("members[2].business", None)), id="null where the spec says or null"),
        pytest.param(bad(("members[1].birth_date", "2019-06-01"), ("members[0].business.registered_on", "2019-06-01")),
                     id="born and registered on as_of itself"),
        pytest.param(bad(("as_of", "2020-06-01"), ("region", "320613")), id="320613 from 2020"),
        pytest.param(bad(("region", "320602")), id="320602 in 2019"),
        pytest.param(bad(("monthly_income", 0), ("cpi_yoy_percent", -0.4)), id="integer income and negative CPI"),
        pytest.param(bad(("members[1].retirement_group", "female_55")), id="a woman in female_55"),
        pytest.param(bad(("members[1].disability_grade", 4), ("members[2].school.year", 1),
                         ("members[0].business.employees", 0)), id="range ends"),
        pytest.param({k: v for k, v in base().items() if k not in ("dibao", "dibao_edge", "monthly_income",
                                                                    "hardship_causes", "cpi_yoy_percent")},
                     id="optional fields left out"),
    ],
)
def test_valid_documents_are_assessed(doc) -> None:
    from bangfu.policy import assess

    answer = assess(doc)
    assert answer["benefits"], "a valid archived extreme household has benefits"


def test_unknown_fields_are_accepted_and_ignored() -> None:
    from bangfu.policy import assess

    doc = base()
    doc["note"] = "由社区转来"
    doc["members"][0]["nickname"] = "老张"
    doc["members"][0]["business"]["website"] = "https://example.cn"
    doc["members"][2]["school"]["teacher"] = "王老师"
    assert assess(doc) == assess(base())


def test_text_and_bytes_are_read_as_the_document() -> None:
    from bangfu.policy import assess

    text = json.dumps(base(), ensure_ascii=False)
    assert assess(text) == assess(base())
    assert assess(text.encode("utf-8")) == assess(base())


def test_command_line_prints_the_answer_as_json() -> None:
    from bangfu.policy import assess

    done = subprocess.run([str(BANGFU), "assess", "-"], input=text(base()), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    printed = json.loads(done.stdout)
    expected = assess(base())
    assert [(b["code"], b["member"]) for b in printed["benefits"]] == [
        (b["code"], b["member"]) for b in expected["benefits"]
    ]
    for got, want in zip(printed["benefits"], expected["benefits"], strict=True):
        assert (got["amount"] is None) == (want["amount"] is None)
        if want["amount"] is not None:
            assert round(float(got["amount"]), 2) == float(want["amount"])
    assert round(float(printed["total_cash"]), 2) == float(expected["total_cash"])


def test_command_line_reads_a_file_and_json_lines(tmp_path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps(base(), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([str(BANGFU), "assess", str(one)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["region"] == "320102"

    second = bad(("category", "hardship"), ("region", "320583"))
    lines = tmp_path / "many.jsonl"
    lines.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in (base(), second)) + "\n", encoding="utf-8")
    done = subprocess.run([str(BANGFU), "assess", "--jsonl", str(lines)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    answers = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines() if line.strip()]
    assert [(a["region"], a["category"]) for a in answers] == [("320102", "extreme_hardship"), ("320583", "hardship")]


HUGE = [
    pytest.param("members[2].school.year", 40000, id="school year 40000"),
    pytest.param("members[2].school.year", 2**31, id="school year 2**31"),
    pytest.param("members[0].business.employees", 2**31, id="employees 2**31"),
    pytest.param("members[0].business.employees", 10**20, id="employees 10**20"),
]


@pytest.mark.parametrize(("path", "value"), HUGE)
def test_a_large_integer_the_spec_allows_is_assessed_or_refused_never_a_crash(path, value) -> None:
    """The spec sets no upper bound on `year` (≥ 1) or `employees` (≥ 0): assess it, or refuse it at its path."""
    from bangfu.policy import InputError, assess

    doc = bad((path, value))
    try:
        assess(doc)
    except InputError as err:
        assert err.path == path
    done = subprocess.run([str(BANGFU), "assess", "-"], input=text(doc), capture_output=True, timeout=60)
    assert done.returncode in (0, 2), done.stderr.decode()[-500:]
    if done.returncode == 2:
        assert done.stderr.decode().startswith(f"{path}: ") and done.stdout == b""
