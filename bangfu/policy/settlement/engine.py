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


def settle_bills(bills: Bills, parameters: ParameterSet | None = None) -> Settlement:
    f = Figures(bills, parameters or default_parameters())
    preferred = bills.archived & (bills.category > 0) & f.in_force()
    extreme = preferred & (bills.category == 2)
    ytd = bills.ytd
    figures: dict[str, dict] = {}
    applies: dict[str, np.ndarray] = {}
    base: dict[str, np.ndarray] = {}
    amount: dict[str, np.ndarray] = {}
    left = bills.in_scope

    code = LAYERS[0]
    fb = figures[code] = f.basic()
    applies[code], base[code] = np.ones(len(bills), bool), left
    amount[code] = r.basic_insurance(left, fb["threshold"].value, fb["ratio"].value, fb["cap"].value,
                                     ytd["basic_paid"])
    left = left - amount[code]

    code = LAYERS[1]
    fc = figures[code] = f.critical()
    seg = fc["segments"]
    within = r.bonus_within(fc["bonus_points"].value, f.param("medical.critical_illness.ratio_bonus_points_min").value,
                            f.param("medical.critical_illness.ratio_bonus_points_max").value)
    bonus = np.where(preferred, within, 0.0)
    fc["threshold"] = r.critical_threshold(fc["normal_threshold"].value, fc["factor"].value, preferred)
    fc["raised"] = r.raised_ratios(seg.ratio, bonus)
    fc["bonus"] = bonus
    applies[code], base[code] = bills.resident, left
    amount[code] = r.critical_illness(left, ytd["critical_base"], fc["threshold"], seg.to, fc["raised"],
                                      fc["cap"].value, ytd["critical_paid"], bills.resident)
    left = left - amount[code]

    code = LAYERS[2]
    fm = figures[code] = f.mutual_aid()
    applies[code], base[code] = bills.is_self & bills.mutual_aid, left
    amount[code] = r.mutual_aid(left, fm["threshold"].value, fm["ratio"].value, fm["cap"].value,
                                ytd["mutual_aid_paid"], applies[code] & bills.inpatient)
    left = left - amount[code]

    code = LAYERS[3]
    fa = figures[code] = f.assistance(extreme)
    applies[code], base[code] = extreme | (preferred & bills.serious_illness), left
    amount[code] = r.expense_assistance(left, ytd["assistance_base"], fa["threshold"].value, fa["segments"].to,
                                        fa["segments"].ratio, fa["cap"].value, ytd["assistance_paid"],
                                        applies[code])

    code = LAYERS[4]
    fe = figures[code] = f.emergency()
    applies[code] = bills.emergency & bills.unpaid
    before = amount[LAYERS[0]] + amount[LAYERS[1]] + amount[LAYERS[2]] + amount[LAYERS[3]]
    base[code] = bills.total - before
    amount[code] = r.emergency_relief(bills.total, before, fe["cap"].value, applies[code])

    new_ytd = {
        "basic_paid": ytd["basic_paid"] + amount[LAYERS[0]],
        "critical_base": ytd["critical_base"] + np.where(bills.resident, base[LAYERS[1]], 0.0),
        "critical_paid": ytd["critical_paid"] + amount[LAYERS[1]],
        "assistance_base": ytd["assistance_base"] + base[LAYERS[3]],
        "assistance_paid": ytd["assistance_paid"] + amount[LAYERS[3]],
        "mutual_aid_paid": ytd["mutual_aid_paid"] + amount[LAYERS[2]],
    }
    return Settlement(bills, preferred, extreme, figures, applies, base, amount, new_ytd)
