"""Dated policy parameters, loaded from YAML: every value carries its reference, by province, city or county."""

from __future__ import annotations

import bisect
import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from bangfu.policy.regions import PROVINCE, all_regions, get_region

HERE = Path(__file__).parent
STATUSES = ("confirmed", "illustrative")
# libyaml's safe loader when PyYAML has it: the same documents, read several times faster (start-up).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ParameterError(ValueError):
    """A parameter file that breaks the rules of the loader (a value without a reference, …)."""


@dataclass(frozen=True, slots=True)
class Value:
    start: datetime.date
    value: float | None  # None: from this date on, no figure is held
    reference: dict
    status: str = "confirmed"

    @property
    def illustrative(self) -> bool:
        return self.status == "illustrative"


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    # region code (PROVINCE for the province) -> values sorted by start date
    values: dict[str, tuple[Value, ...]] = field(default_factory=dict)

    def _at_level(self, code: str, day: datetime.date) -> Value | None:
        series = self.values.get(code)
        if not series:
            return None
        i = bisect.bisect_right([v.start for v in series], day)
        return series[i - 1] if i else None

    def at(self, day: datetime.date, region: str = PROVINCE) -> Value | None:
        """The value in force on `day` for `region`: its county's, else its city's, else the province's."""
        chain = [region]
        known = get_region(region)
        if known is not None and not known.is_city:
            chain.append(known.city_code)
        if region != PROVINCE:
            chain.append(PROVINCE)
        for code in chain:
            value = self._at_level(code, day)
            if value is not None:
                return value
        return None


def _parse_reference(name: str, start: datetime.date, raw: dict) -> dict:
    reference = raw.get("reference")
    ok = isinstance(reference, dict) and (
        ("article" in reference and reference.get("quote")) or reference.get("document")
    )
    if not ok:
        raise ParameterError(
            f"{name} @ {start}: 每个取值都须注明依据(条款和原文,或文件)"
        )
    # Dates as ISO text, so that a reference is plain JSON wherever it goes (API, exports, the database).
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in reference.items()}


NOTICE_DAY = datetime.date(2019, 1, 10)  # 苏政办发[2019]2号: a reference by article and quote cites it


def document_day(reference: dict) -> datetime.date | None:
    """The day a value's document is known to exist: its `date`, the notice's for an article of it."""
    day = reference.get("date")
    if day is not None:
        return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day))
    if "article" in reference and not reference.get("document"):
        return NOTICE_DAY
    return None


def reference_problem(value: Value) -> str | None:
    """Why a value's reference does not stand, or None.

    A confirmed figure needs its document: an article of the notice with its quote, or a document named
    with its date (`number`, its 文号, where it has one). No value takes effect before its document's date.
    """
    reference = value.reference
    try:
        day = document_day(reference)
    except ValueError:
        return f"date {reference.get('date')!r} is not a date (YYYY-MM-DD)"
    if day is not None and value.start < day:
        return f"takes effect on {value.start}, before its document's date {day}"
    if value.status == "confirmed" and value.value is not None and day is None:
        return "a confirmed value needs its document: an article with its quote, or a document with its date"
    return None


def document_label(reference: dict) -> str:
    """How an explanation names a later figure's document (its 文号, or a short title); '' for the notice."""
    if not reference.get("document") or "article" in reference or "missing" in reference:
        return ""
    # A standard an administrator added names its document by title (宁民规〔2024〕1号, say).
    return str(reference.get("number") or reference.get("cite") or reference["document"])


def _parse_series(name: str, raw: dict) -> tuple[Value, ...]:
    out = []
    for start, entry in raw.items():
        if not isinstance(start, datetime.date):
            raise ParameterError(f"{name}: {start!r}不是日期(YYYY-MM-DD)")
        if not isinstance(entry, dict) or "value" not in entry:
            raise ParameterError(f"{name} @ {start}: 应写作 {{value: …, reference: …}}")
        value = entry["value"]
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ParameterError(f"{name} @ {start}: 取值{value!r}不是数字")
        status = entry.get("status", "confirmed")
        if status not in STATUSES:
            raise ParameterError(f"{name} @ {start}: status应为{'、'.join(STATUSES)}之一")
        out.append(Value(start, None if value is None else float(value),
                         _parse_reference(name, start, entry), status))
    return tuple(sorted(out, key=lambda v: v.start))


def parse_parameter(name: str, raw: dict) -> Parameter:
    if not isinstance(raw, dict) or "values" not in raw:
        raise ParameterError(f"{name}: 参数须有values")
    values = {PROVINCE: _parse_series(name, raw["values"])}
    for code, series in (raw.get("regions") or {}).items():
        code = str(code)
        if get_region(code) is None:
            raise ParameterError(f"{name}: {code}不是江苏省的市或县级行政区划代码")
        values[code] = _parse_series(f"{name}[{code}]", series)
    return Parameter(name, raw.get("description", ""), raw.get("unit", ""), values)


def _files(root: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.glob("*/*.yaml")):
        yield f"{path.parent.name}.{path.stem}", path


class ParameterSet:
    """All parameters by full name (`<chapter>.<file>.<key>`), with vectorised lookups for the engine."""

    def __init__(self, parameters: Iterable[Parameter]):
        self._by_name = {p.name: p for p in parameters}
        self._tables: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._scalars: dict[bytes, dict] = {}
        self._references: dict[tuple, dict] = {}

    @classmethod
    def load(cls, root: Path = HERE) -> ParameterSet:
        parameters = []
        for prefix, path in _files(root):
            with path.open(encoding="utf-8") as fh:
                document = yaml.load(fh, Loader=_LOADER) or {}
            for key, raw in document.items():
                parameters.append(parse_parameter(f"{prefix}.{key}", raw))
        return cls(parameters)

    def __getitem__(self, name: str) -> Parameter:
        return self._by_name[name]

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._by_name.values())

    def with_value(self, name: str, region: str, value: Value) -> ParameterSet:
        """A copy with one more dated value (an administrator's confirmation or a new standard)."""
        parameter = self._by_name[name]
        series = tuple(v for v in parameter.values.get(region, ()) if v.start != value.start)
        values = dict(parameter.values)
        values[region] = tuple(sorted((*series, value), key=lambda v: v.start))
        return ParameterSet([*(p for p in self if p.name != name), replace(parameter, values=values)])

    def with_values(self, rows: Iterable[tuple[str, str, Value]]) -> ParameterSet:
        """A copy with many more dated values, (name, region, value) each, later rows winning on the same day."""
        added: dict[str, dict[str, dict[datetime.date, Value]]] = {}
        for name, region, value in rows:
            if name not in self._by_name:
                raise ParameterError(f"{name}: 没有这个参数")
            added.setdefault(name, {}).setdefault(region, {})[value.start] = value
        if not added:
            return self
        out = []
        for parameter in self:
            if parameter.name not in added:
                out.append(parameter)
                continue
            values = dict(parameter.values)
            for region, by_day in added[parameter.name].items():
                kept = {v.start: v for v in values.get(region, ())}
                kept.update(by_day)
                values[region] = tuple(sorted(kept.values(), key=lambda v: v.start))
            out.append(replace(parameter, values=values))
        return ParameterSet(out)

    def to_bundle(self) -> dict:
        """Every parameter with every dated value, reference and status, as JSON-ready data (`from_bundle`)."""
        def series(values: tuple[Value, ...]) -> dict:
            return {v.start.isoformat(): {"value": v.value, "status": v.status, "reference": v.reference}
                    for v in values}

        parameters = {}
        for p in sorted(self, key=lambda p: p.name):
            entry = {"description": p.description, "unit": p.unit, "values": series(p.values.get(PROVINCE, ()))}
            regions = {code: series(values) for code, values in sorted(p.values.items()) if code != PROVINCE}
            if regions:
                entry["regions"] = regions
            parameters[p.name] = entry
        return {"format": BUNDLE_FORMAT, "version": 1, "parameters": parameters}

    @classmethod
    def from_bundle(cls, bundle: dict, base: ParameterSet | None = None) -> ParameterSet:
        """The parameters of a bundle (`to_bundle`, `bangfu parameters export`), each checked like the YAML;
        a parameter the bundle lacks keeps the shipped one."""
        if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
            raise ParameterError(f"不是参数包(format 应为 {BUNDLE_FORMAT!r},请用 bangfu parameters export 导出)")
        if bundle.get("version") != 1:
            raise ParameterError(f"不支持的参数包版本 {bundle.get('version')!r}(应为 1)")
        raw = bundle.get("parameters")
        if not isinstance(raw, dict):
            raise ParameterError("参数包缺少 parameters")
        loaded = {name: parse_parameter(name, _dated(name, entry)) for name, entry in raw.items()}
        base = base or default_parameters()
        return cls([loaded.get(p.name, p) for p in base] + [p for n, p in loaded.items() if n not in base._by_name])

    def reference_at(self, name: str, day: datetime.date, region: str) -> dict:
        """The reference of the value of `name` in force on `day` in `region` ({} when none), memoised."""
        key = (name, day, region)
        found = self._references.get(key)
        if found is None:
            value = self._by_name[name].at(day, region)
            if len(self._references) > 4096:
                self._references.clear()
            found = self._references[key] = value.reference if value is not None else {}
        return found

    def scalars(self, key: bytes) -> dict:
        """A memo for figures that are the same in every region on the days `key` (`days.tobytes()`).

        The engine fills it and every batch on those days shares it, so that a batch of one does not
        look its parameters up again.
        """
        found = self._scalars.get(key)
        if found is None:
            if len(self._scalars) > 512:
                self._scalars.clear()
            found = self._scalars[key] = {}
        return found

    def table(self, name: str, days: np.ndarray, key: bytes | None = None
              ) -> tuple[np.ndarray, np.ndarray, tuple[float, bool] | None]:
        """Arrays [day, region index] of value (NaN when none) and illustrative flag, and the one
        (value, illustrative) pair when every cell holds the same (then a caller may use a scalar).

        `days` are sorted unique datetime64[D]; a county's own series wins over its city's, a city's
        over the province's, each on the days it has a value in force (a null value holds no figure).
        """
        key = (name, days.tobytes() if key is None else key)
        cached = self._tables.get(key)
        if cached is not None:
            return cached
        regions = all_regions()
        value = np.full((len(days), len(regions)), np.nan)
        illustrative = np.zeros(value.shape, bool)
        parameter = self._by_name[name]
        city_of = np.array([r.city_code for r in regions])
        codes = np.array([r.code for r in regions])
        for code, series in sorted(parameter.values.items(), key=lambda kv: _level(kv[0])):
            if not series:
                continue
            starts = np.array([v.start for v in series], dtype="datetime64[D]")
            i = np.searchsorted(starts, days, side="right") - 1
            has = i >= 0
            vals = np.array([np.nan if v.value is None else v.value for v in series])[i]
            ill = np.array([v.illustrative for v in series])[i]
            level = _level(code)
            mask = np.ones(len(regions), bool) if level == 0 else (city_of == code if level == 1 else codes == code)
            cell = np.ix_(np.flatnonzero(has), np.flatnonzero(mask))
            value[cell] = vals[has][:, None]
            illustrative[cell] = ill[has][:, None]
        illustrative &= ~np.isnan(value)
        if not value.size:  # an empty batch
            return value, illustrative, None
        first = value.flat[0]
        same = np.all(np.isnan(value)) if np.isnan(first) else np.all(value == first)
        scalar = None
        if same and np.all(illustrative == illustrative.flat[0]):
            scalar = (value.flat[0].item(), illustrative.flat[0].item())
        result = (value, illustrative, scalar)
        if len(self._tables) > 512:
            self._tables.clear()
        self._tables[key] = result
        return result


BUNDLE_FORMAT = "bangfu-parameters"


def _dated(name: str, entry: object) -> dict:
    """A bundle's parameter with its ISO date keys read as dates, as the YAML loader gives them."""
    if not isinstance(entry, dict):
        raise ParameterError(f"{name}: 参数须有values")

    def series(raw: object, where: str) -> dict:
        if not isinstance(raw, dict):
            raise ParameterError(f"{where}: values 应为以日期为键的映射")
        try:
            return {datetime.date.fromisoformat(k): v for k, v in raw.items()}
        except (TypeError, ValueError):
            raise ParameterError(f"{where}: 起始日期不是日期(YYYY-MM-DD)") from None

    out = {**entry, "values": series(entry.get("values", {}), name)}
    if "regions" in entry:
        out["regions"] = {code: series(v, f"{name}[{code}]") for code, v in (entry["regions"] or {}).items()}
    return out


def load_bundle(path: str | Path) -> ParameterSet:
    """A parameter bundle from a JSON file (the command line's `--parameters FILE`)."""
    with open(path, encoding="utf-8") as fh:
        try:
            bundle = json.load(fh)
        except json.JSONDecodeError as exc:
            raise ParameterError(f"{path}: 不是 JSON(第{exc.lineno}行)") from None
    return ParameterSet.from_bundle(bundle)


def _level(code: str) -> int:
    """0 province, 1 city, 2 county: the order in which more specific values override."""
    if code == PROVINCE:
        return 0
    return 1 if code.endswith("00") else 2


@cache
def default_parameters() -> ParameterSet:
    return ParameterSet.load()
