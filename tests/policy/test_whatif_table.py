"""`bangfu assess-table POP --parameters NEW --against OLD`: the difference of two bundles over a population file,
exact to the fen, equal to the two runs' own totals; bad bundles refused with exit 2."""

from __future__ import annotations

import csv
import datetime
import json

import pytest

from bangfu.cli import main
from bangfu.policy.bulk import assess_file
from bangfu.policy.parameters import Value, default_parameters
from bangfu.policy.synth import write_population

AS_OF = "2025-03-01"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("whatif")
    pop = write_population(3_000, 11, root / "pop.parquet", as_of=AS_OF)
    old = default_parameters()
    # every city's compulsory-school living subsidy raised to 6 yuan a day for primary pupils (a cash benefit),
    # from a day after the national figure of 2024-05-07 and before the population's as_of
    new = old.with_values([("education.compulsory_living_subsidy.primary_yuan_per_day", "320000",
                            Value(datetime.date(2024, 6, 1), 6.0, {"document": "测算方案"}))])
    (root / "old.json").write_text(json.dumps(old.to_bundle()), encoding="utf-8")
    (root / "new.json").write_text(json.dumps(new.to_bundle()), encoding="utf-8")
    return root, pop, old, new


def test_the_difference_equals_the_two_runs_to_the_fen(files, capsys):
    root, pop, old, new = files
    out = root / "diff.csv"
    assert main(["assess-table", str(pop), "--parameters", str(root / "new.json"), "--against",
                 str(root / "old.json"), "--no-progress", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and {r["code"] for r in rows} == {"education.compulsory_living_subsidy"}
    before, after = assess_file(str(pop), False, old), assess_file(str(pop), False, new)
    i = next(k for k, rule in enumerate(after.rules) if rule.code == "education.compulsory_living_subsidy")
    expected = int(after.fen[i].sum() - before.fen[i].sum())
    assert expected > 0
    change = sum(int(r["cash_change"].replace(".", "")) for r in rows)
    assert change == expected
    assert f"yearly cash change (all benefits, all cities): {expected // 100}.{expected % 100:02d}" in printed


def test_the_same_bundle_twice_changes_nothing(files, capsys):
    root, pop, _old, _new = files
    assert main(["assess-table", str(pop), "--parameters", str(root / "old.json"), "--against",
                 str(root / "old.json"), "--no-progress"]) == 0
    assert "yearly cash change (all benefits, all cities): 0.00" in capsys.readouterr().out


def test_a_missing_or_bad_bundle_is_refused(files, capsys, tmp_path):
    root, pop, _old, _new = files
    assert main(["assess-table", str(pop), "--parameters", str(tmp_path / "none.json"), "--no-progress"]) == 2
    assert "--parameters" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["assess-table", str(pop), "--parameters", str(root / "new.json"), "--against", str(bad),
                 "--no-progress"]) == 2
    assert "--against" in capsys.readouterr().err
