"""The figures each bill is settled with: dated local parameters on its day and in its region, or the caller's."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bangfu.policy.parameters import ParameterSet
from bangfu.policy.rules.base import Ctx
from bangfu.policy.settlement.schema import KINDS, LEVELS, SCHEMES
from bangfu.policy.settlement.table import Bills

CRITICAL_SEGMENTS = 4
ASSISTANCE_SEGMENTS = 3
_COMBOS = [(s, k, lv) for s in SCHEMES for k in KINDS for lv in LEVELS]


@dataclass
class Figure:
    """One figure per bill (NaN: none held) and whether it is illustrative."""

    value: np.ndarray
    illustrative: np.ndarray


@dataclass
class Segments:
    to: np.ndarray  # rows × segments, +inf: no bound
    ratio: np.ndarray  # rows × segments, 0: unused
    illustrative: np.ndarray  # per row


def _full(x, n: int, dtype=np.float64) -> np.ndarray:
    """A writable column: a province-wide scalar repeated, or a copy of the regions' values."""
    if isinstance(x, np.ndarray) and x.shape == (n,):
        return x.astype(dtype, copy=True)
    return np.full(n, x, dtype)


class Figures:
    """The settlement's parameters for a batch of bills, each computed once."""

    def __init__(self, bills: Bills, parameters: ParameterSet):
        self.bills = bills
        self.ctx = Ctx(bills, parameters)  # type: ignore[arg-type]  # it reads only as_of and region
        self.n = len(bills)

    def param(self, name: str) -> Figure:
        p = self.ctx.hparam(name)
        return Figure(_full(p.value, self.n), _full(p.illustrative, self.n, bool))

    def local(self, layer: str, key: str, figure: Figure, null: float = np.nan) -> Figure:
        """`figure` with the caller's own values where given (never illustrative)."""
        for row, given in self.bills.local.items():
            part = given.get(layer)
            if part is not None and key in part:
                value = part[key]
                figure.value[row] = null if value is None else value
                figure.illustrative[row] = False
        return figure

    def chosen(self, stem: str, column: np.ndarray, options: tuple[str, ...]) -> Figure:
        """Per row, the figure of the option `column` names; only the options in use are looked up."""
        used = np.unique(column).tolist()
        if len(used) == 1:
            return self.param(stem.format(options[used[0]]))
        out = Figure(np.full(self.n, np.nan), np.zeros(self.n, bool))
        for o in used:
            f, rows = self.param(stem.format(options[o])), column == o
            out.value[rows], out.illustrative[rows] = f.value[rows], f.illustrative[rows]
        return out

    def segments(self, prefix: str, count: int, layer: str, rows: np.ndarray | None = None) -> Segments:
        to = [self.param(f"{prefix}segment{i}_to") for i in range(1, count + 1)]
        ratio = [self.param(f"{prefix}segment{i}_ratio") for i in range(1, count + 1)]
        illustrative = np.zeros(self.n, bool)
        for f in (*to, *ratio):
            illustrative |= f.illustrative
        bounds, ratios = np.stack([f.value for f in to], 1), np.stack([f.value for f in ratio], 1)
        bounds[np.isnan(bounds)] = np.inf
        ratios[np.isnan(ratios)] = 0.0
        out = Segments(bounds, ratios, illustrative)
        self._local_segments(out, layer, rows)
        return out

    def _local_segments(self, out: Segments, layer: str, rows: np.ndarray | None) -> None:
        for row, given in self.bills.local.items():
            part = given.get(layer)
            if part is None or (rows is not None and not rows[row]):
                continue
            if part.get("segments"):
                segs = [(np.inf if s.to is None else s.to, s.ratio) for s in part["segments"]]
            elif part.get("ratio") is not None:
                segs = [(np.inf, part["ratio"])]
            else:
                continue
            width = max(out.to.shape[1], len(segs))
            if width > out.to.shape[1]:
                extra = width - out.to.shape[1]
                out.to = np.pad(out.to, ((0, 0), (0, extra)), constant_values=np.inf)
                out.ratio = np.pad(out.ratio, ((0, 0), (0, extra)))
            out.to[row] = [s[0] for s in segs] + [np.inf] * (width - len(segs))
            out.ratio[row] = [s[1] for s in segs] + [0.0] * (width - len(segs))
            out.illustrative[row] = False

    # -- per layer ------------------------------------------------------------------------------

    def basic(self) -> dict[str, Figure]:
        b = self.bills
        combo = (1 - b.resident.astype(np.int8)) * 6 + (1 - b.inpatient.astype(np.int8)) * 3 + b.level
        stems = [f"{s}_{k}_{lv}" for s, k, lv in _COMBOS]
        threshold = self.chosen("medical.basic_insurance.{}_threshold", combo, tuple(stems))
        ratio = self.chosen("medical.basic_insurance.{}_ratio", combo, tuple(stems))
        cap = self.chosen("medical.basic_insurance.{}_cap", (~b.resident).astype(np.int8), SCHEMES)
        return {"threshold": self.local("basic", "threshold", threshold),
                "ratio": self.local("basic", "ratio", ratio),
                "cap": self.local("basic", "cap", cap)}

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
        threshold = self.param(p + "hardship_threshold")
        threshold = self.local("assistance", "threshold", threshold)
        threshold = Figure(np.where(extreme, none.value, threshold.value),
                           np.where(extreme, none.illustrative, threshold.illustrative))
        hardship = self.segments(p + "hardship_", ASSISTANCE_SEGMENTS, "assistance", ~extreme)
        worst = self.segments(p + "extreme_", ASSISTANCE_SEGMENTS, "assistance", extreme)
        width = max(hardship.to.shape[1], worst.to.shape[1])
        pad = [a if a.shape[1] == width else np.pad(a, ((0, 0), (0, width - a.shape[1])), constant_values=c)
               for a, c in ((hardship.to, np.inf), (worst.to, np.inf), (hardship.ratio, 0.0), (worst.ratio, 0.0))]
        segments = Segments(np.where(extreme[:, None], pad[1], pad[0]), np.where(extreme[:, None], pad[3], pad[2]),
                            np.where(extreme, worst.illustrative, hardship.illustrative))
        e, h = self.param(p + "extreme_cap"), self.param(p + "hardship_cap")
        cap = Figure(np.where(extreme, e.value, h.value), np.where(extreme, e.illustrative, h.illustrative))
        return {"threshold": threshold, "segments": segments, "cap": self.local("assistance", "cap", cap)}

    def emergency(self) -> dict[str, Figure]:
        return {"cap": self.local("emergency", "cap", self.param("medical.emergency_relief.cap"))}

    def in_force(self) -> np.ndarray:
        return self.param("general.notice.in_force").value == 1
