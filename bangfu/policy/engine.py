"""One vectorised evaluation of every rule over a batch: a single household is a batch of one.

The household gate (Article 2) is evaluated first, over the whole batch; every other rule only over the
households it admits. In the synthetic population 85 % of households stop at the gate, and no rule can
entitle or refuse them: evaluating the rules over them was most of a large batch's cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bangfu.policy.parameters import NOTICE_DAY, ParameterSet, default_parameters
from bangfu.policy.rules import RULES, Ctx, Outcome, Rule
from bangfu.policy.table import Population

GATE_CODE = "household.eligibility"
GATE_ARTICLE = 2


@dataclass
class RuleResult:
    rule: Rule
    outcome: Outcome
    masks: list[np.ndarray]  # each condition, per row of the rule's entity (of `rows`)
    entitled: np.ndarray  # the household gate and every condition
    # The rows of the entity evaluated (`Rule.within`, in a restricted evaluation); None: every row. The rule
    # entitles none of the others, and says nothing of them.
    rows: np.ndarray | None = None

    def first_failure(self, rows: np.ndarray) -> list[int]:
        """For each of `rows`, the index of the first condition that refuses it (-1: none)."""
        failed = np.full(len(rows), -1, dtype=np.int8)
        for i in range(len(self.masks) - 1, -1, -1):
            failed[~self.masks[i][rows]] = i
        return failed.tolist()


@dataclass
class Evaluation:
    population: Population  # the batch as given
    gate: RuleResult  # Article 2: per household of the batch, a hardship household under the notice on its day
    admitted: Population  # the households the gate admits, with their members (the batch itself if all)
    results: list[RuleResult]  # per row of `admitted`
    _households: np.ndarray | None = None  # row in `population` of each admitted household (None: the same)
    _persons: np.ndarray | None = None  # row in `population` of each admitted member (None: the same)

    @property
    def households(self) -> np.ndarray:
        """The row in `population` of each household of `admitted`."""
        return np.arange(self.admitted.n_households) if self._households is None else self._households

    @property
    def persons(self) -> np.ndarray:
        """The row in `population` of each member of `admitted`."""
        return np.arange(self.admitted.n_persons) if self._persons is None else self._persons


def _full(mask: np.ndarray | bool, n: int) -> np.ndarray:
    if isinstance(mask, np.ndarray) and mask.shape == (n,):
        return mask
    return np.full(n, mask)  # a figure that is one scalar for the whole batch


def _gate(ctx: Ctx) -> Outcome:
    """Article 2: households in a county-or-higher union's archive, verified as (extreme) hardship."""
    pop = ctx.pop
    return Outcome([
        (pop.archived, "未纳入县级以上总工会困难职工档案"),
        (pop.category > 0, "未经县级以上总工会核定为困难职工家庭或特困职工家庭"),
        (ctx.hparam("general.notice.in_force").value == 1,
         f"评估日期早于本通知施行之日({NOTICE_DAY.year}年{NOTICE_DAY.month}月{NOTICE_DAY.day}日)"),
    ])


GATE = Rule(GATE_CODE, GATE_ARTICLE, "eligibility", "household", "困难职工家庭", "", _gate)


def _result(rule: Rule, outcome: Outcome, n: int, rows: np.ndarray | None = None) -> RuleResult:
    # Chained `&` over whole columns: for a million rows this beats stacking the masks in a matrix,
    # whose pages must first be touched; for a batch of one it is a call per condition.
    masks = [_full(mask, n) for mask, _ in outcome.conditions]
    if not masks:
        return RuleResult(rule, outcome, masks, np.ones(n, bool), rows)
    entitled = masks[0] & masks[1] if len(masks) > 1 else masks[0].copy()  # never a view of a mask
    for mask in masks[2:]:
        entitled &= mask
    return RuleResult(rule, outcome, masks, entitled, rows)


def _evaluated(rule: Rule, ctx: Ctx, size: dict[str, int], restricted: bool) -> RuleResult:
    if restricted and rule.within is not None:
        within = ctx.within(rule.within)
        return _result(rule, rule.formula(within), len(within.rows), within.rows)
    return _result(rule, rule.formula(ctx), size[rule.entity])


def evaluate(population: Population, parameters: ParameterSet | None = None, restricted: bool = False) -> Evaluation:
    """The household gate over the batch, then every rule over the households it admits.

    `restricted` (the bulk totals): a rule that names the members it can entitle (`Rule.within`) is evaluated
    over those alone, its result's `rows` saying which; an answer, which says why the others are refused,
    evaluates every rule over every row."""
    parameters = parameters or default_parameters()
    gate = _result(GATE, _gate(Ctx(population, parameters)), population.n_households)
    households = persons = None
    admitted = population
    if not gate.entitled.all():
        households = np.flatnonzero(gate.entitled)
        admitted, persons = population.take(gate.entitled)
    if not admitted.n_households:  # no row for any rule to speak of (a refused household alone: most calls)
        return Evaluation(population, gate, admitted, [_result(rule, _NOTHING, 0) for rule in RULES],
                          households, persons)
    ctx = Ctx(admitted, parameters)
    size = {"household": admitted.n_households, "person": admitted.n_persons}
    results = [_evaluated(rule, ctx, size, restricted) for rule in RULES]
    return Evaluation(population, gate, admitted, results, households, persons)


_NOTHING = Outcome([])
