"""Totals past one machine: a partitioned Parquet population assessed on a Dask cluster, partition by partition.

Each task reads a few row groups of one file and runs the same engine as `bulk.assess_file`; what travels back is
three small integer arrays (households, rows entitled and fen by rule and city), so the combined totals equal the
single-process ones to the fen whatever the partitioning. Workers must run the same bangfu: a task names the rule
codes it computed, and totals from another engine version are refused rather than added.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.dataset as ds

from bangfu.policy.bulk import Totals, batches, totals
from bangfu.policy.engine import evaluate
from bangfu.policy.files import row_group_runs

LOCAL = "local"
CONNECT_SECONDS = 10  # a scheduler that does not answer by then is reported, not waited for


@dataclass(frozen=True)
class Task:
    """Row groups `row_groups` of the Parquet file `path`; `first_row` is their first row in the set (a household of
    the former layout: the messages' row numbers)."""

    path: str
    row_groups: tuple[int, ...]
    first_row: int


def plan(path: str | Path, parts: int) -> list[Task]:
    """At least `parts` tasks where the row groups allow it: every file's row groups, in order, split evenly
    between households."""
    import pyarrow.parquet as pq

    files = sorted(ds.dataset(str(path), format="parquet").files)
    runs = []  # (file, row groups, rows)
    for name in files:
        metadata = pq.ParquetFile(name).metadata
        runs += [(name, groups, sum(metadata.row_group(g).num_rows for g in groups))
                 for groups in row_group_runs(metadata)]
    per_file = max(1, -(-len(runs) // max(parts, 1)))
    tasks, row = [], 0
    for name in files:
        mine = [r for r in runs if r[0] == name]
        for start in range(0, len(mine), per_file):
            chunk = mine[start:start + per_file]
            tasks.append(Task(name, tuple(g for r in chunk for g in r[1]), row))
            row += sum(r[2] for r in chunk)
    return tasks


def task_totals(task: Task) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
    """Run on a worker: the totals of one task as plain arrays, with the rule codes they are for."""
    fragment = next(iter(ds.dataset(task.path, format="parquet").get_fragments()))
    acc = Totals.zero()
    for population in batches(fragment.subset(row_group_ids=list(task.row_groups)), task.first_row):
        acc = acc + totals(population, evaluate(population, restricted=True))
    return tuple(r.code for r in acc.rules), acc.households, acc.entitled, acc.fen


def combine(parts) -> Totals:
    """The sum of the tasks' totals; refused if a worker ran other rules than this process."""
    acc = Totals.zero()
    codes = tuple(r.code for r in acc.rules)
    for rule_codes, households, entitled, fen in parts:
        if tuple(rule_codes) != codes:
            raise RuntimeError("a Dask worker runs another version of the bangfu engine (its rules differ)")
        acc = Totals(acc.rules, acc.households + households, acc.entitled + entitled, acc.fen + fen)
    return acc


def _client(scheduler: str):
    from distributed import Client, LocalCluster

    if scheduler != LOCAL:
        return Client(scheduler, timeout=CONNECT_SECONDS), None
    cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def assess_distributed(path: str | Path, scheduler: str = LOCAL) -> Totals:
    """Totals over the population at `path` (a Parquet file or a directory of them) on the cluster at
    `scheduler` (a Dask scheduler address), or on a local cluster of this machine's cores (`local`)."""
    client, cluster = _client(scheduler)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        futures = client.map(task_totals, plan(path, 4 * workers), pure=False)
        return combine(client.gather(futures))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
