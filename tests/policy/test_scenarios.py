"""YAML scenario tests of the policy engine: every file in scenarios/, one pytest case per scenario.

A scenario (see scenarios/*.yaml) is a mapping:

- `name`: a sentence, the pytest id;
- `input`: a whole document in the spec's input format;
- `benefits`: entries that must be in the answer's `benefits`, matched on `code` + `member`, with any of
  `amount` (a string such as "1000.00", or null), `kind`, `article`, `details` (the keys given; a number
  is compared exactly as a decimal, `illustrative` as a set; `illustrative: []` also accepts no key);
- `absent`: `code` + `member` pairs that must not be in `benefits`;
- `not_eligible`: `code` + `member` pairs that must be in `not_eligible`;
- `all_benefits`: the whole `benefits` list as `[code, member]` pairs, in the order the answer must give;
- `only_not_eligible`: the whole `not_eligible` list as `[code, member]` pairs;
- `total_cash`: a string such as "9787.09".

Whatever the scenario, every answer is also checked against the spec's own invariants: articles and
kinds as the spec's table says, the details keys it names, explanations and reasons in Chinese, amounts
as two-place Decimals, benefits in table order then member order, one entry per (code, member), the
not_eligible entries the spec requires, `total_cash` the sum (policy_spec.check_invariants).
"""

from __future__ import annotations

import copy
import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from policy_spec import BENEFITS, CHAPTERS, check_invariants

SCENARIOS = Path(__file__).parent / "scenarios"


def _plain(value):
    """Dates written without quotes come back as the spec's `YYYY-MM-DD` strings."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _load() -> list[pytest.param]:
    params, names = [], set()
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            case = _plain(case)
            assert case["name"] not in names, f"two scenarios named {case['name']!r}"
            assert isinstance(case["input"]["region"], str), f"{case['name']}: quote the region code"
            names.add(case["name"])
            params.append(pytest.param(path.stem, case, id=case["name"]))
    return params


def _key(entry) -> tuple[str, str | None]:
    if isinstance(entry, dict):
        return entry["code"], entry.get("member")
    return entry[0], entry[1]


def _same_number(got, expected) -> bool:
    """Exact as decimals, or within float64 noise: details are plain values, the engine may compute in float."""
    if isinstance(got, bool) or not isinstance(got, int | float | Decimal):
        return False
    if Decimal(str(got)) == Decimal(str(expected)):
        return True
    return abs(float(got) - float(expected)) <= 1e-9 * max(1.0, abs(float(expected)))


def _check_details(where: str, got: dict, expected: dict) -> None:
    for key, want in expected.items():
        if key == "illustrative":
            have = got.get("illustrative") or []
            assert sorted(have) == sorted(want), f"{where}: details.illustrative {have!r}, expected {want!r}"
            continue
        assert key in got, f"{where}: details has no {key!r} (has {sorted(got)})"
        have = got[key]
        if isinstance(want, bool) or want is None or isinstance(want, str | list | dict):
            assert have == want and type(have) is type(want), f"{where}: details.{key} {have!r}, expected {want!r}"
        else:
            assert _same_number(have, want), f"{where}: details.{key} {have!r}, expected {want!r}"


def _check_expectations(case: dict, answer: dict) -> None:
    got = {(b["code"], b["member"]): b for b in answer["benefits"]}
    refused = {(n["code"], n["member"]) for n in answer["not_eligible"]}
    for want in case.get("benefits", []):
        key = _key(want)
        assert key in got, f"benefit {key} missing; got {sorted(got, key=str)}; not eligible: {sorted(refused, key=str)}"
        b = got[key]
        where = f"benefit {key}"
        if "amount" in want:
            expected = None if want["amount"] is None else Decimal(str(want["amount"]))
            assert b["amount"] == expected and (b["amount"] is None) == (expected is None), (
                f"{where}: amount {b['amount']!r}, expected {expected!r}"
            )
        for field in ("kind", "article"):
            if field in want:
                assert b[field] == want[field], f"{where}: {field} {b[field]!r}, expected {want[field]!r}"
        if "details" in want:
            _check_details(where, b.get("details") or {}, want["details"])
    for entry in case.get("absent", []):
        key = _key(entry)
        assert key not in got, f"benefit {key} should not be granted: {got[key]}"
    for entry in case.get("not_eligible", []):
        key = _key(entry)
        assert key in refused, f"{key} should be listed in not_eligible; listed: {sorted(refused, key=str)}"
    if "all_benefits" in case:
        listed = [[b["code"], b["member"]] for b in answer["benefits"]]
        assert listed == [list(_key(e)) for e in case["all_benefits"]]
    if "only_not_eligible" in case:
        listed = [[n["code"], n["member"]] for n in answer["not_eligible"]]
        assert listed == [list(_key(e)) for e in case["only_not_eligible"]]
    if "total_cash" in case:
        assert answer["total_cash"] == Decimal(str(case["total_cash"]))


def test_every_chapter_has_a_file_and_every_code_is_asserted() -> None:
    stems = {p.stem.split("-")[0] for p in SCENARIOS.glob("*.yaml")}
    assert set(CHAPTERS) | {"household"} <= stems
    asserted = set()
    for param in _load():
        case = param.values[1]
        asserted |= {_key(b)[0] for b in case.get("benefits", [])}
    assert set(BENEFITS) <= asserted, f"codes no scenario grants: {sorted(set(BENEFITS) - asserted)}"


def test_each_file_stays_in_its_chapter() -> None:
    for param in _load():
        stem, case = param.values
        prefixes = CHAPTERS.get(stem.split("-")[0])
        if prefixes is None:
            continue
        mentioned = {_key(e)[0] for part in ("benefits", "absent", "not_eligible") for e in case.get(part, [])}
        assert any(code.startswith(prefixes) for code in mentioned), f"{case['name']}: not about {stem}"


@pytest.mark.parametrize(("chapter", "case"), _load())
def test_scenario(chapter: str, case: dict) -> None:
    from bangfu.policy import assess

    doc = copy.deepcopy(case["input"])
    answer = assess(doc)
    assert doc == case["input"], "assess changed its input"
    check_invariants(case["input"], answer)
    _check_expectations(case, answer)


def test_the_household_scenario_file_holds_the_spec_example_unchanged() -> None:
    shared = Path("/work/shared/spec/examples/extreme-family.json")
    if not shared.exists():
        pytest.skip("the shared spec is not mounted here")
    first = next(p.values[1] for p in _load() if p.values[0] == "household")
    assert first["input"] == json.loads(shared.read_text(encoding="utf-8"))
