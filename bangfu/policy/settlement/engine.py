"""One vectorised settlement of a batch of bills, layer after layer, each paying out of what the others left."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bangfu.policy.parameters import ParameterSet, default_parameters
from bangfu.policy.rules import settlement as r
from bangfu.policy.settlement.figures import Figures
from bangfu.policy.settlement.table import Bills

LAYERS = ("medical.basic_insurance", "medical.critical_illness_insurance", "medical.mutual_aid",
          "medical.expense_assistance", "medical.emergency_relief")


@dataclass
class Settlement:
    bills: Bills
    preferred: np.ndarray  # a hardship household under the notice on the bill's day
    extreme: np.ndarray
    figures: dict[str, dict]  # per layer, its figures
    applies: dict[str, np.ndarray]  # per layer, whether it can apply to the member at all
    base: dict[str, np.ndarray]  # per layer, B: the in-scope amount the layers before left
    amount: dict[str, np.ndarray]  # per layer, rounded to the fen
    ytd: dict[str, np.ndarray]  # the year to date, updated

    @property
    def paid(self) -> np.ndarray:
        return sum(self.amount.values())

    @property
    def out_of_pocket(self) -> np.ndarray:
        return np.maximum(0.0, self.bills.total - self.paid)


class _Run:
    """One settlement under way: each layer pays out of `left`, what the layers before it left in scope."""

    def __init__(self, bills: Bills, parameters: ParameterSet):
        self.bills, self.f, self.ytd = bills, Figures(bills, parameters), bills.ytd
        self.preferred = bills.archived & (bills.category > 0) & self.f.in_force()
        self.extreme = self.preferred & (bills.category == 2)
        self.figures: dict[str, dict] = {}
        self.applies: dict[str, np.ndarray] = {}
        self.base: dict[str, np.ndarray] = {}
        self.amount: dict[str, np.ndarray] = {}
        self.left = bills.in_scope

    def pay(self, code: str, figures: dict, applies: np.ndarray, amount: np.ndarray) -> None:
        self.figures[code], self.applies[code], self.base[code], self.amount[code] = figures, applies, self.left, amount
        self.left = self.left - amount

    def basic(self) -> None:
        fb = self.f.basic()
        self.pay(LAYERS[0], fb, np.ones(len(self.bills), bool), r.basic_insurance(
            self.left, fb["threshold"].value, fb["ratio"].value, fb["cap"].value, self.ytd["basic_paid"]))

    def critical(self) -> None:
        f, fc = self.f, self.f.critical()
        within = r.bonus_within(fc["bonus_points"].value,
                                f.param("medical.critical_illness.ratio_bonus_points_min").value,
                                f.param("medical.critical_illness.ratio_bonus_points_max").value)
        fc["bonus"] = np.where(self.preferred, within, 0.0)
        fc["threshold"] = r.critical_threshold(fc["normal_threshold"].value, fc["factor"].value, self.preferred)
        fc["raised"] = r.raised_ratios(fc["segments"].ratio, fc["bonus"])
        resident = self.bills.resident
        self.pay(LAYERS[1], fc, resident, r.critical_illness(
            self.left, self.ytd["critical_base"], fc["threshold"], fc["segments"].to, fc["raised"], fc["cap"].value,
            self.ytd["critical_paid"], resident))

    def mutual_aid(self) -> None:
        fm, b = self.f.mutual_aid(), self.bills
        applies = b.is_self & b.mutual_aid
        self.pay(LAYERS[2], fm, applies, r.mutual_aid(
            self.left, fm["threshold"].value, fm["ratio"].value, fm["cap"].value, self.ytd["mutual_aid_paid"],
            applies & b.inpatient))

    def assistance(self) -> None:
        fa = self.f.assistance(self.extreme)
        applies = self.extreme | (self.preferred & self.bills.serious_illness)
        self.pay(LAYERS[3], fa, applies, r.expense_assistance(
            self.left, self.ytd["assistance_base"], fa["threshold"].value, fa["segments"].to, fa["segments"].ratio,
            fa["cap"].value, self.ytd["assistance_paid"], applies))

    def emergency(self) -> None:
        """Article 10 pays out of the whole bill, not only the in-scope part."""
        fe, b = self.f.emergency(), self.bills
        applies = b.emergency & b.unpaid
        before = sum(self.amount[code] for code in LAYERS[:4])
        amount = r.emergency_relief(b.total, before, fe["cap"].value, applies)
        self.figures[LAYERS[4]], self.applies[LAYERS[4]] = fe, applies
        self.base[LAYERS[4]], self.amount[LAYERS[4]] = b.total - before, amount

    def year_to_date(self) -> dict[str, np.ndarray]:
        ytd, amount, base = self.ytd, self.amount, self.base
        return {
            "basic_paid": ytd["basic_paid"] + amount[LAYERS[0]],
            "critical_base": ytd["critical_base"] + np.where(self.bills.resident, base[LAYERS[1]], 0.0),
            "critical_paid": ytd["critical_paid"] + amount[LAYERS[1]],
            "assistance_base": ytd["assistance_base"] + base[LAYERS[3]],
            "assistance_paid": ytd["assistance_paid"] + amount[LAYERS[3]],
            "mutual_aid_paid": ytd["mutual_aid_paid"] + amount[LAYERS[2]],
        }


def settle_bills(bills: Bills, parameters: ParameterSet | None = None) -> Settlement:
    """Every layer over the batch, in the spec's order (Article 8: assistance pays what the insurances left)."""
    run = _Run(bills, parameters or default_parameters())
    run.basic()
    run.critical()
    run.mutual_aid()
    run.assistance()
    run.emergency()
    return Settlement(bills, run.preferred, run.extreme, run.figures, run.applies, run.base, run.amount,
                      run.year_to_date())
