"""What-if over a population file: `bangfu assess-table POP --parameters NEW --against OLD` assesses the Parquet
population under both parameter bundles and prints, per benefit and city, the households entitled and the yearly
cash under each and the change (exact fen): the budget side of a draft standard (Articles 24 and 28)."""

from __future__ import annotations

import argparse
import csv
import sys
from typing import IO

import pyarrow as pa

from bangfu.policy.bulk import PAID, Totals, assess_file, cities, city_name, keep_freed_memory, print_table
from bangfu.policy.messages import cannot_read
from bangfu.policy.parameters import ParameterError, load_bundle
from bangfu.policy.schema import InputError

BAD_INPUT = 2
HEADER = ("code", "article", "city_code", "city", "entitled_before", "entitled_after", "cash_before", "cash_after",
          "cash_change")


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def difference(before: Totals, after: Totals) -> list[dict]:
    """Per rule and city where anything differs: entitled and cash before and after, and the change."""
    codes, _ = cities()
    rows = []
    for i, rule in enumerate(after.rules):
        for c in range(len(codes)):
            eb, ea = int(before.entitled[i, c]), int(after.entitled[i, c])
            fb, fa = int(before.fen[i, c]), int(after.fen[i, c])
            if (eb, fb) == (ea, fa):
                continue
            paid = rule.kind in PAID
            rows.append({"code": rule.code, "article": rule.article, "city_code": codes[c], "city": city_name(codes[c]),
                         "entitled_before": eb, "entitled_after": ea, "cash_before": _yuan(fb) if paid else "",
                         "cash_after": _yuan(fa) if paid else "", "cash_change": _yuan(fa - fb) if paid else "",
                         "fen_change": fa - fb if paid else 0})
    return rows


def print_difference(rows: list[dict], out: IO[str]) -> None:
    total = sum(r["fen_change"] for r in rows)
    print(f"{'code':<48}{'city':<8}{'entitled':>18}{'cash before':>16}{'cash after':>16}{'change':>14}", file=out)
    for r in rows:
        entitled = f"{r['entitled_before']}→{r['entitled_after']}"
        print(f"{r['code']:<48}{r['city_code']:<8}{entitled:>18}{r['cash_before']:>16}{r['cash_after']:>16}"
              f"{r['cash_change']:>14}", file=out)
    print(f"yearly cash change (all benefits, all cities): {_yuan(total)}", file=out)


def whatif_command(args: argparse.Namespace) -> int:
    if args.scheduler:
        print("--parameters/--against:不能与--scheduler同用(请在本进程中评估该文件)", file=sys.stderr)
        return BAD_INPUT
    keep_freed_memory()
    bundles = {}
    for flag in ("parameters", "against"):
        path = getattr(args, flag)
        if not path:
            continue
        try:
            bundles[flag] = load_bundle(path)
        except OSError as exc:
            print(cannot_read(path, exc, where=f"--{flag}"), file=sys.stderr)
            return BAD_INPUT
        except ParameterError as exc:
            print(f"--{flag}: {exc}", file=sys.stderr)
            return BAD_INPUT
    try:
        after = assess_file(args.file, progress=not args.no_progress, parameters=bundles.get("parameters"))
        if "against" not in bundles:
            print_table(after, sys.stdout)
            return 0
        before = assess_file(args.file, progress=not args.no_progress, parameters=bundles["against"])
    except InputError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return BAD_INPUT
    except (OSError, pa.ArrowException) as exc:
        print(cannot_read(args.file, exc), file=sys.stderr)
        return BAD_INPUT
    rows = difference(before, after)
    print_difference(rows, sys.stdout)
    if args.out:
        with open(args.out, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=HEADER, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    return 0
