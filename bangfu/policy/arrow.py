"""Reading households from Arrow (Parquet) into a Population: whole columns at once, enumerations checked."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from bangfu.policy import schema as s
from bangfu.policy.messages import AFTER_AS_OF
from bangfu.policy.parquet import HOUSEHOLD as HOUSEHOLD_SCHEMA
from bangfu.policy.parquet import KEY, is_nested
from bangfu.policy.regions import region_error, region_index
from bangfu.policy.schema import MORE_THAN_ONE_SELF, NO_SELF, InputError
from bangfu.policy.table import _DTYPES, HOUSEHOLD_COLUMNS, PERSON_COLUMNS, Population


def _bits(buffer: pa.Buffer, offset: int, n: int, take: np.ndarray | None) -> np.ndarray:
    """A bitmap's `n` bits from `offset` (those at `take` only, when given) as booleans."""
    bits = np.frombuffer(buffer, np.uint8)
    if take is None:
        return np.unpackbits(bits, count=offset + n, bitorder="little")[offset:].view(bool)
    at = take + offset
    return ((bits[at >> 3] >> (at & 7).astype(np.uint8)) & 1).view(bool)


def _plain(arr: pa.Array, take: np.ndarray | None = None) -> np.ndarray:
    """The values of a primitive array (boolean, integer, float, date32) read from its buffer, whatever lies
    under its nulls (those at `take` only, when given): no compute kernel, no copy but for booleans (unpacked
    from bits) and `take`."""
    n, offset = len(arr), arr.offset
    data = arr.buffers()[1]
    if pa.types.is_boolean(arr.type):
        return np.zeros(n if take is None else len(take), bool) if data is None else _bits(data, offset, n, take)
    dtype = np.int32 if pa.types.is_date32(arr.type) else arr.type.to_pandas_dtype()
    if data is None:
        return np.zeros(n if take is None else len(take), dtype)
    out = np.frombuffer(data, dtype, count=offset + n)[offset:]
    if take is not None:
        out = out[take]
    return out.astype("datetime64[D]") if pa.types.is_date32(arr.type) else out


def _null_mask(arr: pa.Array, take: np.ndarray | None = None) -> np.ndarray | None:
    """Where `arr` is null (None: nowhere), at `take` only when given."""
    if not arr.null_count:
        return None
    return ~_bits(arr.buffers()[0], arr.offset, len(arr), take)


def _offsets(arr: pa.Array) -> np.ndarray:
    """The offsets of a list or string array (len + 1 of them), read from its buffer."""
    dtype = np.int64 if pa.types.is_large_list(arr.type) or pa.types.is_large_string(arr.type) else np.int32
    return np.frombuffer(arr.buffers()[1], dtype, count=arr.offset + len(arr) + 1)[arr.offset:]


def _lengths(lists: pa.Array) -> np.ndarray:
    """Each list's length, 0 for a null one (whatever its offsets span, as `flatten` drops it)."""
    lengths = np.diff(_offsets(lists))
    nulls = _null_mask(lists)
    return lengths if nulls is None else np.where(nulls, 0, lengths)


COLUMN_MISSING = "缺少该列"
HOUSEHOLD_FIELDS = tuple(HOUSEHOLD_SCHEMA.names)
NOT_ASCENDING = "应按户递增(同一户的成员在相邻的行)"
SAME_IN_HOUSEHOLD = "同一户各行的取值应相同(与该户第一行不同)"
ROW, HOUSEHOLD = "行", "户"  # what a refusal counts: a row of the former layout, a household by its number


def _where(rows: np.ndarray, pos: int, members: np.ndarray | None, unit: str = ROW) -> str:
    return f"第{rows[pos]}{unit}" + ("" if members is None else f",members[{members[pos]}]")


class _Columns:
    """The columns of one record batch (or of a struct inside it), decoded and checked as a whole."""

    def __init__(self, arrays: dict[str, pa.Array], prefix: str, rows: np.ndarray,
                 members: np.ndarray | None = None, present: np.ndarray | None = None,
                 take: np.ndarray | None = None, unit: str = ROW):
        self.arrays, self.prefix, self.rows, self.members, self.unit = arrays, prefix, rows, members, unit
        self.present = present  # rows where this struct exists (None: all)
        self.take = take  # the arrays' rows that are these columns' (None: all, in order)
        self.n = len(rows)

    def plain(self, arr: pa.Array) -> np.ndarray:
        return _plain(arr, self.take)

    def refuse(self, name: str, bad: np.ndarray, message: str) -> None:
        if bad.any():
            pos = int(np.argmax(bad))
            raise InputError(self.prefix + name, f"{_where(self.rows, pos, self.members, self.unit)}:{message}")

    def _nulls(self, name: str, arr: pa.Array, default: Any) -> np.ndarray | None:
        """Where `arr` is null (None: nowhere); refused where the field has no default."""
        nulls = _null_mask(arr, self.take)
        if nulls is not None and self.take is not None and not nulls.any():
            nulls = None
        if nulls is not None and default is None:
            self.refuse(name, nulls if self.present is None else nulls & self.present, "缺少取值(null)")
        return nulls

    def _absent(self, name: str, default: Any) -> Any:
        if default is None and (self.present is None or self.present.any()):
            raise InputError(self.prefix + name, COLUMN_MISSING)
        return 0 if default is None else default

    def values(self, name: str, default: Any = None) -> np.ndarray:
        """Plain values; a null is the default, refused where the field has none."""
        arr = self.arrays.get(name)
        if arr is None:
            return np.full(self.n, self._absent(name, default))
        nulls = self._nulls(name, arr, default)
        if not (pa.types.is_boolean(arr.type) or pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type)
                or pa.types.is_date32(arr.type)):
            raise InputError(self.prefix + name, f"不应为{arr.type}类型")
        out = self.plain(arr)
        if nulls is None:
            return out.astype(np.float64, copy=False) if pa.types.is_floating(arr.type) else out
        if pa.types.is_date32(arr.type):
            return np.where(nulls, np.datetime64("NaT"), out)
        if pa.types.is_floating(arr.type):
            return np.where(nulls, np.nan if default is None else default, out).astype(np.float64)
        return np.where(nulls, (False if pa.types.is_boolean(arr.type) else 0) if default is None else default, out)

    def codes(self, name: str, labels: tuple[str, ...], default: int | None = None, offset: int = 0,
              arr: pa.Array | None = None) -> np.ndarray:
        """Enumeration codes: the position in `labels` (+ offset); an unknown value is refused."""
        arr = self.arrays.get(name) if arr is None else arr
        if arr is None:
            return np.full(self.n, self._absent(name, default) + offset, np.int16)
        if not pa.types.is_dictionary(arr.type):
            arr = arr.dictionary_encode()
        known = {v: i for i, v in enumerate(labels)}
        dictionary = arr.dictionary.to_pylist()
        lookup = np.array([known.get(v, -1) for v in dictionary] + [-2], np.int16)
        nulls = self._nulls(name, arr, default)
        indices = self.plain(arr.indices)
        if len(dictionary) <= 127:  # int32 as Parquet's are read: the arithmetic below on a byte per member
            indices = indices.astype(np.int8, copy=False)
        if (lookup[:-1] == np.arange(len(dictionary))).all():
            codes = indices  # the dictionary is the labels in order (as bangfu writes it): the indices are codes
        else:
            if nulls is not None:  # whatever lies under a null is no index: the last entry of the look-up
                indices = np.where(nulls, len(dictionary), indices)
            codes = lookup[indices]
            unknown = codes == -1
            if unknown.any():
                pos = int(np.argmax(unknown))
                at = pos if self.take is None else int(self.take[pos])
                self.refuse(name, unknown, f"{arr[at].as_py()!r}不是可选值之一({'、'.join(labels)})")
        if nulls is not None:
            codes = np.where(nulls, default or 0, codes)
        return codes + offset if offset else codes

    def struct(self, name: str) -> tuple[_Columns, np.ndarray]:
        """A nullable struct field (school, business): its columns at the rows where it is present only, and
        those rows. A tenth of members has a school and fewer a business: their fields are converted there."""
        arr = self.arrays.get(name)
        if arr is None:
            at = np.zeros(0, np.intp)
            return _Columns({}, f"{self.prefix}{name}.", self.rows[at], self.members[at], np.zeros(0, bool),
                            unit=self.unit), at
        nulls = _null_mask(arr)
        at = np.arange(self.n) if nulls is None else np.flatnonzero(~nulls)
        # The children as stored (not flatten's, whose nulls merge the struct's): only present rows are read.
        children = {f.name: arr.field(i) for i, f in enumerate(arr.type)}
        return _Columns(children, f"{self.prefix}{name}.", self.rows[at], self.members[at], take=at,
                        unit=self.unit), at


def _spread(n: int, at: np.ndarray, values: np.ndarray, default) -> np.ndarray:
    """Values at rows `at` of `n`, `default` elsewhere."""
    out = np.full(n, default, values.dtype)
    out[at] = values
    return out


def _region(h: _Columns, as_of: np.ndarray) -> np.ndarray:
    """Region indices; each (code, day) pair in the batch is checked once."""
    arr = h.arrays.get("region")
    if arr is None:
        raise InputError("region", COLUMN_MISSING)
    arr = arr if pa.types.is_dictionary(arr.type) else arr.dictionary_encode()
    h._nulls("region", arr, None)
    codes = arr.dictionary.to_pylist()
    index = region_index()
    lookup = np.array([index.get(code, -1) for code in codes], np.int32)
    idx = h.plain(arr.indices).astype(np.int64)
    days = as_of.view(np.int64)
    first_day = int(days.min()) if len(days) else 0
    span = int(days.max()) - first_day + 1 if len(days) else 1
    key = idx * span + (days - first_day)
    if len(codes) * span <= 4 * max(h.n, 1024):  # a few days: which pairs occur, without sorting
        pairs = np.flatnonzero(np.bincount(key, minlength=len(codes) * span))
    else:
        pairs = np.unique(key)
    bad = [k for k in pairs.tolist()
           if region_error(codes[k // span], (np.datetime64(first_day + k % span, "D")).item())]
    if bad:
        pos = int(np.argmax(np.isin(key, bad)))
        h.refuse("region", np.arange(h.n) == pos, region_error(codes[idx[pos]], as_of[pos].item()) or "")
    return lookup[idx]


class _RunRows:
    """The household (as messages name it) of each value in runs of values, looked up for a refusal only."""

    def __init__(self, starts: np.ndarray, rows: np.ndarray, total: int):
        self.starts, self.rows, self.total = starts, rows, total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, pos: int):
        return self.rows[int(np.searchsorted(self.starts, pos, "right")) - 1]


def _coded(arr: pa.Array, labels: tuple[str, ...]) -> bool:
    """Whether `arr` holds enumeration codes as bangfu writes them: a dictionary of known labels in their order,
    no null (each index is the value's code, and no value needs a check)."""
    return (pa.types.is_dictionary(arr.type) and not arr.null_count and len(arr.dictionary) <= len(labels)
            and arr.dictionary.to_pylist() == list(labels[:len(arr.dictionary)]))


def _causes(h: _Columns) -> np.ndarray:
    """Each household's causes as bits, or-ed over its list (its first row's, in the current layout).

    Causes as bangfu writes them (`_coded`) are summed along the values; others are gathered run after run by a
    cumulative sum of jumps (np.repeat of each value's household was most of this), each household's bits
    or-ed over its run."""
    causes = np.zeros(h.n, np.int16)
    arr = h.arrays.get("hardship_causes")
    if arr is None:
        return causes
    spans = _offsets(arr)
    rows = np.arange(len(arr)) if h.take is None else h.take
    firsts = spans[rows] - spans[0]
    lengths = spans[rows + 1] - spans[rows]
    nulls = _null_mask(arr, h.take)
    listed = lengths > 0 if nulls is None else (lengths > 0) & ~nulls
    flat = arr.values.slice(int(spans[0]), int(spans[-1] - spans[0]))
    if _coded(flat, s.CAUSES):  # each value's index is its code, known: or-ed where the lists lie, no gather
        # Each cause a bit, summed along the values (a household's: the sum over its list): its or where no cause
        # is listed twice, as many bits as the list is long. A list that repeats one is or-ed place by place.
        each = np.zeros(len(flat) + 1, np.int16)  # a last entry: reduceat's indices stay within it
        np.left_shift(1, _plain(flat.indices), out=each[:-1], dtype=np.int16)
        summed = np.zeros(len(flat) + 1, np.int64)
        np.cumsum(each[:-1], out=summed[1:])
        total = summed[firsts + lengths] - summed[firsts]
        causes[:] = np.where(listed, total, 0)
        again = np.flatnonzero(listed & (np.bitwise_count(total) != lengths))
        if len(again):
            bounds = np.empty(2 * len(again), np.intp)
            bounds[0::2] = firsts[again]
            bounds[1::2] = bounds[0::2] + lengths[again]
            causes[again] = np.bitwise_or.reduceat(each, bounds)[0::2]
        return causes
    lengths = np.where(listed, lengths, 0)
    runs = (np.cumsum(lengths) - lengths)[listed]  # where each listed household's values start, gathered
    total = int(lengths.sum())
    jumps = np.zeros(total, np.intp)
    jumps[runs] = np.diff((firsts[listed] - runs), prepend=0)
    take = np.arange(total) + np.cumsum(jumps)
    values = _Columns({"hardship_causes": flat}, "", _RunRows(runs, h.rows[listed], total), take=take,
                      unit=h.unit)
    codes = values.codes("hardship_causes", s.CAUSES)
    if total:
        causes[listed] = np.bitwise_or.reduceat(np.left_shift(1, codes, dtype=np.int16), runs)
    return causes


def _households(h: _Columns) -> dict[str, np.ndarray]:
    as_of = h.values("as_of")
    income = h.values("monthly_income", 0.0)
    h.refuse("monthly_income", ~(income >= 0) | np.isinf(income), "应为不小于0的数")
    cpi = h.values("cpi_yoy_percent", np.nan)
    h.refuse("cpi_yoy_percent", np.isinf(cpi), "应为有限的数")
    return {
        "as_of": as_of, "region": _region(h, as_of), "category": h.codes("category", s.CATEGORIES),
        "archived": h.values("archived"), "dibao": h.values("dibao", False),
        "dibao_edge": h.values("dibao_edge", False), "monthly_income": income, "causes": _causes(h), "cpi": cpi,
    }


def _member_list(h: _Columns) -> tuple[_Columns, np.ndarray]:
    """The members of the former layout (a list per household) as columns, and each one's household."""
    lists = h.arrays.get("members")
    h._nulls("members", lists, None)
    lengths = _lengths(lists)
    h.refuse("members", lengths == 0, "至少应有一名成员")
    hh = np.repeat(np.arange(h.n), lengths)
    position = np.arange(len(hh)) - (np.cumsum(lengths) - lengths)[hh]
    flat = lists.flatten()
    m = _Columns(dict(zip([f.name for f in flat.type], flat.flatten(), strict=True)), "members.",
                 h.rows[hh], position)
    if flat.null_count:
        m.refuse("", _null_mask(flat), "成员不能为null")
    return m, hh


def _rows(arrays: dict[str, pa.Array]) -> tuple[_Columns, _Columns, np.ndarray]:
    """Households and members of a batch of the current layout (a row per member): the households' columns read
    at each one's first row, named by their number in the file."""
    key = arrays.get(KEY)
    if key is None:
        raise InputError(KEY, COLUMN_MISSING)
    if not pa.types.is_integer(key.type):
        raise InputError(KEY, f"不应为{key.type}类型")
    every = _Columns(arrays, "", np.arange(len(key)), unit=HOUSEHOLD)
    number = every.values(KEY)
    every.rows = number  # a household named by its number
    first = np.ones(len(number), bool)
    np.not_equal(number[1:], number[:-1], out=first[1:])
    if (number[1:] < number[:-1]).any():
        every.refuse(KEY, np.concatenate([[False], number[1:] < number[:-1]]), NOT_ASCENDING)
    starts = np.flatnonzero(first)
    hh = np.cumsum(first)
    hh -= 1
    later = ~first
    for name in HOUSEHOLD_FIELDS:  # read at the first row: every later one must say the same
        if name in arrays:
            differs = _differs(arrays[name])
            every.refuse(name, np.logical_and(differs, later, out=differs), SAME_IN_HOUSEHOLD)
    h = _Columns(arrays, "", number[starts], take=starts, unit=HOUSEHOLD)
    # Each member named by its household's number (the number on its own row) and its place in it.
    m = _Columns({k: v for k, v in arrays.items() if k != KEY}, "members.", number, np.arange(len(hh)) - starts[hh],
                 unit=HOUSEHOLD)
    return h, m, hh


def _canonical(arr: pa.Array) -> np.ndarray:
    """Integers equal exactly where the values of an enumeration (dictionary) or string array are equal."""
    if not pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_encode()
    indices = _plain(arr.indices)
    entries = arr.dictionary.to_pylist()
    if len(set(entries)) == len(entries):
        return indices
    seen: dict = {}
    return np.array([seen.setdefault(v, len(seen)) for v in entries], np.int32)[indices]


def _differs(arr: pa.Array) -> np.ndarray:
    """Where a row's value differs from the row before's (a null equal to a null only, NaN to NaN; for a list,
    the same values in the same order, null and empty alike); never on the first row."""
    n = len(arr)
    out = np.zeros(n, bool)
    if n < 2:
        return out
    if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):
        spans, lengths = _offsets(arr), _lengths(arr)
        out[1:] = lengths[1:] != lengths[:-1]
        first, last = int(spans[0]), int(spans[-1])
        if last > first:
            # Each value against the one as many places before as its row is long: in a row as long as the row
            # before (never null: a null row's length is 0), the value at its place in the row before (a list's
            # values are contiguous); a row differs where any of its values does (unequal values counted as
            # they go). Spans, not lengths, so that a null row's values (if any) keep their place. A value of
            # a row longer than the one before may point before the first (a negative index): compared, unused.
            own = np.diff(spans)
            before = np.arange(first, last, dtype=own.dtype)
            before -= np.repeat(own, own)
            values = _canonical(arr.values)
            nulls = _null_mask(arr.values)
            if nulls is not None:  # a null value: equal to a null only, whatever index lies under it
                values = np.where(nulls, -1, values)
            unequal = np.zeros(last - first + 1, np.int32)
            np.cumsum(values[first:last] != values[before], out=unequal[1:])
            count = unequal[spans - first]
            differs = count[2:] != count[1:-1]
            if arr.null_count:
                differs &= lengths[1:] > 0
            out[1:] |= differs
        return out
    if pa.types.is_dictionary(arr.type) or pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        values = _canonical(arr)
    else:  # dates as their day numbers (no datetime64 copy)
        values = _plain(arr.view(pa.int32()) if pa.types.is_date32(arr.type) else arr)
    np.not_equal(values[1:], values[:-1], out=out[1:])
    if values.dtype.kind == "f":
        out[1:] &= ~(np.isnan(values[1:]) & np.isnan(values[:-1]))
    nulls = _null_mask(arr)
    if nulls is not None:
        out[1:] = np.where(nulls[1:] | nulls[:-1], nulls[1:] != nulls[:-1], out[1:])
    return out


_SHIFTS = 32  # households up to this size: duplicate ids found by comparing each member with the ones before


def _ids(m: _Columns, hh: np.ndarray) -> pa.Array:
    ids = m.arrays.get("id")
    if ids is None:
        raise InputError("members.id", COLUMN_MISSING)
    m._nulls("id", ids, None)
    if pa.types.is_dictionary(ids.type):  # as bangfu writes them: each distinct id looked at once
        entries = ids.dictionary
        indices = _plain(ids.indices)
        empty = np.diff(_offsets(entries)) == 0
        # a dictionary may repeat an entry: equal ids, equal numbers only once it is itself encoded
        if len(entries) <= 4096:  # without Arrow's compute functions (their import was a tenth of a second)
            seen: dict = {}
            first = [seen.setdefault(v, len(seen)) for v in entries.to_pylist()]
            number = indices if len(seen) == len(first) else np.array(first, np.int32)[indices]  # distinct: as is
        else:
            number = _plain(entries.dictionary_encode().indices)[indices]
        if empty.any():
            m.refuse("id", empty[indices], "id不能为空")
    else:
        m.refuse("id", np.diff(_offsets(ids)) == 0, "id不能为空")
        number = _plain(ids.dictionary_encode().indices)  # equal ids, equal numbers
    if (number == m.members).all():  # each member's id numbered by its place (m1, m2, … as synth writes them)
        return ids
    duplicate = np.zeros(len(hh), bool)
    largest = int(m.members.max(initial=-1)) + 1
    if largest <= _SHIFTS:  # members of a household are consecutive: each against the ones before
        for d in range(1, largest):
            duplicate[d:] |= (number[d:] == number[:-d]) & (hh[d:] == hh[:-d])
    else:
        key = hh * (int(number.max(initial=0)) + 1) + number
        order = np.argsort(key, kind="stable")
        duplicate[order[1:]] = key[order[1:]] == key[order[:-1]]
    m.refuse("id", duplicate, "成员id重复")
    return ids


def _school(m: _Columns) -> dict[str, np.ndarray]:
    c, at = m.struct("school")
    year = c.values("year")
    c.refuse("year", year < 1, "应不小于1")
    return {
        "stage": _spread(m.n, at, c.codes("stage", s.STAGES[1:], offset=1), 0),
        "school_year": _spread(m.n, at, np.minimum(year, np.iinfo(_DTYPES["school_year"]).max).astype(
            _DTYPES["school_year"]), 0),
        "institution": _spread(m.n, at, c.codes("institution", s.INSTITUTIONS), 0),
        "excellent": _spread(m.n, at, c.values("excellent", False), False),
    }


def _business(m: _Columns, as_of: np.ndarray) -> dict[str, np.ndarray]:
    c, at = m.struct("business")
    registered = c.values("registered_on")
    c.refuse("registered_on", registered > (as_of if np.ndim(as_of) == 0 else as_of[at]), AFTER_AS_OF)
    employees = c.values("employees", 0)
    c.refuse("employees", employees < 0, "应不小于0")
    none = s.PREMISES.index("none")
    return {
        "business": _spread(m.n, at, c.codes("kind", s.BUSINESS_KINDS[1:], offset=1), 0),
        "registered_on": _spread(m.n, at, registered, np.datetime64("NaT")),
        # No upper bound in the format; rules never read more than the column holds (as table.py).
        "employees": _spread(m.n, at, np.minimum(employees, np.iinfo(_DTYPES["employees"]).max), 0),
        "first_time": _spread(m.n, at, c.values("first_time", False), False),
        "premises": _spread(m.n, at, c.codes("premises", s.PREMISES, default=none), none),
        "other_rent_subsidy": _spread(m.n, at, c.values("other_rent_subsidy", False), False),
    }


def _each_member(as_of: np.ndarray, hh: np.ndarray) -> np.ndarray:
    """Each member's household as_of, or the one day of the whole batch (a population is mostly assessed on one
    day): compared as a scalar, no array of a day per member to gather."""
    if len(as_of) and (as_of == as_of[0]).all():
        return as_of[0]
    return as_of[hh]


def _persons(m: _Columns, hh: np.ndarray, as_of: np.ndarray) -> dict[str, np.ndarray]:
    sex = m.codes("sex", s.SEXES)
    given = m.codes("retirement_group", s.RETIREMENT_GROUPS, default=-1)
    m.refuse("retirement_group", (given >= 0) & ((given == 0) != (sex == 0)), "与性别sex不符")
    as_of = _each_member(as_of, hh)
    birth = m.values("birth_date")
    m.refuse("birth_date", birth > as_of, AFTER_AS_OF)
    disability = m.values("disability_grade", -1)
    m.refuse("disability_grade", (disability != -1) & ((disability < 1) | (disability > 4)), "应为1至4")
    return {
        "hh": hh, "relation": m.codes("relation", s.RELATIONS), "sex": sex,
        "group": np.where(given >= 0, given, sex != 0), "birth": birth,  # a byte each, as the column is
        "employment": m.codes("employment", s.EMPLOYMENTS, default=s.EMPLOYMENTS.index("none")),
        "work_ability": m.codes("work_ability", s.WORK_ABILITIES, default=0),
        "willing": m.values("willing_to_work", True), "disability": np.maximum(disability, 0),
        "poverty_target": m.values("poverty_alleviation_target", False),
        "medical_insurance": m.values("resident_medical_insurance", False),
        "pension_insurance": m.values("resident_pension_insurance", False),
        "serious_illness": m.values("serious_illness", False),
        **_school(m), **_business(m, as_of),
    }


def _batch(batch: pa.RecordBatch, row0: int, with_ids: bool) -> tuple[dict, dict, list[str] | None]:
    arrays = dict(zip(batch.schema.names, batch.columns, strict=True))
    if is_nested(batch.schema):
        h = _Columns(arrays, "", np.arange(row0, row0 + batch.num_rows))
        m, hh = _member_list(h)
    else:
        h, m, hh = _rows(arrays)
    households = _households(h)
    persons = _persons(m, hh, households["as_of"])
    selves = np.bincount(hh[persons["relation"] == 0], minlength=h.n)  # integers: no float weight per member
    h.refuse("members", selves == 0, NO_SELF)
    h.refuse("members", selves > 1, MORE_THAN_ONE_SELF)
    ids = _ids(m, hh)
    return households, persons, ids.to_pylist() if with_ids else None


def population_from_arrow(data: pa.Table | pa.RecordBatch | Iterable[pa.RecordBatch], *,
                          member_ids: bool = False, first_row: int = 0, whole: bool = False) -> Population:
    """The columnar form of a table of households (either layout of `bangfu.policy.parquet`), or of its record
    batches one after another (each freed once read).

    Bad values are refused as documents are (InputError), naming the column and the first bad household: by
    its number (the current layout), or by its row counted from `first_row` (the former layout, for a batch read
    from the middle of a file). `whole`: each batch already ends with a household's last row (`files.parquet_batches`:
    a directory's files each numbered on their own), so that batches are never joined at a household number.
    """
    batches = data.to_batches() if isinstance(data, pa.Table) else [data] if isinstance(data, pa.RecordBatch) else data
    parts, row0 = [], first_row
    for batch in (batches if whole else whole_households(batches)):
        households, persons, ids = _batch(batch, row0, member_ids)
        persons["hh"] = persons["hh"] + (row0 - first_row)
        parts.append((households, persons, ids))
        row0 += len(households["as_of"])
    columns = {}
    for names, k in ((HOUSEHOLD_COLUMNS, 0), (PERSON_COLUMNS, 1)):
        for name in names:
            arrays = [part[k].pop(name) for part in parts]  # each part's column freed once joined
            joined = arrays[0] if len(arrays) == 1 else np.concatenate(arrays) if arrays else np.zeros(0)
            del arrays
            columns[name] = joined.astype(_DTYPES[name], copy=False)
    ids = [i for part in parts for i in part[2]] if member_ids else None
    return Population(**columns, member_ids=ids)


def household_numbers(batch: pa.RecordBatch) -> np.ndarray | None:
    """The household numbers of a batch of the current layout (None: the former layout, or no numbers to read)."""
    key = batch.schema.get_field_index(KEY)
    if key < 0 or is_nested(batch.schema) or not pa.types.is_integer(batch.schema.types[key]):
        return None
    return _plain(batch.column(key))


def whole_households(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """`batches`, each ending with a household's last member: a household whose rows run on into the next batch
    (a row group written by another program) is moved into it. The former layout's batches pass as they are."""
    pending = None
    for batch in batches:
        if pending is not None:
            before, after = household_numbers(pending), household_numbers(batch)
            if before is not None and after is not None and len(before) and len(after) and before[-1] == after[0]:
                cut = int(np.searchsorted(before, before[-1]))  # ascending numbers: the last household's first row
                batch = pa.Table.from_batches([pending.slice(cut), batch]).combine_chunks().to_batches()[0]
                pending = pending.slice(0, cut)
            if pending.num_rows:
                yield pending
        pending = batch
    if pending is not None:
        yield pending
