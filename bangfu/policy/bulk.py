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

from bangfu.policy.arrow import population_from_arrow
from bangfu.policy.engine import GATE, Evaluation, RuleResult, evaluate
from bangfu.policy.files import parquet_batches_of, parquet_rows, populations
from bangfu.policy.messages import cannot_read
from bangfu.policy.regions import all_regions, get_region
from bangfu.policy.rules import RULES, Choice, Rule
from bangfu.policy.schema import InputError
from bangfu.policy.table import Population
from bangfu.policy.tally import cents, count_by_city, fen_by_city, two_figures  # noqa: F401 (cents: read from here too)

BATCH = 1 << 18  # households per evaluation: bounds memory whatever the file's size
PAID = frozenset({"cash", "subsidy"})
BAD_INPUT = 2


@cache
def cities() -> tuple[tuple[str, ...], np.ndarray]:
    """City codes in order, and for each region index the position of its city among them (in the narrowest
    integer: a byte for a province's cities, so that the rows' cities are compared and gathered a byte each)."""
    codes = tuple(sorted({r.city_code for r in all_regions()}))
    position = {c: i for i, c in enumerate(codes)}
    return codes, np.array([position[r.city_code] for r in all_regions()], np.intp)


def city_name(code: str) -> str:
    region = get_region(code)
    return region.name if region is not None else code


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


def _two_figures(amount) -> tuple[float, float, np.ndarray] | None:
    """`two_figures` of an amount: a Choice's own figures and mask; an array's found in it (None: a scalar)."""
    if isinstance(amount, Choice):
        return amount.a, amount.b, amount.mask
    return two_figures(amount) if np.ndim(amount) else None


def _masks_by_space(results: list[RuleResult], key_p: np.ndarray) -> tuple[dict, dict, list, dict]:
    """The distinct masks to count for `totals`, by the rows they are over (a space): each space's keys (the
    members' at some of them: `key_p` gathered), its masks (None: every row), where each rule's count is
    found, and for a rule paying two figures those figures and where its rows at the first are counted."""
    # A rule's masks are over the rows of its entity, or over some of them (`rows`, a restricted evaluation:
    # rules within the same members share one such array): each set of rows is counted apart.
    keys: dict[object, np.ndarray] = {}
    # Rows by city for a rule of no condition are the entity's, and a rule of one condition shared with
    # another (特困 households: five rules) counts as that one does: each distinct mask is counted once.
    slot: dict[object, dict[tuple | int, int]] = {}
    masks: dict[object, list[np.ndarray | None]] = {"household": [None]}  # None: every row
    where, two = [], {}
    for i, result in enumerate(results, start=1):
        space = result.rule.entity if result.rows is None else id(result.rows)
        if result.rows is not None and space not in keys:
            keys[space] = key_p.take(result.rows)
        key = tuple(id(m) for m in result.masks) if len(result.masks) < 2 else id(result.entitled)
        space_masks, space_slot = masks.setdefault(space, [None]), slot.setdefault(space, {})
        found = space_slot.get(key, 0 if key == () else None)
        if found is None:
            found = space_slot[key] = len(space_masks)
            space_masks.append(result.entitled)
        where.append((space, found))
        if result.rule.kind in PAID and (figures := _two_figures(result.outcome.amount)) is not None:
            # Rows held at the first figure are counted with the masks; the others are the rest.
            two[i] = (*figures[:2], len(space_masks))
            space_masks.append(result.entitled & figures[2])
    return keys, masks, where, two


def totals(population: Population, evaluation: Evaluation) -> Totals:
    """Per rule and city: rows entitled, and the sum of their amounts in fen (cash and subsidy kinds)."""
    codes, city_of_region = cities()
    n = len(codes)
    admitted = evaluation.admitted  # every rule's rows lie within the household gate
    city_h = city_of_region.take(admitted.region)
    # Each row's city × 256, the key of the counts' histograms: the members' gathered from their households'
    # (take: no checks of a fancy index), their cities read from it only where an amount needs them.
    key_h = city_h * 256
    key_p = key_h.take(admitted.hh)
    results = evaluation.results
    entitled = np.zeros((1 + len(results), n), np.int64)
    fen = np.zeros((1 + len(results), n), np.int64)
    keys, masks, where, two = _masks_by_space(results, key_p)
    keys |= {"household": key_h, "person": key_p}
    counts = {space: count_by_city(m, city_h if space == "household" else None, n, keys[space])
              for space, m in masks.items()}
    entitled[0] = counts["household"][0]  # the gate
    for i, (result, (space, found)) in enumerate(zip(results, where, strict=True), start=1):
        entitled[i] = counts[space][found]
        if i in two:
            first, second, at_first = two[i]
            fen[i] = (fen_by_city(first, None, None, counts[space][at_first])
                      + fen_by_city(second, None, None, entitled[i] - counts[space][at_first]))
        elif result.rule.kind in PAID and result.outcome.amount is not None:
            cities_of = city_h if space == "household" else keys[space] >> 8
            fen[i] = fen_by_city(result.outcome.amount, result.entitled, cities_of, entitled[i])
    rules = (evaluation.gate.rule, *(r.rule for r in results))
    households = entitled[0] if admitted is population else np.bincount(city_of_region[population.region],
                                                                          minlength=n)
    return Totals(rules, households, entitled, fen)


ADMITTED = 1 << 18  # households past the gate per evaluation of a population in memory (2^17: a tenth more
# CPU on 10⁶ hardship households, the rules' calls and totals' steps paid twice as often)
MOST = 1 << 20  # households per evaluation at most


def population_totals(population: Population, parameters=None, batch: int | None = None) -> Totals:
    """`totals` of a population held in memory, evaluated `batch` households at a time (None: batches sized
    so that about `ADMITTED` households pass the gate in each, as many as passed it in the last one).

    The same answers as one evaluation of the whole, at a cost linear in its size: a batch's arrays (about
    90 MiB at 2^18 admitted households) are reused from the allocator's free memory, where arrays over ten
    million members would each be fresh pages for the kernel to fault in. The rules' columns are those of the admitted
    households: sized on them, a population most of which the gate refuses is evaluated in few large
    batches, one of hardship households in smaller ones whose columns stay closer to the processor.
    """
    acc = Totals.zero()
    first, size = 0, batch or ADMITTED
    while first < population.n_households:
        last = min(first + size, population.n_households)
        part = population.slice(first, last)
        evaluation = evaluate(part, parameters, restricted=True)
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
    """Populations of at most `BATCH` households from a Parquet dataset or fragment, rows of the former layout
    counted from `first_row`.

    The dataset scanner reads whole row groups (ParquetFile's batch reader refuses nested columns
    that cross one), so a batch is a row group, or a slice of a larger one.
    """
    row = first_row
    scanned = source.to_batches(batch_size=1 << 30, use_threads=False, memory_pool=_pool())
    for batch in parquet_batches_of(scanned, BATCH):
        population = population_from_arrow(batch, first_row=row)
        row += population.n_households
        yield population


M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3  # glibc's mallopt parameters (malloc.h)


@cache
def keep_freed_memory() -> None:
    """glibc's malloc told to keep what numpy frees for the next batch: its arrays (megabytes each) from the heap
    instead of fresh memory maps, and the heap's top not handed back to the kernel after each batch. Otherwise
    every batch's arrays were pages faulted in anew: a sixth of `assess-table`'s CPU time was the kernel's
    (measured 0.37 s of system time for 10⁶ households, 0.11 s so). Nothing where the C library is not glibc."""
    import ctypes
    import os

    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return
    except (AttributeError, ValueError, OSError):  # not a POSIX system, or no such name
        return
    libc = ctypes.CDLL(None)
    libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)  # glibc's largest
    libc.mallopt(M_TRIM_THRESHOLD, 1 << 30)
    libc.mallopt(M_TOP_PAD, 64 << 20)


def assess_file(path: str, progress: bool = True, parameters=None) -> Totals:
    """Totals over a Parquet population (a file or a directory of them), in this process, batch by batch
    (`parameters`: a bundle's figures instead of the shipped ones); the next batches are read and converted on
    other threads while this one is assessed (`files.populations`)."""
    acc = Totals.zero()
    bar = _progress_bar(path) if progress else None
    for population, rows in populations(path, BATCH):
        acc = acc + totals(population, evaluate(population, parameters, restricted=True))
        if bar is not None:
            bar.update(rows)
    if bar is not None:
        bar.close()
    return acc


def _progress_bar(path: str):
    from tqdm import tqdm  # imported only to be shown: its import read every package's metadata (0.1 s)

    return tqdm(total=parquet_rows(path), unit="行", file=sys.stderr, desc="assess")  # a row: a member (or household)


def _assess(args: argparse.Namespace) -> Totals:
    keep_freed_memory()  # a command's own process: a library call leaves the allocator as its caller set it
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
