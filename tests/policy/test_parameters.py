"""The parameter loader: references required, dated values, province/city/county fallback, overlays."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from bangfu.policy import assess
from bangfu.policy.parameters import ParameterError, ParameterSet, Value, default_parameters, parse_parameter

EXAMPLE = json.loads(Path(__file__).parents[3].joinpath("shared/spec/examples/extreme-family.json").read_text())
REF = {"article": 14, "quote": "补助标准为小学生每生每年1000元"}


def _benefit(answer: dict, code: str, member: str | None = None) -> dict:
    return next(b for b in answer["benefits"] if b["code"] == code and b["member"] == member)


def test_a_value_without_a_reference_is_refused() -> None:
    with pytest.raises(ParameterError, match="须注明依据"):
        parse_parameter("x.y.z", {"values": {dt.date(2019, 1, 10): {"value": 4}}})


def test_a_reference_needs_a_quote_with_its_article() -> None:
    with pytest.raises(ParameterError, match="须注明依据"):
        parse_parameter("x.y.z", {"values": {dt.date(2019, 1, 10): {"value": 4, "reference": {"article": 14}}}})


def test_a_value_must_be_a_number_and_a_date_must_be_a_date() -> None:
    with pytest.raises(ParameterError, match="不是数字"):
        parse_parameter("x", {"values": {dt.date(2019, 1, 10): {"value": "4", "reference": REF}}})
    with pytest.raises(ParameterError, match="不是日期"):
        parse_parameter("x", {"values": {"2019": {"value": 4, "reference": REF}}})


def test_a_region_must_be_a_jiangsu_division() -> None:
    with pytest.raises(ParameterError, match="110101"):
        parse_parameter("x", {"values": {}, "regions": {"110101": {dt.date(2019, 1, 10): {"value": 1, "reference": REF}}}})


def test_every_shipped_value_carries_a_reference() -> None:
    for parameter in default_parameters():
        for series in parameter.values.values():
            for value in series:
                assert value.reference, parameter.name


def test_the_fast_yaml_loader_reads_the_files_as_the_safe_loader_does() -> None:
    import yaml

    from bangfu.policy.parameters import _LOADER, HERE, _files

    for _, path in _files(HERE):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=_LOADER) == yaml.safe_load(text), path.name


def test_the_province_block_of_the_division_data_parses_as_the_whole_file_does() -> None:
    from stdnum import numdb

    from bangfu.policy.regions import PROVINCE, _province_data

    whole = [p for p in numdb.get("cn/loc").prefixes if p[1] == PROVINCE[:2]]
    assert whole and _province_data().prefixes == whole


def test_county_falls_back_to_city_and_city_to_province() -> None:
    p = parse_parameter("x", {
        "values": {dt.date(2019, 1, 10): {"value": 1, "reference": REF}},
        "regions": {
            "320100": {dt.date(2019, 1, 10): {"value": 2, "reference": REF}},
            "320102": {dt.date(2020, 1, 1): {"value": 3, "reference": REF}},
        },
    })
    day = dt.date(2019, 6, 1)
    assert p.at(day, "320200").value == 1  # another city: the province's
    assert p.at(day, "320100").value == 2
    assert p.at(day, "320104").value == 2  # a county of Nanjing without its own value
    assert p.at(day, "320102").value == 2  # its own value starts later
    assert p.at(dt.date(2020, 1, 1), "320102").value == 3
    assert p.at(dt.date(2019, 1, 9), "320102") is None


def test_a_new_dated_value_changes_answers_from_its_date_and_never_before() -> None:
    raised = default_parameters().with_value(
        "education.compulsory_living_subsidy.primary_yuan_per_day", "320000",
        Value(dt.date(2020, 9, 1), 5.0, {"document": "a raised national standard"}),
    )
    before = dict(EXAMPLE, as_of="2020-08-31")
    after = dict(EXAMPLE, as_of="2020-09-01")
    code = "education.compulsory_living_subsidy"
    assert _benefit(assess(before, parameters=raised), code, "c1")["amount"] == Decimal("1000.00")
    assert _benefit(assess(after, parameters=raised), code, "c1")["amount"] == Decimal("1250.00")
    assert _benefit(assess(after), code, "c1")["amount"] == Decimal("1000.00")


def test_a_city_value_applies_to_its_counties_only() -> None:
    suzhou = default_parameters().with_value(
        "living.utilities.electricity_price", "320500",
        Value(dt.date(2019, 1, 10), 0.6, {"document": "苏州电价"}),
    )
    in_suzhou = dict(EXAMPLE, region="320508")
    code = "living.free_electricity"
    assert _benefit(assess(in_suzhou, parameters=suzhou), code)["amount"] == Decimal("108.00")
    assert _benefit(assess(EXAMPLE, parameters=suzhou), code)["amount"] == Decimal("95.09")


def test_a_confirmed_value_is_no_longer_marked_illustrative() -> None:
    code = "living.free_electricity"
    assert _benefit(assess(EXAMPLE), code)["details"]["illustrative"] == ["price"]
    confirmed = default_parameters().with_value(
        "living.utilities.electricity_price", "320000",
        Value(dt.date(2019, 1, 10), 0.5283, {"document": "苏价工〔2012〕189号"}, "confirmed"),
    )
    assert "illustrative" not in _benefit(assess(EXAMPLE, parameters=confirmed), code)["details"]


def test_no_dibao_standard_held_gives_a_null_shortfall() -> None:
    empty = ParameterSet([*(p for p in default_parameters() if p.name != "sync.dibao.standard"),
                          parse_parameter("sync.dibao.standard", {"values": {}})])
    alone = {"as_of": "2019-06-01", "region": "320102", "category": "hardship", "archived": True,
             "members": [{"id": "a", "relation": "self", "sex": "male", "birth_date": "1950-01-01"}]}
    benefit = _benefit(assess(alone, parameters=empty), "living.minimum_living_guarantee")
    assert benefit["amount"] is None
    assert benefit["details"]["dibao_standard"] is None
    assert _benefit(assess(alone), "living.minimum_living_guarantee")["amount"] == Decimal("10800.00")


def test_a_bundle_round_trips_every_value_with_its_reference_and_status():
    shipped = default_parameters()
    raised = shipped.with_values([("sync.dibao.standard", "320100", Value(
        dt.date(2024, 7, 1), 1110.0, {"document": "宁民规〔2024〕1号"}, "confirmed"))])
    loaded = ParameterSet.from_bundle(json.loads(json.dumps(raised.to_bundle(), ensure_ascii=False)))
    for parameter in raised:
        assert loaded[parameter.name].values == parameter.values, parameter.name
    assert loaded["sync.dibao.standard"].at(dt.date(2024, 7, 1), "320102").value == 1110.0


@pytest.mark.parametrize(("bundle", "message"), [
    ({"format": "other"}, "不是参数包"),
    ({"format": "bangfu-parameters", "version": 9, "parameters": {}}, "不支持的参数包版本 9"),
    ({"format": "bangfu-parameters", "version": 1, "parameters": {"x.y.z": {"values": {"2019-01-10": {
        "value": 1}}}}}, "每个取值都须注明依据"),
    ({"format": "bangfu-parameters", "version": 1, "parameters": {"x.y.z": {"values": {"soon": {
        "value": 1, "reference": {"document": "d"}}}}}}, "不是日期"),
])
def test_a_bad_bundle_is_refused_with_the_reason(bundle, message):
    with pytest.raises(ParameterError, match=message):
        ParameterSet.from_bundle(bundle)


def test_every_shipped_value_has_a_sound_reference() -> None:
    """A confirmed figure names its document, and no value takes effect before its document's date."""
    from bangfu.policy.parameters import reference_problem

    problems = [f"{p.name}[{region}] @ {v.start}: {why}" for p in default_parameters()
                for region, series in p.values.items() for v in series if (why := reference_problem(v))]
    assert problems == []


@pytest.mark.parametrize(("value", "problem"), [
    (Value(dt.date(2024, 10, 1), 3700.0, {"document": "财教〔2024〕181号", "date": "2024-10-25"}), "before"),
    (Value(dt.date(2024, 10, 25), 3700.0, {"document": "an unnamed national raise"}), "needs its document"),
    (Value(dt.date(2019, 1, 9), 4.0, REF), "before"),
    (Value(dt.date(2019, 7, 7), 3300.0, {"document": "x", "date": "2019-13-01"}, "illustrative"), "not a date"),
])
def test_a_reference_that_does_not_stand_is_found(value, problem) -> None:
    from bangfu.policy.parameters import reference_problem

    assert problem in (reference_problem(value) or "")


def test_sound_references_pass_the_check() -> None:
    from bangfu.policy.parameters import reference_problem

    assert reference_problem(Value(dt.date(2024, 10, 25), 3700.0,
                                   {"document": "x", "number": "财教〔2024〕181号", "date": "2024-10-25"})) is None
    assert reference_problem(Value(dt.date(2019, 1, 10), 4.0, REF)) is None
    assert reference_problem(Value(dt.date(2019, 1, 10), 900.0, {"document": "各设区市城市低保标准"}, "illustrative")) is None


def test_the_loader_writes_reference_dates_as_iso_text() -> None:
    value = default_parameters()["education.university_grant.amount"].at(dt.date(2025, 1, 1))
    assert value.value == 3700 and value.reference["date"] == "2024-10-25"
    assert value.reference["number"] == "财教〔2024〕181号"
    json.dumps(value.reference, ensure_ascii=False)
