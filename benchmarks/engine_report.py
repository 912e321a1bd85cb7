"""How benchmarks/engine.py prints its figures: Markdown tables and the targets beside them."""

from __future__ import annotations

import os
import statistics


def mark(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def print_bulk(rows: list[dict]) -> None:
    print("\n| households | persons | bangfu CPU s warm (cold) | wall s warm (cold) | households/s (CPU) "
          "| peak MiB (loaded) | numpy anchor CPU s | bangfu ÷ numpy | OpenFisca s, wall (CPU): build + calc "
          "| anchor codes agree |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|")
    for r in rows:
        b, o, c, np_ = r["bangfu"], r.get("openfisca") or {}, r.get("check") or {}, r.get("numpy") or {}
        ofs = (f"{o['seconds']:.3f} ({o['cpu_s']:.3f}): {o['build_s']:.3f} + {o['calc_s']:.3f}" if "seconds" in o
               else o.get("error", "not run")[-60:])
        agree = (f"{sum(x['agree'] for x in c['codes'])} of {len(c['codes'])}" if "codes" in c
                 else c.get("error", "not run")[-60:])
        numpy_cpu = f"{np_['cpu_s']:.3f}" if "cpu_s" in np_ else "not run"
        ratio = f"{b['cpu_s'] / np_['cpu_s']:.1f}×" if np_.get("cpu_s") else "—"
        print(f"| {r['n']:,} | {b['persons']:,} | {b['cpu_s']:.3f} ({b['cold_cpu_s']:.3f}) "
              f"| {b['seconds']:.3f} ({b['cold_s']:.3f}) | {r['n'] / b['cpu_s']:,.0f} "
              f"| {b['peak_mib']:.0f} ({b['baseline_mib']:.0f}) | {numpy_cpu} | {ratio} | {ofs} | {agree} |")


def print_hardship(rows: list[dict]) -> None:
    print("\nHardship households only (archived, hardship or extreme hardship: every rule has work to do):")
    print("| households | persons | bangfu CPU s warm (cold) | wall s warm (cold) | peak MiB (loaded) "
          "| numpy anchor CPU s | bangfu ÷ numpy |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        h, np_ = r["hardship"], r.get("numpy_hardship") or {}
        numpy_cpu = f"{np_['cpu_s']:.3f}" if "cpu_s" in np_ else "not run"
        ratio = f"{h['cpu_s'] / np_['cpu_s']:.1f}×" if np_.get("cpu_s") else "—"
        print(f"| {r['n']:,} | {h['persons']:,} | {h['cpu_s']:.3f} ({h['cold_cpu_s']:.3f}) "
              f"| {h['seconds']:.3f} ({h['cold_s']:.3f}) | {h['peak_mib']:.0f} ({h['baseline_mib']:.0f}) "
              f"| {numpy_cpu} | {ratio} |")


def print_scale(rows: list[dict], targets: dict) -> None:
    """Issue 15's targets: compute at 10⁶ and 10⁷ (CPU, warm), linear from 10⁶; memory at 10⁷."""
    by_n = {r["n"]: r for r in rows}
    for kind, label in (("bangfu", "all"), ("hardship", "hardship only")):
        if 1_000_000 in by_n:
            b = by_n[1_000_000][kind]
            print(f"  10⁶ households ({label}) ≤ {targets['bulk_1e6_s']} s compute: CPU {b['cpu_s']:.3f} "
                  f"(wall {b['seconds']:.3f}; cold CPU {b['cold_cpu_s']:.3f}), {mark(b['cpu_s'] <= targets['bulk_1e6_s'])}")
        if 10_000_000 in by_n:
            b = by_n[10_000_000][kind]
            print(f"  10⁷ households ({label}) ≤ {targets['bulk_1e7_s']} s compute: CPU {b['cpu_s']:.3f} "
                  f"(wall {b['seconds']:.3f}; cold CPU {b['cold_cpu_s']:.3f}), {mark(b['cpu_s'] <= targets['bulk_1e7_s'])}; "
                  f"peak RSS {b['peak_mib']:.0f} MiB (population loaded {b['baseline_mib']:.0f}), "
                  f"{mark(b['peak_mib'] <= targets['bulk_1e7_mib'])} (< 6 GiB)")
            if 1_000_000 in by_n:
                ratio = b["cpu_s"] / by_n[1_000_000][kind]["cpu_s"]
                print(f"    10⁷ ÷ 10⁶ CPU: ×{ratio:.1f} (linear: ×10)")


def print_assess_table(table: dict, targets: dict) -> None:
    for kind, t in table.items():
        print(f"  `bangfu assess-table` on a 10⁶-household Parquet file ({kind}), whole process ≤ "
              f"{targets['assess_table_1e6_s']} s: warm CPU {t['cpu_s']:.2f} (wall {t['seconds']:.2f}), "
              f"cold CPU {t['cold_cpu_s']:.2f} (wall {t['cold_s']:.2f}), {mark(t['cpu_s'] <= targets['assess_table_1e6_s'])}")


def print_check(check: dict) -> None:
    print(f"\nOn the anchor's codes, {check['households']:,} households (fen; ours with the anchor's inputs "
          "aligned: archived, insured, pupils as public-school children; 'as is' = our real inputs):")
    print("| code | OpenFisca | bangfu aligned | households differ | bangfu as is |")
    print("|---|---:|---:|---:|---:|")
    for r in check["codes"]:
        note = ""
        if "explained_by_contribution" in r:
            c = r["contributions"]
            note = (f" (contribution {c['anchor']:g} vs our {c['ours']:g}; difference fully explained: "
                    f"{r['explained_by_contribution']})")
        print(f"| {r['code']} | {r['anchor_fen'] / 100:,.2f} | {r['ours_fen'] / 100:,.2f} | "
              f"{r['households_differ']:,}{note} | {r['ours_as_is_fen'] / 100:,.2f} |")


def report(results: dict, openfisca: bool, targets: dict) -> None:
    print_bulk(results["bulk"])
    print_hardship(results["bulk"])
    print("\nTargets (CPU seconds, the guide on a shared machine; wall beside):")
    print_scale(results["bulk"], targets)
    if "assess_table" in results:
        print_assess_table(results["assess_table"], targets)
    if "single" in results:
        print_single(results, targets)
    checks = [r["check"] for r in results["bulk"] if "codes" in (r.get("check") or {})]
    if openfisca and checks:
        print_check(checks[-1])
    print(f"\nload average at start {results['env']['load_start']}, at end {os.getloadavg()}")


def print_single(results: dict, targets: dict) -> None:
    single, cli = results["single"], results["cli"]
    of_runs = [r["openfisca"] for r in results["bulk"] if "single_p50_ms" in (r.get("openfisca") or {})]
    for name, label in (("hardship", "hardship households"), ("any", "any household"),
                        ("anchor_example", "the anchor's 4-person example")):
        s = single[name]
        print(f"One household ({label}), Python API assess(doc), explanation included, {s['runs']} calls: "
              f"p50 {s['p50_ms']:.3f} ms (CPU {s['cpu_p50_ms']:.3f}), p99 {s['p99_ms']:.3f} ms")
    if of_runs:
        wall = statistics.median(o["single_p50_ms"] for o in of_runs)
        cpu = statistics.median(o["single_cpu_p50_ms"] for o in of_runs)
        print(f"  OpenFisca anchor, its 4-person example, build_from_entities + calculate: p50 {wall:.3f} ms "
              f"(CPU {cpu:.3f}), median over {len(of_runs)} processes")
    print(f"One household, `bangfu assess FILE`, a process per call, {cli['runs']} calls: "
          f"p50 {cli['p50_ms']:.0f} ms (CPU {cli['cpu_p50_ms']:.0f}), p99 {cli['p99_ms']:.0f} ms")
    hard = single["hardship"]
    print(f"  one household < {targets['single_p50_ms']} ms p50 (hardship households): {hard['p50_ms']:.3f} ms "
          f"({hard['cpu_p50_ms']:.3f}), {mark(hard['p50_ms'] < targets['single_p50_ms'])}")
    for kind, j in results["jsonl_by_kind"].items():
        print(f"  `bangfu assess --jsonl`, 10⁴ households ({kind}) end to end ≤ {targets['jsonl_1e4_s']} s: "
              f"CPU {j['cpu_s']:.2f} (wall {j['seconds']:.2f}), median of {len(j['runs'])}, "
              f"{mark(j['cpu_s'] <= targets['jsonl_1e4_s'])}")
