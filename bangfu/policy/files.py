"""Population files: Parquet read row group by row group into batches that never split a household, on threads
while the engine works on the batch before."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa

from bangfu.policy.arrow import NOT_ASCENDING, household_numbers, population_from_arrow, whole_households
from bangfu.policy.parquet import KEY, is_nested
from bangfu.policy.schema import InputError
from bangfu.policy.table import Population

READERS = 2  # row groups read and converted at once: the machine's two cores beside the engine's thread


def read_population(path: str | Path, *, member_ids: bool = False) -> Population:
    """A whole Parquet population (a file or a directory of them), in memory, read batch by batch (the bulk
    command evaluates it batch by batch instead)."""
    return population_from_arrow(parquet_batches(path, 1 << 17), member_ids=member_ids, whole=True)


T = TypeVar("T")


def _split(batch: pa.RecordBatch, households: int) -> Iterator[pa.RecordBatch]:
    """Slices of a batch of at most `households` households each (no household cut), without a copy."""
    numbers = household_numbers(batch)
    if numbers is None:
        for first in range(0, batch.num_rows, households):
            yield batch.slice(first, households)
        return
    starts = np.flatnonzero(np.concatenate([[True], numbers[1:] != numbers[:-1]])) if len(numbers) else numbers
    first = 0
    for cut in [*starts[households::households].tolist(), batch.num_rows]:
        if cut > first:
            yield batch.slice(first, cut - first)
        first = cut


def parquet_batches(path: str | Path, households: int) -> Iterator[pa.RecordBatch]:
    """Record batches of at most `households` households of a Parquet file, or of a directory of them (the
    dataset's files in its order), read on this thread; no household is split between two.

    A file is read row group by row group (Arrow's batch reader refuses nested columns across one), without
    pyarrow.dataset, whose import was a twentieth of a second of `bangfu assess-table`.
    """
    if Path(path).is_dir():  # file by file: each file's households numbered on their own (an export's from 0)
        import pyarrow.dataset as ds

        for name in ds.dataset(str(path), format="parquet").files:
            yield from parquet_batches_of(_row_groups(name), households)
        return
    yield from parquet_batches_of(_row_groups(path), households)


def parquet_batches_of(batches: Iterable[pa.RecordBatch], households: int) -> Iterator[pa.RecordBatch]:
    """Record batches read (a row group each, of one file) cut into batches of at most `households` households each.
    Household numbers that go down from one batch to the next are refused as within a batch: a household's rows
    apart would be read as two households."""
    last = None
    for batch in whole_households(batches):
        numbers = household_numbers(batch)
        if numbers is not None and len(numbers):
            if last is not None and numbers[0] < last:
                raise InputError(KEY, f"第{numbers[0]}户:{NOT_ASCENDING}")
            last = numbers[-1]
        yield from _split(batch, households)


def _row_groups(path: str | Path) -> Iterator[pa.RecordBatch]:
    import pyarrow.parquet as pq

    # Not pre-buffered: the file is memory-mapped, and a row group's columns are read once each.
    file = pq.ParquetFile(str(path), memory_map=True, pre_buffer=False)
    for i in range(file.num_row_groups):
        yield from file.read_row_group(i, use_threads=False).to_batches()


def parquet_rows(path: str | Path) -> int:
    """The rows of a Parquet file or directory, from the files' footers."""
    if Path(path).is_dir():
        import pyarrow.dataset as ds

        return ds.dataset(str(path), format="parquet").count_rows()
    import pyarrow.parquet as pq

    return pq.ParquetFile(str(path)).metadata.num_rows


def read_ahead(items: Iterator[T]) -> Iterator[T]:
    """`items`, each next one produced on a second thread while the caller works on the current one (a directory
    of files; a file's row groups are read by `populations`).

    For Parquet: Arrow decodes a row group without holding the GIL, so that the reading of the next batch
    overlaps the engine's work on this one: shorter wall time for the same CPU time, never more than two
    batches in memory. An exception raised while producing an item is raised here, in order.
    """
    from concurrent.futures import ThreadPoolExecutor

    end = object()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bangfu-read") as pool:
        future = pool.submit(next, items, end)
        while (item := future.result()) is not end:
            future = pool.submit(next, items, end)
            yield item


def row_group_runs(metadata) -> list[list[int]]:
    """A file's row groups (its footer, `pyarrow.parquet.FileMetaData`) in runs that no household crosses: a row
    group starts a run when its first household number is above the last one before it (the footer's statistics);
    without statistics it stays in the run before. Each row group of the former layout is a run."""
    if is_nested(metadata.schema.to_arrow_schema()):
        return [[g] for g in range(metadata.num_row_groups)]
    leaf = next((j for j in range(metadata.num_columns) if metadata.schema.column(j).path == KEY), None)
    runs: list[list[int]] = []
    before = None
    for g in range(metadata.num_row_groups):
        statistics = None if leaf is None else metadata.row_group(g).column(leaf).statistics
        known = statistics is not None and statistics.has_min_max
        if not runs or (known and before is not None and statistics.min > before):
            runs.append([])
        runs[-1].append(g)
        before = statistics.max if known else None
    return runs


def _run(path: str, groups: list[int], first_row: int, households: int) -> list[tuple[Population, int]]:
    """One run of row groups read and converted: its populations, each with the file's rows it came from."""
    import pyarrow.parquet as pq

    # A reader per run (one per thread): memory-mapped, not pre-buffered (each column read once); a row group at
    # a time (Arrow reads no nested column across two).
    file = pq.ParquetFile(path, memory_map=True, pre_buffer=False)
    read = (batch for g in groups for batch in file.read_row_group(g, use_threads=False).to_batches())
    out, row = [], first_row
    for batch in parquet_batches_of(read, households):
        out.append((population_from_arrow(batch, first_row=row), batch.num_rows))
        row += batch.num_rows
    return out


def populations(path: str | Path, households: int) -> Iterator[tuple[Population, int]]:
    """The population of a Parquet file or directory in batches of at most `households` households, each with the
    number of the file's rows it came from.

    A file's runs of row groups (`row_group_runs`) are read and converted on `READERS` threads, in order, while
    the caller assesses the batch before: Arrow's decoding and numpy's conversion release the GIL, so that a
    10⁶-household file's reading and conversion share the machine's cores with the engine (read on one thread,
    the conversion was the caller's). A directory is read on one thread (`read_ahead`)."""
    if Path(path).is_dir():
        row = 0
        for batch in read_ahead(parquet_batches(path, households)):
            yield population_from_arrow(batch, first_row=row), batch.num_rows
            row += batch.num_rows
        return
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(str(path)).metadata
    calls, row = [], 0
    for groups in row_group_runs(metadata):
        calls.append((str(path), groups, row, households))
        row += sum(metadata.row_group(g).num_rows for g in groups)
    for part in in_order([lambda c=c: _run(*c) for c in calls], READERS):
        yield from part


def in_order(calls: Iterable[Callable[[], T]], workers: int) -> Iterator[T]:
    """Each call's result in order, up to `workers` calls running on threads ahead of the caller. An exception
    raised by a call is raised here, in order."""
    from concurrent.futures import ThreadPoolExecutor

    calls = iter(calls)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bangfu-read") as pool:
        pending = deque(pool.submit(call) for _, call in zip(range(workers), calls, strict=False))
        while pending:
            result = pending.popleft().result()
            if (call := next(calls, None)) is not None:
                pending.append(pool.submit(call))
            yield result
