"""Answers in the exchange format, read off one evaluation: benefits, reasons for refusals, totals."""

from __future__ import annotations

import math
import string
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from bangfu.policy.departments import where_to_apply
from bangfu.policy.engine import Evaluation, RuleResult
from bangfu.policy.rules import Choice, Outcome, Rule

from .money import CENT

if TYPE_CHECKING:
    from bangfu.policy.documents import Household

ZERO = Decimal("0.00")
PAID = frozenset({"cash", "subsidy"})
_MONEY: dict[float, Decimal] = {}  # amounts repeat (a grant, a province-wide figure): each rounded once
_TEXTS: dict[tuple, str] = {}  # explanations by rule and figures: the same figures read the same


def money(x: float) -> Decimal | None:
    """Yuan rounded half-up to the fen; None for a null amount (NaN)."""
    if x is None or math.isnan(x):
        return None
    found = _MONEY.get(x) if x else None  # 0.0 and -0.0 are one key but print apart: never cached
    if found is None:
        found = Decimal(repr(round(x, 6))).quantize(CENT, rounding=ROUND_HALF_UP)
        if not found:  # -0.001 and -0.0 round to nought: the spec's amount is a figure, never "-0.00"
            found = ZERO
        if x:
            if len(_MONEY) >= 1 << 14:
                _MONEY.clear()
            _MONEY[x] = found
    return found


def _plain(x: Any) -> Any:
    """A JSON-ready figure: NaN is null, a whole float an int."""
    if isinstance(x, float):
        if math.isnan(x):
            return None
        return int(x) if x.is_integer() else round(x, 6)
    return x


def _shown(x: Any) -> Any:
    """How a figure reads in an explanation (1000, 95.09, 0.5283)."""
    if isinstance(x, Decimal):
        return str(int(x)) if x == x.to_integral_value() else f"{x:.2f}"
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return str(x)
    return x


def _scalar(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def _column(values: Any, rows: np.ndarray) -> list:
    """Plain Python values of `values` (an array, or one scalar for every row) at `rows`."""
    if callable(values):  # a figure computed only for the rows an answer shows
        return values(rows)
    if isinstance(values, np.ndarray) and values.ndim:
        return values[rows].tolist()
    return [_scalar(values)] * len(rows)


def _figures(values: Any, rows: np.ndarray) -> list:
    """`_column` made JSON-ready; a scalar is converted once, not once per row."""
    if callable(values) or (isinstance(values, np.ndarray) and values.ndim):
        return [_plain(x) for x in _column(values, rows)]
    return [_plain(_scalar(values))] * len(rows)


def _text(rule: Rule, figures: dict, amount: Decimal | None) -> str:
    shown = {k: _shown(v) for k, v in figures.items()}
    shown["amount"] = _shown(amount)
    return rule.explain(shown) if callable(rule.explain) else rule.explain.format(**shown)


def _amounts(amount: Any, rows: np.ndarray) -> list:
    if amount is None:
        return [None] * len(rows)
    if isinstance(amount, Choice):
        return [money(a) for a in amount(rows)]
    if isinstance(amount, np.ndarray) and amount.ndim:
        return [money(a) for a in amount[rows].tolist()]
    return [money(_scalar(amount))] * len(rows)


# What an illustrative figure is called when an explanation says it is one.
ILLUSTRATIVE_NAMES = {
    "dibao_standard": "当地低保标准", "contribution": "个人缴费标准", "share": "补贴比例", "price": "电价",
    "normal_monthly_fee": "有线电视普通收费标准", "cpi_yoy_percent": "居民消费价格涨幅", "yuan_per_day": "每天补助标准",
    "standard": "资助标准",
}


def _illustrative_note(keys: tuple[str, ...]) -> str:
    if not keys:
        return ""
    names = "、".join(dict.fromkeys(ILLUSTRATIVE_NAMES.get(k, k) for k in keys))
    return f"其中{names}是示例数,尚待核实。"


def _entries(rule: Rule, outcome: Outcome, rows: np.ndarray, row_list: list[int],
             member_ids: list[str] | None) -> list[dict]:
    """The benefit entries of a rule for its entitled `rows` (as an array and as a list)."""
    n = len(row_list)
    amounts = _amounts(outcome.amount, rows)
    members = [member_ids[r] for r in row_list] if rule.entity == "person" and member_ids else [None] * n
    keys = tuple(outcome.details)
    columns = [_figures(v, rows) for v in outcome.details.values()]
    figures_of = list(zip(*columns, strict=True)) if columns else [()] * n
    flags = [(k, _column(v, rows)) for k, v in outcome.illustrative.items()]
    cited_keys = tuple(outcome.sources)
    cited_of = list(zip(*(f(rows) for f in outcome.sources.values()), strict=True)) if cited_keys else [()] * n
    static = rule.explain if isinstance(rule.explain, str) and "{" not in rule.explain else None
    # Rows with the same figures read the same: each text is written once, and kept for the next batch
    # (a batch of one is most calls). A column holds one kind of value, so no key confuses True with 1.
    code, article, title, kind = rule.code, rule.article, rule.title, rule.kind
    # Entries that read the same share one `details` (never written after): a 10⁴-household batch makes a
    # few hundred of them, not 10⁵.
    shared: dict[tuple, dict] = {}
    if static is not None and not flags and not cited_keys:  # one text for every row
        text = _TEXTS.get((code,))
        if text is None:
            text = _TEXTS[code,] = static + where_to_apply(code, kind)
        # `in`, not `get(...) or`: an empty `details` is falsy, and was made anew (and encoded anew) per entry.
        details = [shared[values] if values in shared else shared.setdefault(values, dict(zip(keys, values, strict=True)))
                   for values in figures_of]
        return [{"code": code, "article": article, "member": members[j], "title": title, "kind": kind,
                 "amount": amounts[j], "details": details[j], "explanation": text} for j in range(n)]
    at = {k: i for i, k in enumerate(keys)}
    flags_at = [(k, flag, at[k]) for k, flag in flags if k in at]
    entries = []
    for j, values in enumerate(figures_of):
        amount = amounts[j]
        flagged = tuple(k for k, flag, i in flags_at if flag[j] and values[i] is not None) if flags else ()
        key = (code, values, amount, flagged, cited_of[j])
        found = shared.get(key)
        if found is None:
            figures = dict(zip(keys, values, strict=True))
            text = _TEXTS.get(key)
            if text is None:
                base = static if static is not None else _text(
                    rule, {**figures, **dict(zip(cited_keys, cited_of[j], strict=True))}, amount)
                if len(_TEXTS) >= 1 << 14:
                    _TEXTS.clear()
                text = _TEXTS[key] = base + _illustrative_note(flagged) + where_to_apply(code, kind)
            if flagged:
                figures["illustrative"] = list(flagged)
            found = shared[key] = (figures, text)
        entries.append({"code": code, "article": article, "member": members[j], "title": title, "kind": kind,
                        "amount": amount, "details": found[0], "explanation": found[1]})
    return entries


def _cited(reason: str, article: int) -> str:
    """A refusal names its article, as a caseworker reads it out."""
    return reason if reason.endswith("条)") else f"{reason}(第{article}条)"


def _named(template: str) -> tuple[str, ...]:
    """The figures a reason names: "{max_years}年" -> ("max_years",)."""
    return tuple(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))


def _refusals(rule: Rule, outcome: Outcome, rows: np.ndarray, row_list: list[int], failed: list[int],
              member_ids: list[str] | None) -> list[dict]:
    """Why each of `rows` is refused: the reason of its first failing condition (index in `failed`)."""
    person = rule.entity == "person" and member_ids
    code, article = rule.code, rule.article
    # Each condition's reason as read out, when it names no figure: the same text for every row.
    fixed = [None if "{" in reason else _cited(reason, article) for _, reason in outcome.conditions]
    reasons = [fixed[i] for i in failed]
    named = [j for j, reason in enumerate(reasons) if reason is None]
    if named:  # figures read only for the rows whose reason names them, and only the figures named
        where = rows[named]
        keys = {k for i in {failed[j] for j in named} for k in _named(outcome.conditions[i][1])}
        figures = {k: [_shown(_plain(x)) for x in _column(v, where)]
                   for k, v in (outcome.details | outcome.facts).items() if k in keys}
        for at, j in enumerate(named):
            template = outcome.conditions[failed[j]][1]
            reasons[j] = _cited(template.format(**{k: v[at] for k, v in figures.items()}), article)
    return [{"code": code, "article": article, "member": member_ids[row] if person else None, "reason": reason}
            for row, reason in zip(row_list, reasons, strict=True)]


def _first_failures(result: RuleResult, row_list: list[int]) -> list[int]:
    """For each refused row, the index of the rule's first condition that fails there.

    Read row by row: only rows an answer lists are refused, each costs a dict anyway, and most fail on
    a first condition (not a child, no business); for a batch of one this is fewer calls than numpy's.
    """
    masks = result.masks
    out = []
    for row in row_list:
        i = 0
        while masks[i][row]:
            i += 1
        out.append(i)
    return out


def _rows(results: list[RuleResult], n: int) -> list[tuple | None]:
    """For each of `results` (the rules of one entity, over `n` rows the gate admits): None when it shows in
    no answer, else the rows entitled, and the refused rows worth listing with the condition that refuses each.

    Rows come as arrays (to read figures) and as lists (to place entries). The masks of all the rules
    are stacked, so that a batch of one pays a few numpy calls for them all, not a few per rule.
    """
    n_rules = len(results)
    both = np.empty((2 * n_rules, n), bool)
    both[:n_rules] = [r.entitled for r in results]
    refused = both[n_rules:]
    refused[:] = True
    for k, result in enumerate(results):
        if result.outcome.listed is not None:
            refused[k] &= result.outcome.listed
    refused &= ~both[:n_rules]
    which, rows = np.nonzero(both)
    bounds = np.searchsorted(which, np.arange(2 * n_rules + 1)).tolist()
    row_list = rows.tolist()
    out: list[tuple | None] = []
    for k, result in enumerate(results):
        e0, e1, r0, r1 = bounds[k], bounds[k + 1], bounds[n_rules + k], bounds[n_rules + k + 1]
        if e0 < e1 or r0 < r1:
            listed = row_list[r0:r1]
            out.append((rows[e0:e1], row_list[e0:e1], rows[r0:r1], listed, _first_failures(result, listed)))
        else:
            out.append(None)
    return out


def _found(evaluation: Evaluation) -> list[tuple | None]:
    """`_rows` for every rule of the evaluation, in its order."""
    found: list[tuple | None] = [None] * len(evaluation.results)
    if any(r.rows is not None for r in evaluation.results):
        raise ValueError("an answer says why every row is refused: evaluate(restricted=False)")
    admitted = evaluation.admitted
    if not admitted.n_households:  # every row a rule entitles or refuses lies within the gate
        return found
    for entity, n in (("household", admitted.n_households), ("person", admitted.n_persons)):
        positions = [i for i, r in enumerate(evaluation.results) if r.rule.entity == entity]
        for i, rows in zip(positions, _rows([evaluation.results[i] for i in positions], n), strict=True):
            found[i] = rows
    return found


def entitled_amounts(evaluation: Evaluation) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The entries of `answers`' benefits as arrays, without texts or refusals: for each entitled row of each rule,
    its household's row in the batch, the rule's position in the evaluation's results (`RULES`), the member's row in
    the batch (-1 for a household's benefit) and the unrounded amount (NaN where the rule sets none; `money`
    rounds it as an answer does). In the order of `answers`: by rule, then row."""
    admitted = evaluation.admitted
    batch_row = evaluation.households
    parts = []
    for k, result in enumerate(evaluation.results):
        at = np.flatnonzero(result.entitled)  # among the rows evaluated: a restricted evaluation's are some
        if not len(at):
            continue
        rows = at if result.rows is None else result.rows[at]
        if result.rule.entity == "person":
            owners, persons = batch_row[admitted.hh[rows]], evaluation.persons[rows]
        else:
            owners, persons = batch_row[rows], np.full(len(rows), -1, np.int64)
        amount = result.outcome.amount
        if amount is None:
            amounts = np.full(len(rows), np.nan)
        elif isinstance(amount, Choice):
            amounts = amount[at]
        elif isinstance(amount, np.ndarray) and amount.ndim:
            amounts = amount[at].astype(np.float64)
        else:
            amounts = np.full(len(rows), float(_scalar(amount)))
        parts.append((owners, np.full(len(rows), k, np.int64), persons, amounts))
    if not parts:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, np.zeros(0)
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(4))  # type: ignore[return-value]


def answers(evaluation: Evaluation, households: list[Household]) -> list[dict]:
    """The spec's output document for each household of the evaluated batch, in batch order."""
    admitted = evaluation.admitted
    ids = admitted.member_ids
    benefits: list[list[dict]] = [[] for _ in households]
    refused: list[list[dict]] = [[] for _ in households]
    totals = [ZERO] * len(households)
    batch_row = evaluation.households  # of each admitted household
    owner = {"household": batch_row.tolist(), "person": batch_row[admitted.hh].tolist()}
    found = _found(evaluation)
    for result, rows in zip(evaluation.results, found, strict=True):  # benefits in the order of RULES
        if rows is None:
            continue
        rule, outcome = result.rule, result.outcome
        entitled, entitled_rows, listed, listed_rows, failed = rows
        owners = owner[rule.entity]
        if entitled_rows:
            entries = _entries(rule, outcome, entitled, entitled_rows, ids)
            if rule.kind in PAID:  # the household's total summed here, in the order of its benefits
                for entry, row in zip(entries, entitled_rows, strict=True):
                    h = owners[row]
                    benefits[h].append(entry)
                    if entry["amount"] is not None:
                        totals[h] += entry["amount"]
            else:
                for entry, row in zip(entries, entitled_rows, strict=True):
                    benefits[owners[row]].append(entry)
        if listed_rows:
            refusals = _refusals(rule, outcome, listed, listed_rows, failed, ids)
            for entry, row in zip(refusals, listed_rows, strict=True):
                refused[owners[row]].append(entry)
    gate = evaluation.gate
    outside = np.flatnonzero(~gate.entitled)
    if len(outside):
        outside_rows = outside.tolist()
        failures = gate.first_failure(outside)
        refusals = _refusals(gate.rule, gate.outcome, outside, outside_rows, failures, None)
        for h, refusal in zip(outside_rows, refusals, strict=True):
            refused[h] = [refusal]
    out = []
    for h, household in enumerate(households):
        out.append({
            "as_of": household.as_of.isoformat(), "region": household.region,
            "category": household.category, "benefits": benefits[h], "not_eligible": refused[h],
            "total_cash": totals[h],
        })
    return out


def family_lines(benefits: list[dict]) -> list[dict]:
    """An answer's benefits as a family reads them: one line per benefit that reads the same for several
    members (its `members` listed, its `amount` their sum), none for a 0-yuan entry.

    The exchange format keeps one entry per (code, member); pages and letters show these lines.
    """
    lines: list[dict] = []
    found: dict[tuple, dict] = {}
    for entry in benefits:
        amount = entry["amount"]
        if entry["kind"] in PAID and amount is not None and amount == 0:
            continue
        key = (entry["code"], entry["explanation"], amount, entry["member"] is None)
        line = found.get(key)
        if line is None or entry["member"] is None:
            line = found[key] = {**entry, "members": [], "amount_each": amount}
            lines.append(line)
        elif amount is not None:
            line["amount"] += amount
        if entry["member"] is not None:
            line["members"].append(entry["member"])
    return lines
