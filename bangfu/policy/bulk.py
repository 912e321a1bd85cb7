"""Per-benefit totals by city over a Parquet population: the vectorised engine, batch by batch."""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
from tqdm import tqdm

from bangfu.policy.arrow import population_from_arrow
from bangfu.policy.engine import GATE, Evaluation, evaluate
from bangfu.policy.messages import cannot_read
from bangfu.policy.regions import all_regions, get_region
from bangfu.policy.rules import RULES, Rule
from bangfu.policy.schema import InputError
from bangfu.policy.table import Population

BATCH = 1 << 18  # households per evaluation: bounds memory whatever the file's size
PAID = frozenset({"cash", "subsidy"})
BAD_INPUT = 2


@cache
def cities() -> tuple[tuple[str, ...], np.ndarray]:
    """City codes in order, and for each region index the position of its city among them."""
    codes = tuple(sorted({r.city_code for r in all_regions()}))
    position = {c: i for i, c in enumerate(codes)}
    return codes, np.array([position[r.city_code] for r in all_regions()], np.intp)


def city_name(code: str) -> str:
    region = get_region(code)
    return region.name if region is not None else code


def cents(amount: np.ndarray | float) -> np.ndarray:
    """Yuan to whole fen, rounded half-up as answers round them (explain.money), NaN kept as NaN.

    An amount has at most 6 decimals once rounded, so a hundredfold has at most 4: a fraction
    within 1e-6 of one half is one half.
    """
    x = np.asarray(amount, np.float64)
    if not x.ndim:
        x = np.round(x, 6)
        return np.sign(x) * np.floor(np.abs(x) * 100 + 0.5 + 1e-6)
    return _cents_in_place(x.copy())


def _cents_in_place(x: np.ndarray) -> np.ndarray:
    """`cents` of an array of float64 that may be overwritten: the same operations in the same order, in
    place (no fresh pages per step), and without the sign where no amount is negative (most: benefits)."""
    x *= 1e6  # np.round(x, 6), as numpy computes it
    np.rint(x, out=x)
    x /= 1e6
    negative = x.size and not x.min() >= 0  # NaN among them: the general path
    sign = np.sign(x) if negative else None
    if negative:
        np.abs(x, out=x)
    x *= 100
    x += 0.5
    x += 1e-6
    np.floor(x, out=x)
    if negative:
        x *= sign
    return x


@dataclass
class Totals:
    """Rows entitled and cash in fen for each rule (the household gate first) and city."""

    rules: tuple[Rule, ...]
    households: np.ndarray  # per city: households assessed
    entitled: np.ndarray  # [rule, city]
    fen: np.ndarray  # [rule, city]; 0 for kinds that are not paid

    @classmethod
    def zero(cls) -> Totals:
        n_rules, n_cities = 1 + len(RULES), len(cities()[0])
        return cls((GATE, *RULES), np.zeros(n_cities, np.int64), np.zeros((n_rules, n_cities), np.int64),
                   np.zeros((n_rules, n_cities), np.int64))

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.rules, self.households + other.households, self.entitled + other.entitled,
                      self.fen + other.fen)

    def rows(self) -> list[dict]:
        """One row per rule and city with any household assessed, in the spec's order of codes."""
        codes, _ = cities()
        out = []
        for i, rule in enumerate(self.rules):
            for c in np.flatnonzero(self.households):
                fen = int(self.fen[i, c])
                out.append({
                    "code": rule.code, "article": rule.article, "kind": rule.kind, "city_code": codes[c],
                    "city": city_name(codes[c]), "households": int(self.households[c]),
                    "entitled": int(self.entitled[i, c]),
                    "cash": f"{fen // 100}.{fen % 100:02d}" if rule.kind in PAID else "",
                })
        return out


def _fen_by_city(amount: np.ndarray | float, held: np.ndarray, city: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Fen of `amount` (per row of the entity, or one figure) summed by city over the rows `held` (a mask),
    `city` giving each row's and `counts` the rows held in each city."""
    n_cities = len(counts)
    if np.ndim(amount) == 0:
        value = float(cents(amount))
        return np.zeros(n_cities, np.int64) if np.isnan(value) else counts * int(value)
    # The rows' positions once, then two gathers: a boolean selection finds them again for each column,
    # and over a mask of every other row it costs several times a gather.
    rows = np.flatnonzero(held)
    city = city.take(rows)
    fen = _cents_in_place(np.asarray(amount, np.float64).take(rows))
    if np.isnan(fen).any():  # a null amount is no money
        paid = ~np.isnan(fen)
        fen, city = fen[paid], city[paid]
    return np.rint(np.bincount(city, weights=fen, minlength=n_cities)).astype(np.int64)


_BITS = (np.arange(256)[:, None] >> np.arange(8)) & 1  # [byte, bit]: whether the byte has the bit set


def _packed(masks: list[np.ndarray]) -> np.ndarray:
    """Up to eight masks (bool, of one length) as the bits of one byte per row: mask i is bit i.

    A byte of 0 or 1 shifted by fewer than eight bits stays within its byte, so eight rows are shifted and
    combined as one 64-bit word; the rows past the last whole word, byte by byte.
    """
    packed = masks[0].astype(np.uint8)
    body = len(packed) - len(packed) % 8
    words = packed[:body].view(np.uint64)
    shifted = np.empty(len(words), np.uint64)
    for bit, mask in enumerate(masks[1:], start=1):
        mask = np.ascontiguousarray(mask).view(np.uint8)
        np.left_shift(mask[:body].view(np.uint64), bit, out=shifted)
        words |= shifted
        packed[body:] |= mask[body:] << bit
    return packed


def _count_by_city(masks: list[np.ndarray], city: np.ndarray, n_cities: int) -> np.ndarray:
    """[mask, city]: the rows each mask (bool, one per row of the entity) holds in each city.

    Eight masks at a time are packed into the bits of one byte per row, and one histogram of (city, byte)
    counts them all: where counting a mask by city alone (selecting its rows, or gathering it in the order
    of the cities) cost a pass over the rows for each.
    """
    out = np.empty((len(masks), n_cities), np.int64)
    if not masks:
        return out
    key = city * 256
    cell = np.empty_like(key)
    for first in range(0, len(masks), 8):
        group = masks[first:first + 8]
        np.add(key, _packed(group), out=cell)
        histogram = np.bincount(cell, minlength=n_cities * 256).reshape(n_cities, 256)
        out[first:first + len(group)] = (histogram @ _BITS[:, :len(group)]).T
    return out


def _two_figures(amount: np.ndarray) -> tuple[float, float, np.ndarray] | None:
    """An amount of at most two figures over the rows (a share for each of two kinds of household, a rate
    for each of two stages: every array amount of the rules today), as those figures and where the first
    one is; None for any other (a null among them too). Its fen by city are then two counts: a pass or two
    over the rows, where rounding each row's amount to the fen was a dozen."""
    amount = np.asarray(amount, np.float64)
    if not len(amount):
        return None
    first = amount[0]
    at_first = amount == first
    if at_first.all():
        return float(first), float(first), at_first
    second = amount[np.argmin(at_first)]
    if not (at_first | (amount == second)).all():
        return None
    return float(first), float(second), at_first


def totals(population: Population, evaluation: Evaluation) -> Totals:
    """Per rule and city: rows entitled, and the sum of their amounts in fen (cash and subsidy kinds)."""
    codes, city_of_region = cities()
    n = len(codes)
    admitted = evaluation.admitted  # every rule's rows lie within the household gate
    city_h = city_of_region[admitted.region]
    city = {"household": city_h, "person": city_h[admitted.hh]}
    results = evaluation.results
    entitled = np.zeros((1 + len(results), n), np.int64)
    fen = np.zeros((1 + len(results), n), np.int64)
    # Rows by city for a rule of no condition are the entity's, and a rule of one condition shared with
    # another (特困 households: five rules) counts as that one does: each distinct mask is counted once.
    slot: dict[str, dict[tuple | int, int]] = {"household": {}, "person": {}}
    masks: dict[str, list[np.ndarray]] = {"household": [np.ones(admitted.n_households, bool)],
                                          "person": [np.ones(admitted.n_persons, bool)]}
    where, two = [], {}
    for i, result in enumerate(results, start=1):
        entity = result.rule.entity
        key = tuple(id(m) for m in result.masks) if len(result.masks) < 2 else id(result.entitled)
        found = slot[entity].get(key, 0 if key == () else None)
        if found is None:
            found = slot[entity][key] = len(masks[entity])
            masks[entity].append(result.entitled)
        where.append((entity, found))
        amount = result.outcome.amount
        if result.rule.kind in PAID and np.ndim(amount) and (figures := _two_figures(amount)) is not None:
            # Rows held at the first figure are counted with the masks; the others are the rest.
            two[i] = (*figures[:2], len(masks[entity]))
            masks[entity].append(result.entitled & figures[2])
    counts = {entity: _count_by_city(m, city[entity], n) for entity, m in masks.items()}
    entitled[0] = counts["household"][0]  # the gate
    for i, (result, (entity, found)) in enumerate(zip(results, where, strict=True), start=1):
        entitled[i] = counts[entity][found]
        if i in two:
            first, second, at_first = two[i]
            fen[i] = (_fen_by_city(first, None, None, counts[entity][at_first])
                      + _fen_by_city(second, None, None, entitled[i] - counts[entity][at_first]))
        elif result.rule.kind in PAID and result.outcome.amount is not None:
            fen[i] = _fen_by_city(result.outcome.amount, result.entitled, city[entity], entitled[i])
    rules = (evaluation.gate.rule, *(r.rule for r in results))
    households = entitled[0] if admitted is population else np.bincount(city_of_region[population.region],
                                                                          minlength=n)
    return Totals(rules, households, entitled, fen)


ADMITTED = 1 << 17  # households past the gate per evaluation of a population in memory
MOST = 1 << 20  # households per evaluation at most


def population_totals(population: Population, parameters=None, batch: int | None = None) -> Totals:
    """`totals` of a population held in memory, evaluated `batch` households at a time (None: batches sized
    so that about `ADMITTED` households pass the gate in each, as many as passed it in the last one).

    The same answers as one evaluation of the whole, at a cost linear in its size: a batch's arrays are
    few megabytes, reused from the allocator's free memory, where arrays over ten million members would
    each be fresh pages for the kernel to fault in. The rules' columns are those of the admitted
    households: sized on them, a population most of which the gate refuses is evaluated in few large
    batches, one of hardship households in smaller ones whose columns stay closer to the processor.
    """
    acc = Totals.zero()
    first, size = 0, batch or ADMITTED
    while first < population.n_households:
        last = min(first + size, population.n_households)
        part = population.slice(first, last)
        evaluation = evaluate(part, parameters)
        acc = acc + totals(part, evaluation)
        if batch is None:
            admitted = max(1, evaluation.admitted.n_households)
            size = min(MOST, max(ADMITTED, ADMITTED * (last - first) // admitted))
        first = last
    return acc


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int, right: bool = False) -> str:
    pad = " " * max(0, width - _width(text))
    return pad + text if right else text + pad


def print_table(t: Totals, out: IO[str]) -> None:
    """Per benefit, the province's total and then each city's: rows entitled and cash (yuan)."""
    codes, _ = cities()
    head = ("福利代码", "条", "城市", "户/人次", "金额(元)")
    widths = (38, 4, 10, 12, 18)
    out.write("  ".join(_cell(h, w, i > 2) for i, (h, w) in enumerate(zip(head, widths, strict=True))) + "\n")
    present = np.flatnonzero(t.households)
    for i, rule in enumerate(t.rules):
        paid = rule.kind in PAID
        lines = [("全省", int(t.entitled[i].sum()), int(t.fen[i].sum()))]
        lines += [(city_name(codes[c]), int(t.entitled[i, c]), int(t.fen[i, c])) for c in present]
        for j, (place, count, fen) in enumerate(lines):
            cash = f"{fen / 100:,.2f}" if paid else "—"
            cells = (rule.code if j == 0 else "", str(rule.article) if j == 0 else "", place, f"{count:,}", cash)
            out.write("  ".join(_cell(c, w, k > 2) for k, (c, w) in enumerate(zip(cells, widths, strict=True)))
                      .rstrip() + "\n")
    out.write(f"评估户数 {int(t.households.sum()):,}:"
              + ",".join(f"{city_name(codes[c])} {int(t.households[c]):,}" for c in present) + "\n")


def write_csv(t: Totals, path: str) -> None:
    rows = t.rows()
    fields = ["code", "article", "kind", "city_code", "city", "households", "entitled", "cash"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _pool() -> pa.MemoryPool:
    """jemalloc where pyarrow has it: it keeps a batch's pages for the next one, where the default (mimalloc)
    handed them back and faulted them in again (a third of reading a 10⁶-household file was the kernel's)."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


def batches(source, first_row: int = 0):
    """Populations of at most `BATCH` households from a Parquet dataset or fragment, rows counted from `first_row`.

    The dataset scanner reads whole row groups (ParquetFile's batch reader refuses nested columns
    that cross one), so a batch is a row group, or a slice of a larger one.
    """
    row = first_row
    for batch in source.to_batches(batch_size=BATCH, use_threads=False, memory_pool=_pool()):
        yield population_from_arrow(batch, first_row=row)
        row += batch.num_rows


def assess_file(path: str, progress: bool = True, parameters=None) -> Totals:
    """Totals over a Parquet population (a file or a directory of them), in this process, batch by batch
    (`parameters`: a bundle's figures instead of the shipped ones)."""
    source = ds.dataset(path, format="parquet")
    acc = Totals.zero()
    with tqdm(total=source.count_rows(), unit="户", file=sys.stderr, disable=not progress,
              desc="assess") as bar:
        for population in batches(source):
            acc = acc + totals(population, evaluate(population, parameters))
            bar.update(population.n_households)
    return acc


def _assess(args: argparse.Namespace) -> Totals:
    if args.scheduler:
        from bangfu.policy.distributed import assess_distributed

        return assess_distributed(args.file, args.scheduler)
    return assess_file(args.file, progress=not args.no_progress)


def assess_table_command(args: argparse.Namespace) -> int:
    """`bangfu assess-table FILE [--scheduler ADDRESS|local] [--out CSV] [--no-progress]`: exit 2 with one line on
    stderr for bad input or a cluster that cannot be reached. With `--parameters` (and `--against`): see
    `bangfu.policy.whatif`."""
    if getattr(args, "parameters", None) or getattr(args, "against", None):
        from bangfu.policy.whatif import whatif_command

        return whatif_command(args)
    try:
        result = _assess(args)
    except InputError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return BAD_INPUT
    except (OSError, pa.ArrowException) as exc:
        what = args.file if not args.scheduler else f"{args.file}或连接Dask调度器{args.scheduler}"
        print(cannot_read(what, exc), file=sys.stderr)
        return BAD_INPUT
    print_table(result, sys.stdout)
    if args.out:
        write_csv(result, args.out)
    return 0
