"""The synthetic population, its Parquet form and the bulk totals agree with the document path."""

from __future__ import annotations

import csv
import datetime
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.policy import assess_many
from bangfu.policy import parquet as pf
from bangfu.policy.bulk import PAID, assess_file, cities, totals
from bangfu.policy.engine import evaluate
from bangfu.policy.regions import get_region
from bangfu.policy.schema import InputError, parse_document
from bangfu.policy.synth import population_from_arrow, population_table, read_population, to_documents
from bangfu.policy.table import HOUSEHOLD_COLUMNS, PERSON_COLUMNS, from_households

AS_OF = ["2024-06-01", "2025-06-01"]  # before and after the retirement reform takes effect


@cache
def table(n: int = 3000, seed: int = 11, as_of: str = "2024-06-01") -> pa.Table:
    return population_table(n, seed, as_of)


def test_the_same_seed_gives_the_same_population_and_another_seed_another(tmp_path) -> None:
    assert population_table(400, 5).equals(population_table(400, 5))
    assert not population_table(400, 5).equals(population_table(400, 6))
    from bangfu.policy.synth import write_population

    write_population(400, 5, tmp_path / "a.parquet")
    write_population(400, 5, tmp_path / "b.parquet")
    assert pq.read_table(tmp_path / "a.parquet").equals(pq.read_table(tmp_path / "b.parquet"))


def test_the_population_looks_like_jiangsu_urban_workers() -> None:
    docs = to_documents(table())
    categories = Counter(d["category"] for d in docs)
    assert 0.80 < categories["none"] / len(docs) < 0.90
    assert 0 < categories["extreme_hardship"] < categories["hardship"]
    sizes = Counter(len(d["members"]) for d in docs)
    assert set(sizes) <= set(range(1, 7)) and len(sizes) == 6
    members = [m for d in docs for m in d["members"]]
    assert sum(m.get("school") is not None for m in members) > 0.1 * len(members)
    assert 0 < sum(m.get("business") is not None for m in members) < 0.05 * len(members)
    assert any(m["employment"] == "registered_unemployed" for m in members)
    assert {get_region(d["region"]).city_code for d in docs} == set(cities()[0][:13])


@pytest.mark.parametrize("as_of", AS_OF)
def test_every_document_passes_the_schema(as_of: str) -> None:
    for doc in to_documents(table(as_of=as_of)):
        parse_document(doc)


@pytest.mark.parametrize("as_of", AS_OF)
def test_arrow_population_equals_the_document_population_array_by_array(as_of: str) -> None:
    t = table(as_of=as_of)
    got = population_from_arrow(t, member_ids=True)
    want = from_households([parse_document(d) for d in to_documents(t)])
    for name in HOUSEHOLD_COLUMNS + PERSON_COLUMNS:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fM"), name
    assert got.member_ids == want.member_ids


def _totals_from_answers(docs: list[dict]) -> tuple[Counter, Counter, Counter]:
    """Per (code, city): entries, and cash in fen, read off the JSON answers; households per city."""
    count: Counter = Counter()
    fen: Counter = Counter()
    households: Counter = Counter()
    for doc, answer in zip(docs, assess_many(docs), strict=True):
        city = get_region(doc["region"]).city_code
        households[city] += 1
        if not any(r["code"] == "household.eligibility" for r in answer["not_eligible"]):
            count["household.eligibility", city] += 1
        for b in answer["benefits"]:
            count[b["code"], city] += 1
            if b["kind"] in PAID and b["amount"] is not None:
                fen[b["code"], city] += int(Decimal(b["amount"]) * 100)
        assert answer["total_cash"] == sum(
            (b["amount"] for b in answer["benefits"] if b["kind"] in PAID and b["amount"] is not None),
            Decimal("0.00"))
    return count, fen, households


@pytest.mark.parametrize("as_of", AS_OF)
def test_vectorised_totals_equal_the_answers_of_the_json_path(as_of: str) -> None:
    t = table(as_of=as_of)
    population = population_from_arrow(t)
    got = totals(population, evaluate(population))
    count, fen, households = _totals_from_answers(to_documents(t))
    codes = cities()[0]
    assert {codes[c]: int(n) for c, n in enumerate(got.households) if n} == dict(households)
    got_count = {(r.code, codes[c]): int(got.entitled[i, c])
                 for i, r in enumerate(got.rules) for c in range(len(codes)) if got.entitled[i, c]}
    got_fen = {(r.code, codes[c]): int(got.fen[i, c])
               for i, r in enumerate(got.rules) for c in range(len(codes)) if got.fen[i, c]}
    assert got_count == dict(count)
    assert got_fen == {k: v for k, v in fen.items() if v}
    assert sum(got_fen.values()) > 0


def _first_rows(t: pa.Table) -> np.ndarray:
    """The row of each household's first member (and the number of rows after the last)."""
    numbers = t.column(pf.KEY).to_numpy()
    return np.concatenate([np.flatnonzero(np.concatenate([[True], numbers[1:] != numbers[:-1]])), [len(numbers)]])


def nested(t: pa.Table) -> pa.Table:
    """The population in the former layout (a row per household, its members a list), as files written before."""
    starts = _first_rows(t)
    names = [f.name for f in pf.MEMBER]
    members = pa.StructArray.from_arrays([t.column(name).combine_chunks() for name in names], names=names)
    households = [t.column(f.name).combine_chunks().take(pa.array(starts[:-1])) for f in pf.HOUSEHOLD]
    lists = pa.ListArray.from_arrays(pa.array(starts.astype(np.int32)), members)
    return pa.Table.from_arrays([*households, lists], names=[*pf.HOUSEHOLD.names, "members"])


def _with_member_value(t: pa.Table, field: str, row: int, member: int, value: str) -> pa.Table:
    """The table with one member's `field` replaced by `value` (as plain strings)."""
    values = t.column(field).cast(pa.string()).to_pylist()
    values[int(_first_rows(t)[row]) + member] = value
    return t.set_column(t.schema.get_field_index(field), field, pa.array(values, pa.string()))


def test_an_unknown_enumeration_value_refuses_the_file_naming_column_and_row(tmp_path) -> None:
    t = table(200)
    path = tmp_path / "bad.parquet"
    pq.write_table(_with_member_value(t, "relation", 17, 0, "boss"), path)
    with pytest.raises(InputError) as caught:
        read_population(path)
    assert str(caught.value).startswith("members.relation: 第17户,members[0]:'boss'不是可选值之一")
    categories = t.column("category").cast(pa.string()).to_pylist()
    categories[_first_rows(t)[42]] = "poor"  # the household's fields are read from its first member's row
    bad = t.set_column(t.schema.get_field_index("category"), "category", pa.array(categories))
    with pytest.raises(InputError, match=r"^category: 第42户:'poor'"):
        population_from_arrow(bad)


def _bangfu(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bangfu.cli", *args], capture_output=True, text=True,
                          timeout=300)


def test_synth_then_assess_table_on_the_command_line(tmp_path) -> None:
    population, out = tmp_path / "p.parquet", tmp_path / "totals.csv"
    made = _bangfu("synth", "--households", "2500", "--seed", "3", "--out", str(population))
    assert made.returncode == 0, made.stderr
    done = _bangfu("assess-table", str(population), "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "南京市" in done.stdout and "education.compulsory_living_subsidy" in done.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    gate = [r for r in rows if r["code"] == "household.eligibility"]
    assert sum(int(r["households"]) for r in gate) == 2500
    p = read_population(population)
    want = totals(p, evaluate(p))
    assert sum(int(r["entitled"]) for r in gate) == int(want.entitled[0].sum())
    cash = sum(Decimal(r["cash"]) for r in rows if r["cash"])
    assert cash == Decimal(int(want.fen.sum())) / 100


def test_assess_table_refuses_a_bad_file_with_exit_2_and_one_line(tmp_path) -> None:
    path = tmp_path / "bad.parquet"
    pq.write_table(_with_member_value(table(200), "sex", 3, 0, "x"), path)
    done = _bangfu("assess-table", str(path), "--no-progress")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "members.sex: 第3户" in done.stderr


def test_a_batch_from_the_middle_of_a_file_names_the_household_by_its_number() -> None:
    t = _with_member_value(table(200), "employment", 17, 0, "idle")
    starts = _first_rows(t)
    middle = t.slice(starts[10], starts[50] - starts[10]).combine_chunks()
    with pytest.raises(InputError, match=r"^members.employment: 第17户,members\[0\]:'idle'"):
        population_from_arrow(middle, first_row=100)
    with pytest.raises(InputError, match=r"^members.employment: 第107行,members\[0\]:'idle'"):
        population_from_arrow(nested(t).slice(10, 40).combine_chunks(), first_row=100)  # rows counted


@pytest.mark.parametrize("one_day", [True, False])
def test_a_member_born_after_the_as_of_of_their_household_refuses_the_table(one_day: bool) -> None:
    t = table(200)
    starts = _first_rows(t)
    days = t.column("as_of").to_pylist()
    day = days[starts[17]]
    if not one_day:  # household 17 assessed a year earlier than the others
        day = day.replace(year=day.year - 1)
        days[starts[17]:starts[18]] = [day] * int(starts[18] - starts[17])
        t = t.set_column(t.schema.get_field_index("as_of"), "as_of", pa.array(days, pa.date32()))
    born = day.toordinal() + 1  # the day after household 17's as_of: before the others' when not one_day
    births = t.column("birth_date").to_pylist()
    births[starts[17] + 1] = datetime.date.fromordinal(born)
    bad = t.set_column(t.schema.get_field_index("birth_date"), "birth_date", pa.array(births, pa.date32()))
    for layout, unit in ((bad, "户"), (nested(bad), "行")):  # a household by its number, a row of the former layout
        with pytest.raises(InputError, match=rf"^members\.birth_date: 第17{unit},members\[1\]:晚于评估日期as_of"):
            population_from_arrow(layout)


def test_a_file_of_the_former_layout_reads_as_the_same_population(tmp_path) -> None:
    t = table(300)
    pq.write_table(t, tmp_path / "new.parquet", **pf.WRITE_OPTIONS)
    pq.write_table(nested(t), tmp_path / "old.parquet")
    got, want = (read_population(tmp_path / f"{k}.parquet", member_ids=True) for k in ("old", "new"))
    for name in HOUSEHOLD_COLUMNS + PERSON_COLUMNS:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fM"), name
    assert to_documents(nested(t)) == to_documents(t)
    assert assess_file(str(tmp_path / "old.parquet"), progress=False).rows() == assess_file(
        str(tmp_path / "new.parquet"), progress=False).rows()


def test_a_file_of_the_former_layout_read_on_threads_names_the_row_of_the_file(tmp_path) -> None:
    """Row groups read and converted on threads (`files.populations`) count the former layout's rows across them."""
    bad = nested(_with_member_value(table(200), "employment", 117, 0, "idle"))
    pq.write_table(bad, tmp_path / "old.parquet", row_group_size=50)
    with pytest.raises(InputError, match=r"^members.employment: 第117行,members\[0\]:'idle'"):
        assess_file(str(tmp_path / "old.parquet"), progress=False)


def test_households_across_row_groups_and_batches_are_read_whole(tmp_path) -> None:
    """A file of another writer may end a row group in the middle of a household: it is read whole, as a
    population of small batches is."""
    t = table(300)
    pq.write_table(t, tmp_path / "cut.parquet", row_group_size=7)
    assert pq.ParquetFile(tmp_path / "cut.parquet").metadata.num_row_groups > 100
    got, want = read_population(tmp_path / "cut.parquet", member_ids=True), population_from_arrow(t, member_ids=True)
    for name in HOUSEHOLD_COLUMNS + PERSON_COLUMNS:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fM"), name
    assert got.member_ids == want.member_ids
    from bangfu.policy.files import parquet_batches

    sizes = [population_from_arrow(b).n_households for b in parquet_batches(tmp_path / "cut.parquet", 2)]
    assert max(sizes) == 2 and sum(sizes) == 300


def test_members_of_one_household_on_rows_apart_are_refused() -> None:
    t = table(50)
    numbers = t.column(pf.KEY).to_numpy().copy()
    numbers[-1] = 3
    bad = t.set_column(t.schema.get_field_index(pf.KEY), pf.KEY, pa.array(numbers))
    with pytest.raises(InputError, match=r"^household: 第3户:应按户递增"):
        population_from_arrow(bad)


def test_a_household_numbered_again_in_a_later_row_group_is_refused(tmp_path) -> None:
    """Its rows apart, in two row groups: refused as within one batch, not read as two households."""
    from bangfu.policy.files import populations

    t = table(50)
    numbers = t.column(pf.KEY).to_numpy().copy()
    last = int(np.searchsorted(numbers, numbers[-1]))  # the last household's first row
    numbers[last:] = 3
    bad = t.set_column(t.schema.get_field_index(pf.KEY), pf.KEY, pa.array(numbers))
    pq.write_table(bad, tmp_path / "apart.parquet", row_group_size=last)
    with pytest.raises(InputError, match=r"^household: 第3户:应按户递增"):
        read_population(tmp_path / "apart.parquet")
    with pytest.raises(InputError, match=r"^household: 第3户:应按户递增"):
        list(populations(tmp_path / "apart.parquet", 1 << 17))


def test_files_of_a_directory_each_numbered_from_0_are_read_file_by_file(tmp_path) -> None:
    """Two exports in one directory: the first's last household and the second's first (both number 0) are two."""
    from bangfu.policy.files import populations

    (tmp_path / "dir").mkdir()
    pq.write_table(population_table(1, 3), tmp_path / "dir" / "a.parquet")
    pq.write_table(population_table(5, 4), tmp_path / "dir" / "b.parquet")
    assert sum(p.n_households for p, _ in populations(tmp_path / "dir", 1 << 17)) == 6
    assert read_population(tmp_path / "dir").n_households == 6  # in memory too


def _former(t: pa.DataType, name: str = "") -> pa.DataType:
    """A type of the file before int32 dictionaries: enumerations indexed by int8 (regions by int16), ids strings."""
    if pa.types.is_dictionary(t):
        return pa.string() if name == "id" else pa.dictionary(pa.int16() if name == "region" else pa.int8(), t.value_type)
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, _former(f.type, f.name)) for f in t])
    if pa.types.is_list(t):
        return pa.list_(_former(t.value_type))
    return t


def test_a_file_of_the_former_types_reads_as_the_same_population(tmp_path) -> None:
    t = nested(table(300))
    former = t.cast(pa.schema([pa.field(f.name, _former(f.type, f.name)) for f in t.schema]))
    assert pa.types.is_dictionary(t.schema.field("members").type.value_type.field("id").type)
    assert former.schema.field("members").type.value_type.field("id").type == pa.string()
    pq.write_table(t, tmp_path / "new.parquet")
    pq.write_table(former, tmp_path / "old.parquet")
    got, want = (read_population(tmp_path / f"{k}.parquet", member_ids=True) for k in ("old", "new"))
    for name in HOUSEHOLD_COLUMNS + PERSON_COLUMNS:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fM"), name
    assert got.member_ids == want.member_ids == [m["id"] for d in to_documents(t) for m in d["members"]]


def _with_ids(t: pa.Table, ids: pa.DictionaryArray) -> pa.Table:
    return t.set_column(t.schema.get_field_index("id"), "id", ids)


def test_ids_read_as_a_dictionary_are_refused_when_repeated_in_a_household_or_empty() -> None:
    t = table(200).combine_chunks()
    sizes = np.diff(_first_rows(t))
    row = int(np.argmax(sizes >= 2))
    start = int(_first_rows(t)[row])
    position = np.concatenate([np.arange(k) for k in sizes]).astype(np.int32)
    # the dictionary repeats m1: household `row`'s second member is m1 again, under another index
    entries = pa.array(["m1", "m2", "m3", "m4", "m5", "m6", "m1", ""])
    repeated = position.copy()
    repeated[start + 1] = 6
    with pytest.raises(InputError, match=rf"^members\.id: 第{row}户,members\[1\]:成员id重复"):
        population_from_arrow(_with_ids(t, pa.DictionaryArray.from_arrays(repeated, entries)))
    empty = position.copy()
    empty[start + 1] = 7
    with pytest.raises(InputError, match=rf"^members\.id: 第{row}户,members\[1\]:id不能为空"):
        population_from_arrow(_with_ids(t, pa.DictionaryArray.from_arrays(empty, entries)))
    fine = population_from_arrow(_with_ids(t, pa.DictionaryArray.from_arrays(position, entries)), member_ids=True)
    assert fine.member_ids[start:start + 2] == ["m1", "m2"]


def test_an_unknown_cause_refuses_the_table_naming_its_household() -> None:
    t = table(200)
    causes = t.column("hardship_causes").to_pylist()
    first, end = (int(x) for x in _first_rows(t)[5:7])
    causes[first:end] = [["illness", "bogus"]] * (end - first)  # on each of the household's rows

    def with_causes(values):
        return t.set_column(t.schema.get_field_index("hardship_causes"), "hardship_causes",
                            pa.array(values, pa.list_(pa.string())))

    for layout, unit in ((with_causes(causes), "户"), (nested(with_causes(causes)), "行")):
        with pytest.raises(InputError, match=rf"^hardship_causes: 第5{unit}:'bogus'不是可选值之一"):
            population_from_arrow(layout)
    causes[first:end] = [["illness", "disability"]] * (end - first)
    fine = population_from_arrow(with_causes(causes))
    assert fine.causes[5] == 0b11 and (fine.causes[:5] == population_from_arrow(t).causes[:5]).all()


def test_causes_read_alike_whatever_the_dictionary_and_a_null_cause_is_refused() -> None:
    """Causes as bangfu writes them (a dictionary of the labels in order: each index is the code) and as another
    program may (the labels in another order, plain strings) read as the same bits, in either layout; a null
    among a household's causes is refused, naming the household."""
    t = table(300)
    causes = t.column("hardship_causes").to_pylist()
    labels = pf.LABELS["hardship_causes"]

    def with_causes(values, dictionary):
        offsets = pa.array(np.cumsum([0, *(len(v or []) for v in values)]).astype(np.int32))
        flat = [c for v in values for c in v or []]
        codes = [None if c is None else dictionary.index(c) for c in flat]
        lists = pa.ListArray.from_arrays(offsets, pa.DictionaryArray.from_arrays(
            pa.array(codes, pa.int32()), pa.array(dictionary)), mask=pa.array([v is None for v in values]))
        return t.set_column(t.schema.get_field_index("hardship_causes"), "hardship_causes", lists)

    expected = population_from_arrow(t).causes
    assert expected.any()
    for layout in (lambda x: x, nested):
        for dictionary in (list(labels), list(reversed(labels)), list(labels[:3])):
            kept = [None if v is None else [c for c in v if c in dictionary] for v in causes]
            bits = [sum(1 << labels.index(c) for c in set(v or [])) for v in kept]
            read = population_from_arrow(layout(with_causes(kept, dictionary))).causes
            assert read.tolist() == [bits[i] for i in _first_rows(t)[:-1]]
    first, end = (int(x) for x in _first_rows(t)[7:9])
    for repeated in (["illness", "illness"], ["disability", "illness", "disability", "disability"]):
        causes[first:end] = [repeated] * (end - first)  # a cause listed twice counts once
        for layout in (lambda x: x, nested):
            assert population_from_arrow(layout(with_causes(causes, list(labels)))).causes[7] == sum(
                1 << labels.index(c) for c in set(repeated))
    causes[first:end] = [["illness", None]] * (end - first)
    for layout, unit in ((with_causes(causes, list(labels)), "户"), (nested(with_causes(causes, list(labels))), "行")):
        with pytest.raises(InputError, match=rf"^hardship_causes: 第7{unit}:缺少取值"):
            population_from_arrow(layout)


def test_school_and_business_fields_are_checked_where_present_naming_the_member() -> None:
    """Their fields are read at the members who have one only: a bad one there is refused, with its member."""
    t = table(200)
    row = int(_first_rows(t)[9]) + 1 if np.diff(_first_rows(t))[9] > 1 else int(_first_rows(t)[9])
    member = row - int(_first_rows(t)[9])
    day = t.column("as_of")[row].as_py()
    for field, value, message in [
        ("school", {"stage": "primary", "year": 0, "institution": "public"}, r"school\.year: 第9户,members\[\d\]:应不小于1"),
        ("school", {"stage": None, "year": 2, "institution": "public"}, r"school\.stage: 第9户,members\[\d\]:缺少取值"),
        ("business", {"kind": "individual", "registered_on": day + datetime.timedelta(days=1)},
         r"business\.registered_on: 第9户,members\[\d\]:晚于评估日期as_of"),
    ]:
        values = t.column(field).to_pylist()
        values[row] = value
        bad = t.set_column(t.schema.get_field_index(field), field, pa.array(values, t.schema.field(field).type))
        for layout, unit in ((bad, "户"), (nested(bad), "行")):
            with pytest.raises(InputError, match=rf"^members\.{message.replace('户', unit)}") as caught:
                population_from_arrow(layout)
            assert f"members[{member}]" in str(caught.value)


@pytest.mark.parametrize("field, value", [
    ("monthly_income", -5.0), ("monthly_income", None), ("category", "hardship"), ("region", "320200"),
    ("archived", False), ("as_of", datetime.date(2020, 1, 1)), ("cpi_yoy_percent", 9.5),
    ("hardship_causes", ["illness"]), ("hardship_causes", None),
])
def test_a_household_field_that_differs_on_a_later_row_of_the_household_is_refused(field, value) -> None:
    """Read at the household's first row: a later row that says otherwise (a file from another program) is refused,
    naming the household, never silently ignored."""
    t = table(200)
    starts = _first_rows(t)
    household = next(i for i in range(len(starts) - 1) if starts[i + 1] - starts[i] > 1)
    column = t.column(field)
    values = column.to_pylist()
    if values[starts[household]] == value or (field == "hardship_causes" and not values[starts[household]]
                                              and not value):  # null and empty alike: no causes
        pytest.skip("the household already has this value")
    values[starts[household] + 1] = value
    bad = t.set_column(t.schema.get_field_index(field), field, pa.array(values, column.type))
    with pytest.raises(InputError, match=rf"^{field}: 第{household}户:同一户各行的取值应相同"):
        population_from_arrow(bad)
    values[starts[household]:starts[household + 1]] = [value] * int(starts[household + 1] - starts[household])
    try:  # the same on every row: read, or refused for what it is (a negative income, members born after as_of)
        population_from_arrow(t.set_column(t.schema.get_field_index(field), field, pa.array(values, column.type)))
    except InputError as refused:
        assert "同一户各行" not in str(refused)


def test_a_null_cause_on_a_later_row_is_refused_as_differing() -> None:
    """A later row of a household listing a null cause where the first lists one (another program's file) differs
    from it, whatever index lies under the null (Arrow writes 0 there: the first label's)."""
    t = table(200)
    starts = _first_rows(t)
    household = next(i for i in range(len(starts) - 1) if starts[i + 1] - starts[i] > 1)
    labels = list(pf.LABELS["hardship_causes"])
    rows = [[labels[0]] if starts[household] <= r < starts[household + 1] else [] for r in range(t.num_rows)]
    later = int(starts[household]) + 1
    codes = [None if r == later else labels.index(c) for r, row in enumerate(rows) for c in row]
    offsets = pa.array(np.cumsum([0, *map(len, rows)]).astype(np.int32))
    lists = pa.ListArray.from_arrays(offsets, pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()),
                                                                             pa.array(labels)))
    with pytest.raises(InputError, match=rf"^hardship_causes: 第{household}户:同一户各行的取值应相同"):
        population_from_arrow(t.set_column(t.schema.get_field_index("hardship_causes"), "hardship_causes", lists))


# a null among a row's values too: it differs from any value, whatever lies under it
LISTS = st.lists(st.one_of(st.none(), st.lists(st.sampled_from(["a", "b", "c", None]), max_size=4)), min_size=1,
                 max_size=40)


@settings(max_examples=300, deadline=None)
@given(rows=LISTS, offset=st.integers(0, 3), dictionary=st.booleans())
def test_lists_differ_from_the_row_before_as_python_compares_them(rows, offset, dictionary) -> None:
    """`_differs` of a list column (hardship_causes, compared value against value at once): a row differs from the
    one before where its values or their order differ, null and empty alike; in a slice, a dictionary's too."""
    from bangfu.policy.arrow import _differs

    # A null row spans values of its own (another program may leave them): they are no part of the list.
    lists = [["a", "z"]] * offset + [["c", "a"] if row is None else row for row in rows]
    offsets = pa.array(np.cumsum([0, *map(len, lists)]).astype(np.int32))
    flat = pa.array([v for row in lists for v in row], pa.string())
    values = pa.ListArray.from_arrays(offsets, flat.dictionary_encode() if dictionary else flat,
                                      mask=pa.array([False] * offset + [row is None for row in rows]))
    arr = values.slice(offset)
    expected = [False] + [(rows[i] or []) != (rows[i - 1] or []) for i in range(1, len(rows))]
    assert _differs(arr).tolist() == expected
