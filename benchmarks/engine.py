#!/usr/bin/env python3
"""Speed of the policy engine: bulk, single household, the command line, JSON Lines; OpenFisca beside it.

Each bulk and JSON Lines figure is measured on two populations: the synthetic one (`all`: 85 % of its
households stop at the first check, not archived or not in hardship) and one of archived hardship
households only (`hardship`), where every rule has work to do.

Bulk figures are computation to computation (the population in memory, `bulk.population_totals`: the gate,
the rules over the households it admits, totals, batch by batch), CPU seconds first (the machine is shared),
cold (first run) and warm (best of the others), beside the anchor's hand-written numpy (its 9 formulas) on
the same population in the same run; with 10⁶ among the sizes, `bangfu assess-table` on the 10⁶ Parquet
file is timed as a whole process. 10⁷ (`--sizes 1000000,10000000 --no-openfisca`) needs about 4.2 GiB.

Run `.venv/bin/python benchmarks/engine.py [--sizes 10000,100000,1000000]`. Prints figures (not a
test) and writes them to benchmarks/out/engine.json. Every measurement runs in its own child
process, so that `ru_maxrss` is the peak of that run alone (on Linux a child's starts from its
parent's RSS, so the parent never holds a population). The OpenFisca anchor
(../shared/anchors/openfisca_jiangsu) runs on the same population when openfisca-core is installed
(the `bench` extra).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.metadata
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engine_report import report

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ANCHOR = Path(os.environ.get("BANGFU_ANCHOR", HERE.parent.parent / "shared/anchors/openfisca_jiangsu"))
BANGFU = str(Path(sys.executable).parent / "bangfu")
SEED = 20240601
AS_OF = "2024-06-01"
# The anchor's own single-household example (bench.EXAMPLE_HOUSEHOLD), as our input document.
ANCHOR_EXAMPLE = {
    "as_of": AS_OF, "region": "320100", "category": "extreme_hardship", "archived": True, "members": [
        {"id": "p0", "relation": "self", "sex": "male", "birth_date": "1978-01-15",
         "employment": "registered_unemployed", "resident_medical_insurance": True},
        {"id": "p1", "relation": "spouse", "sex": "female", "birth_date": "1980-01-15", "disability_grade": 3,
         "resident_medical_insurance": True},
        {"id": "p2", "relation": "child", "sex": "female", "birth_date": "2011-01-15", "resident_medical_insurance": True,
         "school": {"stage": "junior", "year": 2, "institution": "public"}},
        {"id": "p3", "relation": "child", "sex": "male", "birth_date": "2004-01-15", "resident_medical_insurance": True,
         "school": {"stage": "higher", "year": 3, "institution": "public", "excellent": True}},
    ]}
# Issue 9 (single household, JSON Lines) and issue 15 (compute at 10⁶ and 10⁷, assess-table whole process).
TARGETS = {"bulk_1e6_s": 0.15, "bulk_1e7_s": 2.0, "bulk_1e6_mib": 2048, "single_p50_ms": 1.0, "jsonl_1e4_s": 2.0,
           "assess_table_1e6_s": 1.0, "bulk_1e7_mib": 6144}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


KINDS = ("all", "hardship")


def population_path(n: int, kind: str = "all") -> Path:
    """The population file of this size and kind, in the current layout (a row per member: files of the former
    one, a row per household, are named without `_by_member` and are not read here)."""
    suffix = "" if kind == "all" else f"_{kind}"
    return OUT / "populations" / f"households_{n}_{SEED}_{AS_OF}{suffix}_by_member.parquet"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# -- workers: one measurement per process ---------------------------------------------------------


def work_generate(n: int, kind: str) -> dict:
    from bangfu.policy.synth import write_population

    t = time.perf_counter()
    write_population(n, SEED, population_path(n, kind), as_of=AS_OF, hardship_only=kind == "hardship")
    return {"seconds": time.perf_counter() - t}


def work_bangfu(n: int, reps: int, kind: str) -> dict:
    """Computation to computation: the population in memory, `population_totals` (evaluate + totals, batch by
    batch) timed; the first run is cold (parameters, tables, pages), the best of the others warm."""
    from bangfu.policy.bulk import keep_freed_memory, population_totals
    from bangfu.policy.synth import read_population

    keep_freed_memory()  # as the commands do in their own process
    t, c = time.perf_counter(), time.process_time()
    population = read_population(population_path(n, kind))
    out = {"load_s": time.perf_counter() - t, "load_cpu_s": time.process_time() - c, "persons": population.n_persons,
           "baseline_mib": peak_mib()}
    runs, cpu = [], []
    for _ in range(reps + 1):
        t, c = time.perf_counter(), time.process_time()
        result = population_totals(population)
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    out.update(runs=runs, cpu_runs=cpu, cold_s=runs[0], cold_cpu_s=cpu[0], seconds=min(runs[1:]),
               cpu_s=min(cpu[1:]), peak_mib=peak_mib(), entitled=int(result.entitled.sum()),
               fen=int(result.fen.sum()))
    return out


def work_numpy(n: int, reps: int, kind: str) -> dict:
    """The anchor's hand-written numpy (bench.numpy_total_household_benefit, its 9 formulas) on the same
    population, its inputs prepared first (not timed): CPU, best of `reps`."""
    from anchor import load_anchor, openfisca_inputs

    from bangfu.policy.synth import read_population

    bench = load_anchor(ANCHOR)
    parameters = bench.numpy_parameters(bench.load_system(), AS_OF[:4])
    inputs = openfisca_inputs(read_population(population_path(n, kind)), AS_OF)
    runs, cpu = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        total = bench.numpy_total_household_benefit(inputs, parameters)
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return {"runs": runs, "cpu_runs": cpu, "seconds": min(runs), "cpu_s": min(cpu), "peak_mib": peak_mib(),
            "sum": float(total.sum())}


def work_single(runs: int) -> dict:
    import pyarrow.parquet as pq

    from bangfu.policy import assess
    from bangfu.policy.synth import to_documents

    docs = to_documents(pq.read_table(population_path(10_000)))
    hardship = [d for d in docs if d["archived"] and d["category"] != "none"]
    out = {}
    for name, sample in (("any", docs), ("hardship", hardship), ("anchor_example", [ANCHOR_EXAMPLE])):
        times, cpu = [], []
        for i in range(runs):
            doc = sample[i % len(sample)]
            t, c = time.perf_counter(), time.process_time()
            assess(doc)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        out[name] = {"p50_ms": 1000 * percentile(times, 50), "p99_ms": 1000 * percentile(times, 99),
                     "cpu_p50_ms": 1000 * percentile(cpu, 50), "runs": runs}
    return out


def work_documents(n: int, path: str, kind: str) -> dict:
    import pyarrow.parquet as pq

    from bangfu.policy.synth import to_documents

    docs = to_documents(pq.read_table(population_path(n, kind)))
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    hardship = next(d for d in docs if d["archived"] and d["category"] == "extreme_hardship")
    Path(path + ".one.json").write_text(json.dumps(hardship, ensure_ascii=False), encoding="utf-8")
    return {"lines": len(docs)}


def work_openfisca(n: int, reps: int) -> dict:
    from anchor import load_anchor, openfisca_inputs

    from bangfu.policy.synth import read_population

    bench = load_anchor(ANCHOR)
    tbs = bench.load_system()
    inputs = openfisca_inputs(read_population(population_path(n)), AS_OF)
    out = {"baseline_mib": peak_mib()}
    runs = []
    for _ in range(reps):
        c = time.process_time()
        total, build, calc = bench.openfisca_total(tbs, inputs)
        runs.append({"build_s": build, "calc_s": calc, "seconds": build + calc, "cpu_s": time.process_time() - c})
    for key in ("build_s", "calc_s", "seconds", "cpu_s"):
        out[key] = statistics.median(r[key] for r in runs)
    single, cpu = [], []
    for _ in range(200):
        t, c = time.perf_counter(), time.process_time()
        bench.openfisca_single(tbs)
        single.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    out.update(runs=runs, peak_mib=peak_mib(), single_p50_ms=1000 * statistics.median(single),
               single_cpu_p50_ms=1000 * statistics.median(cpu),
               sum=float(total.sum(dtype="float64")))
    return out


def work_check(n: int) -> dict:
    from anchor import compare

    from bangfu.policy.synth import read_population

    return compare(ANCHOR, read_population(population_path(n)), AS_OF)


def worker(args: argparse.Namespace) -> dict:
    sys.path.insert(0, str(HERE))
    modes = {"generate": lambda: work_generate(args.n, args.kind),
             "bangfu": lambda: work_bangfu(args.n, args.reps, args.kind),
             "numpy": lambda: work_numpy(args.n, args.reps, args.kind),
             "single": lambda: work_single(args.runs), "documents": lambda: work_documents(args.n, args.path, args.kind),
             "openfisca": lambda: work_openfisca(args.n, args.reps), "check": lambda: work_check(args.n)}
    return modes[args.worker]()


def run(mode: str, n: int = 0, timeout: float = 1800, **extra: object) -> dict:
    cmd = [sys.executable, __file__, "--worker", mode, "--n", str(n)]
    for key, value in extra.items():
        cmd += [f"--{key}", str(value)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode:
        return {"error": (proc.stderr or proc.stdout)[-800:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], stdout: object) -> tuple[float, float]:
    """Wall and CPU seconds of one command (CPU: user + system of the finished child)."""
    c, t = _child_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, stdout=stdout)
    return time.perf_counter() - t, _child_cpu() - c


def time_commands(tmp: str, cli_runs: int, jsonl_runs: int) -> dict:
    """`bangfu assess FILE` (a process per call) and `bangfu assess --jsonl` on 10⁴ households of each kind."""
    out: dict = {"jsonl_by_kind": {}}
    for kind in KINDS:
        lines = run("documents", 10_000, path=f"{tmp}/households_{kind}.jsonl", kind=kind)
        jsonl = []
        for _ in range(jsonl_runs):
            with open(f"{tmp}/answers.jsonl", "w") as answers:
                jsonl.append(_timed([BANGFU, "assess", "--jsonl", f"{tmp}/households_{kind}.jsonl"], answers))
        with open(f"{tmp}/answers.jsonl", "rb") as fh:
            answered = sum(1 for _ in fh)
        out["jsonl_by_kind"][kind] = {"households": lines.get("lines"), "answers": answered,
                                      "seconds": statistics.median(w for w, _ in jsonl),
                                      "cpu_s": statistics.median(c for _, c in jsonl), "runs": jsonl}
    out["jsonl"] = out["jsonl_by_kind"]["all"]
    cli = [_timed([BANGFU, "assess", f"{tmp}/households_all.jsonl.one.json"], subprocess.DEVNULL)
           for _ in range(cli_runs)]
    walls = [w for w, _ in cli]
    out["cli"] = {"p50_ms": 1000 * percentile(walls, 50), "p99_ms": 1000 * percentile(walls, 99),
                  "cpu_p50_ms": 1000 * percentile([c for _, c in cli], 50), "runs": cli_runs}
    return out


def time_assess_table(n: int, runs: int) -> dict:
    """`bangfu assess-table FILE` on n households of each kind, the whole process (start, imports, Parquet, engine,
    table): the first run cold (the file may not be in the page cache), the best of the others warm.

    The package's modules are compiled to bytecode first, as installing it does: this environment sets
    PYTHONDONTWRITEBYTECODE, under which every run would otherwise compile them again (0.03-0.07 s of CPU)."""
    import bangfu

    compileall.compile_dir(Path(bangfu.__file__).parent, quiet=1)
    out = {}
    for kind in KINDS:
        timed = [_timed([BANGFU, "assess-table", str(population_path(n, kind)), "--no-progress"], subprocess.DEVNULL)
                 for _ in range(runs + 1)]
        out[kind] = {"cold_s": timed[0][0], "cold_cpu_s": timed[0][1], "seconds": min(w for w, _ in timed[1:]),
                     "cpu_s": min(c for _, c in timed[1:]), "runs": timed}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--reps", type=int, default=3, help="repetitions of a bulk run in its process (median)")
    ap.add_argument("--single-runs", type=int, default=2000)
    ap.add_argument("--cli-runs", type=int, default=30)
    ap.add_argument("--jsonl-runs", type=int, default=3)
    ap.add_argument("--table-runs", type=int, default=2, help="warm runs of `bangfu assess-table` on 10⁶ (0: not timed)")
    ap.add_argument("--no-openfisca", action="store_true", help="no OpenFisca simulation (the anchor's numpy still runs)")
    ap.add_argument("--only-bulk", action="store_true", help="bulk figures only (no single, CLI, JSON Lines)")
    for hidden in ("--worker", "--path", "--kind"):
        ap.add_argument(hidden, help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--runs", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return

    import numpy
    import pyarrow

    sizes = [int(x) for x in args.sizes.split(",") if x]
    # The anchor's numpy reads its figures through openfisca-core; its simulation (slow, large) can be left out.
    anchor = importlib.util.find_spec("openfisca_core") is not None and (ANCHOR / "bench.py").exists()
    openfisca = anchor and not args.no_openfisca
    env = {"python": sys.version.split()[0], "numpy": numpy.__version__, "pyarrow": pyarrow.__version__,
           "cpus": os.cpu_count(), "openfisca_core": importlib.metadata.version("openfisca-core") if anchor
           else None, "as_of": AS_OF, "seed": SEED,
           "load_start": os.getloadavg()}
    print(", ".join(f"{k} {v}" for k, v in env.items()), flush=True)
    results: dict = {"env": env, "targets": TARGETS, "synth": {}, "bulk": []}
    for kind in KINDS:
        for n in sorted(set(sizes) | {10_000}):
            if not population_path(n, kind).exists():
                made = results["synth"][f"{kind} {n}"] = run("generate", n, kind=kind)
                print(f"bangfu synth {n:,} households ({kind}): {made.get('seconds', float('nan')):.1f} s", flush=True)
    for n in sizes:
        row = {"n": n, "bangfu": run("bangfu", n, reps=args.reps, kind="all"),
               "hardship": run("bangfu", n, reps=args.reps, kind="hardship")}
        for kind in ("bangfu", "hardship"):
            if "error" in row[kind]:
                sys.exit(f"bulk run of {n} ({kind}) failed: {row[kind]['error']}")
        if anchor:
            row["numpy"] = run("numpy", n, reps=3, kind="all")
            row["numpy_hardship"] = run("numpy", n, reps=3, kind="hardship")
        print(f"N={n:,} hardship only: bangfu {row['hardship']['seconds']:.3f} s, "
              f"peak {row['hardship']['peak_mib']:.0f} MiB", flush=True)
        if openfisca:
            row["openfisca"] = run("openfisca", n, reps=args.reps)
            row["check"] = run("check", n)
        results["bulk"].append(row)
        print(f"N={n:,}: bangfu {row['bangfu']['seconds']:.3f} s, peak {row['bangfu']['peak_mib']:.0f} MiB"
              + (f"; OpenFisca {row['openfisca'].get('seconds', float('nan')):.3f} s" if openfisca else ""),
              flush=True)
    if 1_000_000 in sizes and args.table_runs:  # 0: no warm run to report, the command not timed
        results["assess_table"] = time_assess_table(1_000_000, args.table_runs)
    if not args.only_bulk:
        results["single"] = run("single", runs=args.single_runs)
        with tempfile.TemporaryDirectory() as tmp:
            results.update(time_commands(tmp, args.cli_runs, args.jsonl_runs))
    report(results, openfisca, TARGETS)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "engine.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"\nraw results: {OUT / 'engine.json'}")


if __name__ == "__main__":
    main()
