"""Totals past one machine: a partitioned population on a Dask cluster equals the single-process run to the fen."""

from __future__ import annotations

import numpy as np
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from bangfu.cli import main
from bangfu.policy import parquet as pf
from bangfu.policy.bulk import assess_file
from bangfu.policy.distributed import assess_distributed, combine, plan, task_totals
from bangfu.policy.synth import write_population

N, SEED, AS_OF = 30_000, 7, "2025-03-01"


@pytest.fixture(scope="module")
def populations(tmp_path_factory):
    root = tmp_path_factory.mktemp("pop")
    return (write_population(N, SEED, root / "one.parquet", as_of=AS_OF),
            write_population(N, SEED, root / "parts", as_of=AS_OF, partitions=3))


def test_partitions_hold_the_single_files_rows_in_order(populations):
    one, parts = populations
    files = sorted(parts.iterdir())
    assert [f.name for f in files] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    households = [np.unique(pq.read_table(f, columns=[pf.KEY]).column(0).to_numpy()) for f in files]
    assert [(h[0], len(h)) for h in households] == [(0, 10_000), (10_000, 10_000), (20_000, 10_000)]
    assert ds.dataset(str(parts)).to_table().equals(pq.read_table(one))


def test_the_plan_covers_every_row_group_once_with_its_first_row(populations):
    _, parts = populations
    tasks = plan(parts, 8)
    rows = [pq.ParquetFile(t.path).metadata.num_rows for t in tasks]
    assert [t.first_row for t in tasks] == [0, rows[0], rows[0] + rows[1]]
    every = [(str(f), g) for f in sorted(parts.iterdir()) for g in range(pq.ParquetFile(f).metadata.num_row_groups)]
    assert sorted((t.path, g) for t in tasks for g in t.row_groups) == every  # each row group once


def test_row_groups_that_cut_a_household_stay_in_one_task(populations, tmp_path):
    """A file of another writer whose row groups end within households: tasks split only between households, and
    the totals are the single process's."""
    one, _ = populations
    cut = tmp_path / "cut.parquet"
    pq.write_table(pq.read_table(one), cut, row_group_size=1_999)
    tasks = plan(cut, 8)
    assert len(tasks) > 1 and sum(len(t.row_groups) for t in tasks) == pq.ParquetFile(cut).metadata.num_row_groups
    for task in tasks[1:]:
        numbers = pq.ParquetFile(cut).read_row_groups(list(task.row_groups), columns=[pf.KEY]).column(0).to_numpy()
        before = pq.ParquetFile(cut).read_row_group(task.row_groups[0] - 1, columns=[pf.KEY]).column(0).to_numpy()
        assert before[-1] < numbers[0]
    single = assess_file(str(one), progress=False).rows()
    assert combine(task_totals(t) for t in tasks).rows() == single
    assert assess_file(str(cut), progress=False).rows() == single  # its runs read on threads, in order


def test_tasks_added_up_equal_the_single_process_totals(populations):
    one, parts = populations
    single = assess_file(str(one), progress=False)
    added = combine(task_totals(t) for t in plan(parts, 8))
    assert added.rows() == single.rows()
    assert int(single.fen.sum()) > 0 and int(single.households.sum()) == N


def test_totals_from_another_engine_version_are_refused():
    households, entitled, fen = np.zeros(1), np.zeros(1), np.zeros(1)
    with pytest.raises(RuntimeError, match="another version"):
        combine([(("not.a.rule",), households, entitled, fen)])


def test_a_running_cluster_gives_the_same_totals_to_the_fen(populations):
    from distributed import LocalCluster

    one, parts = populations
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        distributed = assess_distributed(parts, cluster.scheduler_address)
    assert distributed.rows() == assess_file(str(one), progress=False).rows()


def test_the_command_line_on_a_local_cluster_prints_the_same_table(populations, capsys):
    one, parts = populations
    assert main(["assess-table", str(one), "--no-progress"]) == 0
    single = capsys.readouterr().out
    assert main(["assess-table", str(parts), "--scheduler", "local"]) == 0
    assert capsys.readouterr().out == single


def test_an_unreachable_scheduler_is_a_clear_error(populations, capsys, monkeypatch):
    _, parts = populations
    monkeypatch.setattr("bangfu.policy.distributed.CONNECT_SECONDS", 1)
    assert main(["assess-table", str(parts), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("$: 无法读取") and "tcp://127.0.0.1:9" in err and err.count("\n") == 1




def test_a_dask_run_ends_the_usual_way_whatever_prefix_names_the_scheduler():
    """`exit_now` skips exit handlers, which a Dask run registers: every spelling argparse takes keeps them."""
    from bangfu.cli import ends_at_once

    assert ends_at_once(["assess-table", "p.parquet", "--no-progress", "--out", "t.csv"])
    for spelling in (["--scheduler", "local"], ["--scheduler=local"], ["--sched", "local"], ["--s=local"]):
        assert not ends_at_once(["assess-table", "p.parquet", *spelling]), spelling
    assert not ends_at_once(["synth", "--households", "5", "--out", "p.parquet"])
