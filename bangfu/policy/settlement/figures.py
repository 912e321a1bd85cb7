"""The figures each bill is settled with: dated local parameters on its day and in its region, or the caller's.

A figure the same for every bill of the batch (a province-wide value on one day) stays a 0-d array, so that a
million bills cost no more to look up than one; a caller's own figures make it a column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bangfu.policy.parameters import ParameterSet
from bangfu.policy.rules.base import Ctx
from bangfu.policy.settlement.schema import KINDS, LEVELS, SCHEMES
from bangfu.policy.settlement.table import Bills

CRITICAL_SEGMENTS = 4
ASSISTANCE_SEGMENTS = 3
_BASIC = tuple(f"{s}_{k}_{lv}" for s in SCHEMES for k in KINDS for lv in LEVELS)


def at(x, i: int):
    """Row `i` of a column, or the one value of a 0-d figure."""
    return x[i] if np.ndim(x) else x[()]


@dataclass
class Figure:
    """One figure per bill (NaN: none held) and whether it is illustrative: 0-d arrays or columns."""

    value: np.ndarray
    illustrative: np.ndarray

    def column(self, n: int) -> Figure:
        """A writable column of each (for a caller's figures)."""
        return Figure(np.array(np.broadcast_to(self.value, (n,)), np.float64),
                      np.array(np.broadcast_to(self.illustrative, (n,)), bool))


@dataclass
class Segments:
    to: list[np.ndarray]  # per segment, its bound (+inf: none)
    ratio: list[np.ndarray]  # per segment, its ratio (0: unused)
    illustrative: np.ndarray


def _where(mask: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a if np.ndim(a) == 0 and np.ndim(b) == 0 and a == b else np.where(mask, a, b)


class Figures:
    """The settlement's parameters for a batch of bills, each computed once."""

    def __init__(self, bills: Bills, parameters: ParameterSet):
        self.bills = bills
        self.ctx = Ctx(bills, parameters)  # type: ignore[arg-type]  # it reads only as_of and region
        self.n = len(bills)

    def param(self, name: str) -> Figure:
        p = self.ctx.hparam(name)
        return Figure(np.asarray(p.value, np.float64), np.asarray(p.illustrative, bool))

    def _given(self, layer: str, key: str) -> list[tuple[int, object]]:
        return [(row, g[layer][key]) for row, g in self.bills.local.items() if layer in g and key in g[layer]]

    def local(self, layer: str, key: str, figure: Figure, null: float = np.nan) -> Figure:
        """`figure` with the caller's own values where given (never illustrative)."""
        given = self._given(layer, key)
        if given:
            figure = figure.column(self.n)
            for row, value in given:
                figure.value[row] = null if value is None else value
                figure.illustrative[row] = False
        return figure

    def chosen(self, stem: str, column: np.ndarray, options: tuple[str, ...]) -> Figure:
        """Per row, the figure of the option `column` names."""
        figures = [self.param(stem.format(o)) for o in options]
        if all(np.ndim(f.value) == 0 and np.ndim(f.illustrative) == 0 for f in figures):
            values = np.array([f.value for f in figures])
            flags = np.array([f.illustrative for f in figures])
            return Figure(values[column], flags[column])
        return Figure(np.choose(column, [np.broadcast_to(f.value, (self.n,)) for f in figures]),
                      np.choose(column, [np.broadcast_to(f.illustrative, (self.n,)) for f in figures]))

    def segments(self, prefix: str, count: int, layer: str, rows: np.ndarray | None = None) -> Segments:
        to = [self.param(f"{prefix}segment{i}_to") for i in range(1, count + 1)]
        ratio = [self.param(f"{prefix}segment{i}_ratio") for i in range(1, count + 1)]
        illustrative = np.zeros((), bool)
        for f in (*to, *ratio):
            illustrative = illustrative | f.illustrative
        out = Segments([np.where(np.isnan(f.value), np.inf, f.value) for f in to],
                       [np.where(np.isnan(f.value), 0.0, f.value) for f in ratio], illustrative)
        return self._local_segments(out, layer, rows)

    def _local_segments(self, out: Segments, layer: str, rows: np.ndarray | None) -> Segments:
        chosen = []
        for row, given in self.bills.local.items():
            part = given.get(layer)
            if part is None or (rows is not None and not rows[row]):
                continue
            if part.get("segments"):
                chosen.append((row, [(np.inf if s.to is None else s.to, s.ratio) for s in part["segments"]]))
            elif part.get("ratio") is not None:
                chosen.append((row, [(np.inf, part["ratio"])]))
        if not chosen:
            return out
        width = max(len(out.to), *(len(segs) for _, segs in chosen))
        n = self.n
        to = [np.array(np.broadcast_to(out.to[k] if k < len(out.to) else np.inf, (n,)), np.float64)
              for k in range(width)]
        ratio = [np.array(np.broadcast_to(out.ratio[k] if k < len(out.ratio) else 0.0, (n,)), np.float64)
                 for k in range(width)]
        illustrative = np.array(np.broadcast_to(out.illustrative, (n,)), bool)
        for row, segs in chosen:
            for k in range(width):
                to[k][row], ratio[k][row] = segs[k] if k < len(segs) else (np.inf, 0.0)
            illustrative[row] = False
        return Segments(to, ratio, illustrative)

    # -- per layer ------------------------------------------------------------------------------

    def basic(self) -> dict[str, Figure]:
        b = self.bills
        combo = (1 - b.resident.astype(np.int8)) * 6 + (1 - b.inpatient.astype(np.int8)) * 3 + b.level
        return {"threshold": self.local("basic", "threshold",
                                        self.chosen("medical.basic_insurance.{}_threshold", combo, _BASIC)),
                "ratio": self.local("basic", "ratio", self.chosen("medical.basic_insurance.{}_ratio", combo, _BASIC)),
                "cap": self.local("basic", "cap", self.chosen("medical.basic_insurance.{}_cap",
                                                              (~b.resident).astype(np.int8), SCHEMES))}

    def critical(self) -> dict:
        p = "medical.critical_insurance."
        return {"normal_threshold": self.local("critical", "normal_threshold", self.param(p + "normal_threshold")),
                "factor": self.param("medical.critical_illness.threshold_factor"),
                "bonus_points": self.local("critical", "bonus_points", self.param(p + "bonus_points")),
                "cap": self.local("critical", "cap", self.param(p + "cap")),
                "segments": self.segments(p, CRITICAL_SEGMENTS, "critical")}

    def mutual_aid(self) -> dict[str, Figure]:
        p = "medical.mutual_aid."
        return {k: self.local("mutual_aid", k, self.param(p + k)) for k in ("threshold", "ratio", "cap")}

    def assistance(self, extreme: np.ndarray) -> dict:
        """The figures of each household's kind: 特困 (no threshold, Article 8) or 困难 大重病 patients."""
        p = "medical.assistance."
        none = self.param("medical.expense_assistance.threshold_extreme")
        threshold = self.local("assistance", "threshold", self.param(p + "hardship_threshold"))
        threshold = Figure(np.where(extreme, none.value, threshold.value),
                           np.where(extreme, none.illustrative, threshold.illustrative))
        hardship = self.segments(p + "hardship_", ASSISTANCE_SEGMENTS, "assistance", ~extreme)
        worst = self.segments(p + "extreme_", ASSISTANCE_SEGMENTS, "assistance", extreme)
        width = max(len(hardship.to), len(worst.to))
        pad = [(s.to + [np.inf] * (width - len(s.to)), s.ratio + [0.0] * (width - len(s.ratio)))
               for s in (hardship, worst)]
        segments = Segments([_where(extreme, e, h) for h, e in zip(pad[0][0], pad[1][0], strict=True)],
                            [_where(extreme, e, h) for h, e in zip(pad[0][1], pad[1][1], strict=True)],
                            np.where(extreme, worst.illustrative, hardship.illustrative))
        e, h = self.param(p + "extreme_cap"), self.param(p + "hardship_cap")
        cap = Figure(np.where(extreme, e.value, h.value), np.where(extreme, e.illustrative, h.illustrative))
        return {"threshold": threshold, "segments": segments, "cap": self.local("assistance", "cap", cap)}

    def emergency(self) -> dict[str, Figure]:
        return {"cap": self.local("emergency", "cap", self.param("medical.emergency_relief.cap"))}

    def in_force(self) -> np.ndarray:
        return self.param("general.notice.in_force").value == 1
