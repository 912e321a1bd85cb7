"""Bad settlement input: refused whole, the first error in the order of the spec's input table, named by its path."""

from __future__ import annotations

import copy
import io
import json

import pytest

from bangfu.policy.schema import InputError
from bangfu.policy.settlement import settle
from bangfu.policy.settlement.cli import settle_jsonl, settle_one

GOOD = {"as_of": "2020-06-01", "region": "320100", "category": "hardship", "archived": True,
        "member": {"relation": "self", "scheme": "resident"},
        "bill": {"kind": "inpatient", "hospital_level": "tertiary", "total": 1000, "in_scope": 800}}


def with_(path: str, value):
    doc = copy.deepcopy(GOOD)
    node = doc
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if value is KeyError:
        del node[parts[-1]]
    else:
        node[parts[-1]] = value
    return doc


CASES = [
    (with_("as_of", "2020-02-30"), "as_of"),
    (with_("as_of", "1990-01-01"), "as_of"),
    (with_("region", "990000"), "region"),
    (with_("category", "poor"), "category"),
    (with_("archived", KeyError), "archived"),
    (with_("member.scheme", "rural"), "member.scheme"),
    (with_("member.mutual_aid", 1), "member.mutual_aid"),
    (with_("bill.kind", KeyError), "bill.kind"),
    (with_("bill.total", -1), "bill.total"),
    (with_("bill.total", 100_000_000.01), "bill.total"),
    (with_("bill.total", 10.001), "bill.total"),
    (with_("bill.total", "1000"), "bill.total"),
    (with_("bill.in_scope", 1000.01), "bill.in_scope"),
    (with_("year_to_date.basic_paid", -0.01), "year_to_date.basic_paid"),
    (with_("local.basic", {"ratio": 1.2}), "local.basic.ratio"),
    (with_("local.critical", {"bonus_points": 4}), "local.critical.bonus_points"),
    (with_("local.critical", {"bonus_points": 11}), "local.critical.bonus_points"),
    (with_("local.critical", {"normal_threshold": 1.234}), "local.critical.normal_threshold"),
    (with_("local.critical", {"segments": []}), "local.critical.segments"),
    (with_("local.critical", {"segments": [{"to": 100, "ratio": 0.5}, {"to": 100, "ratio": 0.6},
                                           {"to": None, "ratio": 0.7}]}), "local.critical.segments[1].to"),
    (with_("local.critical", {"segments": [{"to": 100, "ratio": 0.5}]}), "local.critical.segments[0].to"),
    (with_("local.critical", {"segments": [{"to": None, "ratio": 0.5}, {"to": None, "ratio": 0.5}]}),
     "local.critical.segments[0].to"),
    (with_("local.assistance", {"ratio": 0.5, "segments": [{"to": None, "ratio": 0.5}]}),
     "local.assistance.segments"),
    (with_("local.emergency", {"cap": -5}), "local.emergency.cap"),
]


@pytest.mark.parametrize(("doc", "path"), CASES, ids=[p for _, p in CASES])
def test_bad_field_is_named(doc, path):
    with pytest.raises(InputError) as info:
        settle(doc)
    assert info.value.path == path


def test_the_first_error_in_table_order_is_named():
    doc = with_("bill.in_scope", 2000)
    doc["year_to_date"] = {"basic_paid": -1}
    doc["member"]["scheme"] = "x"
    with pytest.raises(InputError) as info:
        settle(json.dumps({"year_to_date": doc.pop("year_to_date"), **doc}))
    assert info.value.path == "member.scheme"


@pytest.mark.parametrize(("text", "path", "message"), [
    ('{"as_of": "2020-06-01", "x": ' + "[" * 40 + "]" * 40 + "}", "$", "嵌套层数超过32层"),
    ("[" * 100000 + "]" * 100000, "$", "嵌套层数超过32层"),
    ('{"as_of": NaN}', "as_of", "不是有限的数(NaN或无穷大)"),
    ('{"as_of": "2020-06-01", "region": "3201\\u000000"}', "region", "含有NUL字符(\\u0000)"),
    ("not json", "$", None),
    ("[]", "$", None),
])
def test_limits_of_json(text, path, message):
    with pytest.raises(InputError) as info:
        settle(text)
    assert info.value.path == path
    if message:
        assert info.value.message == message


def test_unknown_fields_are_ignored():
    assert settle({**GOOD, "extra": {"deep": [1, 2]}, "year_to_date": {"other": -5}})["out_of_pocket"] >= 0


def test_cli_refuses_with_status_2_and_one_line(tmp_path, capsys):
    path = tmp_path / "bill.json"
    path.write_text(json.dumps(with_("bill.in_scope", 5000)))
    out = io.StringIO()
    assert settle_one(str(path), out) == 2
    assert out.getvalue() == ""
    assert capsys.readouterr().err.strip() == "bill.in_scope: 大于总费用total"
    path.write_text(json.dumps(GOOD))
    assert settle_one(str(path), out) == 0
    assert json.loads(out.getvalue())["layers"][0]["code"] == "medical.basic_insurance"


def test_jsonl_answers_good_lines_and_gives_bad_ones_their_error(tmp_path):
    path = tmp_path / "bills.jsonl"
    path.write_text("\n".join([json.dumps(GOOD), "[" * 5000, json.dumps(with_("bill.total", -1)),
                               json.dumps(GOOD)]) + "\n")
    out = io.StringIO()
    assert settle_jsonl(str(path), out) == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 4
    assert lines[0] == lines[3] and "layers" in lines[0]
    assert lines[1] == {"line": 2, "error": {"path": "$", "message": "嵌套层数超过32层"}}
    assert lines[2]["error"]["path"] == "bill.total"


def test_a_nul_in_a_later_field_does_not_hide_an_earlier_error():
    doc = {**GOOD, "local": {"basic": {"x": "a\x00b"}}}
    del doc["as_of"]
    with pytest.raises(InputError) as info:
        settle(doc)
    assert info.value.path == "as_of"
    doc = {**GOOD, "bill": {**GOOD["bill"], "kind": "in\x00patient"}}
    with pytest.raises(InputError) as info:
        settle(doc)
    assert (info.value.path, info.value.message) == ("bill.kind", "含有NUL字符(\\u0000)")
