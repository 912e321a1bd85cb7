"""What a rule is: conditions with their reasons, an amount and its figures, over arrays of a whole batch."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, NamedTuple

import numpy as np

from bangfu.policy import dates
from bangfu.policy import schema as s
from bangfu.policy.parameters import ParameterSet, document_label
from bangfu.policy.regions import all_regions
from bangfu.policy.table import Population

Kind = Literal["cash", "subsidy", "priority", "service", "eligibility"]
Entity = Literal["household", "person"]
Array = np.ndarray | np.generic | float | int | bool


class Param(NamedTuple):
    """A parameter for each row: value (NaN where none is held) and illustrative flag.

    Each is a scalar when the value is the same everywhere, so that a province-wide figure
    costs nothing per row.
    """

    value: Array
    illustrative: Array


@dataclass
class Outcome:
    """What a rule says for each row of its entity.

    `conditions` are (mask, reason): the row is entitled when every mask holds, and the reason of
    the first that fails is why not (a str.format template over the row's details).
    `amount` is yuan per year (NaN: null; None: null everywhere): an array, a scalar or a `Choice`. A `details` value is an array, a
    scalar, or a function of the rows shown that gives their values. `listed` marks the rows for
    which a refusal is worth reporting in `not_eligible` (None: all rows). `facts` are figures that
    reasons may name but that are no part of `details`. `sources` names, for a placeholder of the
    explanation (`{basis}`), the parameter whose value's document the text cites: a later figure says
    which document it comes from, not only the article.
    """

    conditions: list[tuple[Array, str]]
    amount: Array | None = None
    details: dict[str, Any] = field(default_factory=dict)
    illustrative: dict[str, Array] = field(default_factory=dict)
    listed: Array | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    code: str
    article: int
    kind: Kind
    entity: Entity
    title: str
    explain: str | Callable[[dict], str]
    formula: Callable[[Ctx], Outcome]
    # The formula reads the household's `monthly_income`: its answer is a figure only where income is known
    # (a file with no income records sends the spec's default 0; pages then say the income is missing).
    income_tested: bool = False
    # A fact of `Ctx` (a mask over the members) outside which the rule entitles no one: the bulk totals evaluate
    # it over those members alone (`Ctx.within`), its refusals of the others being no figure of theirs.
    within: str | None = None


REGISTRY: dict[str, Rule] = {}


def rule(code: str, *, article: int, kind: Kind, entity: Entity, title: str,
         explain: str | Callable[[dict], str], income_tested: bool = False, within: str | None = None) -> Callable:
    """Register a formula for a benefit code of the spec (`income_tested`: it reads `monthly_income`; `within`:
    the members it can entitle, see `Rule.within`)."""
    assert within is None or (entity == "person" and within in MEMBER_FACTS), (code, within)

    def register(formula: Callable[[Ctx], Outcome]) -> Callable[[Ctx], Outcome]:
        assert code not in REGISTRY, code
        REGISTRY[code] = Rule(code, article, kind, entity, title, explain, formula, income_tested, within)
        return formula

    return register


def percent(share: object) -> str:
    """A share as people say it: 0.5 -> "50%"."""
    return f"{round(float(share) * 100, 4):g}%"


def wan(yuan: object) -> str:
    """Yuan in the customary unit for large sums: 500000 -> "50万元"."""
    x = float(yuan)
    return f"{x / 10000:g}万元" if x >= 10000 else f"{x:g}元"


def pick(mask: np.ndarray, a: Array, b: Array) -> Array:
    """`np.where(mask, a, b)` (mask: bool), cheaper for two scalars: the one both are; for flags the mask or
    its negation; for two figures a `Choice`."""
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        if type(a) is type(b) and a == b:
            return a
        if isinstance(a, bool) and isinstance(b, bool):
            return mask.copy() if a else ~mask
        if type(a) is float and type(b) is float:
            return Choice(mask, a, b)
    return np.where(mask, a, b)


def given_or(column: np.ndarray, figure: Array) -> Array:
    """`column` where it holds a value, else `figure` (NaN: none given): `np.where(np.isnan(column), figure,
    column)`, but the column itself where the figure is none either (no pass over the rows for nothing)."""
    if np.ndim(figure) == 0 and np.isnan(figure):
        return column
    return np.where(np.isnan(column), figure, column)


class Choice:
    """A figure of two values over the rows: `a` where `mask` holds, else `b` (`pick` of two figures).

    Kept as the mask and the two figures: the bulk totals count each figure's rows (`bulk.totals`) and never
    need the column, an answer reads the figures of its rows (a call, as any figure computed for the rows
    shown), numpy reads the column (`np.asarray`). A Choice times a number is a Choice of the two products,
    each row's the same product as in the column.
    """

    __slots__ = ("mask", "a", "b")

    def __init__(self, mask: np.ndarray, a: float, b: float):
        self.mask, self.a, self.b = mask, a, b

    def __call__(self, rows: np.ndarray) -> list:
        return self[rows].tolist()

    def __getitem__(self, rows: np.ndarray) -> np.ndarray:
        return np.where(self.mask[rows], self.a, self.b)

    def __len__(self) -> int:
        return len(self.mask)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        column = _select(self.mask, self.a, self.b)
        return column if dtype is None else column.astype(dtype, copy=False)

    def __mul__(self, other: object) -> Choice | np.ndarray:
        if isinstance(other, (float, int)) and not isinstance(other, bool):
            return Choice(self.mask, self.a * other, self.b * other)
        return np.asarray(self) * other

    def __rmul__(self, other: object) -> Choice | np.ndarray:
        if isinstance(other, (float, int)) and not isinstance(other, bool):
            return Choice(self.mask, other * self.a, other * self.b)
        return other * np.asarray(self)


def _select(mask: np.ndarray, a: float, b: float) -> np.ndarray:
    """`np.where(mask, a, b)` for two floats, bit for bit (NaN too): b's bits, with those in which a differs
    flipped where the mask, widened to a word of ones, holds. Four passes of whole words without a branch:
    `np.where` branches on each row and a table read at the mask's bytes first widened them to an index,
    each several times as long over a random mask."""
    a_bits, b_bits = (int(np.float64(x).view(np.int64)) for x in (a, b))
    out = mask.view(np.uint8).astype(np.int64)
    np.negative(out, out=out)
    out &= a_bits ^ b_bits
    out ^= b_bits
    return out.view(np.float64)


def rows_of(values: Array, rows: np.ndarray) -> Array:
    """`values` (a column, or one scalar for every row) at `rows`: for figures computed for an answer's rows."""
    return values[rows] if isinstance(values, np.ndarray) and values.ndim else values


def _any_of(column: np.ndarray, codes: list[int]) -> np.ndarray:
    out = column == codes[0]
    for code in codes[1:]:
        out |= column == code
    return out


class Ctx:
    """The batch under evaluation and the facts the rules share, each computed once."""

    def __init__(self, population: Population, parameters: ParameterSet):
        self.pop = population
        self.parameters = parameters
        as_of = population.as_of
        if len(as_of) == 1 or len(as_of) and (as_of.view(np.int64) == as_of.view(np.int64)[0]).all():  # as days
            self.days, self._day = as_of[:1], np.zeros(len(as_of), np.intp)
        else:
            self.days, self._day = np.unique(as_of, return_inverse=True)
        self._days_key = self.days.tobytes()
        self._scalars = parameters.scalars(self._days_key)
        self._memo: dict[tuple, Any] = {}
        self._hparams: dict[str, Param] = {}
        self._pparams: dict[str, Param] = {}
        self.rows: np.ndarray | None = None  # the batch's members this context holds (`within`); None: all

    def within(self, fact: str) -> Ctx:
        """The context of the members where `fact` (one of `MEMBER_FACTS`) holds, with every household: the
        same parameters and household figures (shared, not computed again), a member's column or fact
        computed for those members only. Member aggregates (`household_size`, `any_member`) refuse there:
        over some members they are no household's."""
        found = self._memo.get(("within", fact))
        if found is None:
            assert self.rows is None, "a context within a context"
            found = self._memo["within", fact] = Ctx.__new__(Ctx)
            rows = np.flatnonzero(getattr(self, fact))
            # Parameters, days, the households' parameters and facts (those computed) shared; no member's.
            found.__dict__.update({name: self.__dict__[name] for name in _SHARED if name in self.__dict__})
            found.pop, found.rows, found._memo, found._pparams = self.pop.members(rows), rows, {}, {}
            # Not the batch's context itself: the two holding each other, a batch's columns and facts outlived
            # its evaluation until the cycle collector ran, the bulk runs' batches piling up in memory.
            found._batch = weakref.ref(self)
        return found

    def _whole(self, what: str) -> None:
        if self.rows is not None:
            raise ValueError(f"{what} over some of a household's members (Ctx.within) is not the household's")

    def _memoised(self, key: tuple, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def hparam(self, name: str) -> Param:
        """A parameter for each household, on its day and in its region."""
        found = self._hparams.get(name)
        if found is None:
            found = self._scalars.get(name)
            if found is None:
                value, illustrative, scalar = self.parameters.table(name, self.days, self._days_key)
                if scalar is not None:  # the same in every region: kept for other batches on these days
                    found = self._scalars[name] = Param(*scalar)
                else:
                    found = Param(self._by_region(value), self._by_region(illustrative))
            self._hparams[name] = found
        return found

    def _by_region(self, table: np.ndarray) -> np.ndarray:
        """A [day, region] table's cell for each household: on one day a gather from one row (a pair of
        index arrays costs several times as much)."""
        if len(self.days) == 1:
            return table[0].take(self._region)
        return table[self._day, self.pop.region]

    @cached_property
    def _region(self) -> np.ndarray:
        return self.pop.region.astype(np.intp)

    def pparam(self, name: str) -> Param:
        """A parameter for each member, from their household's day and region."""
        found = self._pparams.get(name)
        if found is None:
            value, illustrative = found = self.hparam(name)
            if isinstance(value, np.ndarray) or isinstance(illustrative, np.ndarray):
                found = Param(self.per_person(value), self.per_person(illustrative))
            self._pparams[name] = found
        return found

    def references(self, name: str, entity: Entity = "household") -> Callable[[np.ndarray], list[dict]]:
        """For the rows an answer shows, the reference of the value of `name` in force for each ({} if none).

        Looked up only for those rows (an answer's, not a million's), once per day and region.
        """
        reference_at = self.parameters.reference_at

        def at(rows: np.ndarray) -> list[dict]:
            households = rows if entity == "household" else self.pop.hh[rows]
            regions = all_regions()
            return [reference_at(name, day, regions[region].code) for day, region in
                    zip(self.pop.as_of[households].tolist(), self.pop.region[households].tolist(), strict=True)]

        return at

    def cited(self, name: str, entity: Entity = "household") -> Callable[[np.ndarray], list[str]]:
        """For an explanation: "按<document>," where the figure of `name` in force is a later one ('' else)."""
        references = self.references(name, entity)

        def labels(rows: np.ndarray) -> list[str]:
            return [f"按{label}," if (label := document_label(r)) else "" for r in references(rows)]

        return labels

    def before_anniversary(self, rows: np.ndarray, start: np.ndarray, years: Array) -> np.ndarray:
        """For the members of `rows`: the day of assessment falls before `years` (a parameter) after their
        `start` date (birth, registration); the day is reached as working age reaches it. Others: False.

        Computed for those members only (a few in a million: the worker, a business).
        """
        out = np.zeros(self.pop.n_persons, bool)
        at = np.flatnonzero(rows)
        if len(at):
            months = np.nan_to_num(np.asarray(years, np.float64) * 12).astype(np.int64)
            months = months[at] if months.ndim else months
            out[at] = self.pop.as_of[self.pop.hh[at]] < dates.add_months(start[at], months)
        return out

    def per_person(self, household_values: Array) -> Array:
        if isinstance(household_values, np.ndarray) and household_values.ndim:
            return household_values[self.pop.hh]
        return household_values

    # -- facts about households ---------------------------------------------------------------

    @cached_property
    def extreme(self) -> np.ndarray:
        return self.pop.category == s.CATEGORIES.index("extreme_hardship")

    @cached_property
    def household_size(self) -> np.ndarray:
        self._whole("household_size")
        return np.bincount(self.pop.hh, minlength=self.pop.n_households)

    def any_member(self, members: np.ndarray) -> np.ndarray:
        """Per household: whether any of its members is among `members` (a mask over them)."""
        self._whole("any_member")
        out = np.zeros(self.pop.n_households, np.uint8)
        # The greatest of its members' bytes: `maximum.at` runs without a branch per member, where finding the
        # members' positions first (a selection) cost twice as much over a mask of about one member in two.
        np.maximum.at(out, self.pop.hh, members.view(np.uint8))
        return out.view(bool)

    def has_cause(self, *causes: str) -> np.ndarray:
        bits = sum(1 << s.CAUSES.index(c) for c in causes)
        return (self.pop.causes & bits) != 0

    # -- facts about members ------------------------------------------------------------------

    @cached_property
    def extreme_p(self) -> np.ndarray:
        return self.extreme[self.pop.hh]

    def relation(self, name: str) -> np.ndarray:
        return self._memoised(("relation", name), lambda: self.pop.relation == s.RELATIONS.index(name))

    def employment(self, name: str) -> np.ndarray:
        return self._memoised(("employment", name),
                              lambda: self.pop.employment == s.EMPLOYMENTS.index(name))

    def stage(self, *names: str) -> np.ndarray:
        return self._memoised(("stage", names),
                              lambda: _any_of(self.pop.stage, [s.STAGES.index(n) for n in names]))

    def institution(self, *names: str) -> np.ndarray:
        return self._memoised(("institution", names), lambda: _any_of(
            self.pop.institution, [s.INSTITUTIONS.index(n) for n in names]))

    @cached_property
    def in_school(self) -> np.ndarray:
        return self.pop.stage > 0

    @cached_property
    def has_business(self) -> np.ndarray:
        return self.pop.business > 0

    @cached_property
    def working_age(self) -> np.ndarray:
        """Spec 'Working age': 16 to the statutory retirement age, with the 2025 reform.

        A large batch has far fewer distinct (day, retirement group, birth date) than members: there it is
        computed once for each and looked up (`_working_age_table`). Within some members (`within`): the
        batch's, at those members (a few thousand with a business: their own range of birth dates had no
        table, and member by member cost more than the batch's look-up).
        """
        if self.rows is not None:
            return self._batch().working_age.take(self.rows)
        found = self._working_age_table()
        return found if found is not None else self._working_age_direct()

    def _working_age_direct(self) -> np.ndarray:
        """`working_age` member by member."""
        group = self.pop.group

        def by_group(stem: str) -> Array:
            table = self._scalars.get(("by_group", stem))
            if table is None:
                values = [self.pparam(f"general.working_age.{stem}_{g}").value for g in s.RETIREMENT_GROUPS]
                if not all(isinstance(v, float) for v in values):
                    return np.choose(group, values)
                table = self._scalars["by_group", stem] = np.array(values)
            return table[group]

        return _working_age(self.per_person(self.pop.as_of), self.pop.birth, by_group,
                            self.pparam("general.working_age.minimum_age").value)

    def _per_day(self, name: str) -> np.ndarray | None:
        """The value of `name` on each day of the batch, when it is the same in every region (else None)."""
        value, _, scalar = self.parameters.table(name, self.days, self._days_key)
        if scalar is not None:
            return np.full(len(self.days), scalar[0])
        first = value[:, :1]
        return value[:, 0] if ((value == first) | (np.isnan(value) & np.isnan(first))).all() else None

    def _working_age_table(self, most: int | None = None) -> np.ndarray | None:
        """`working_age` computed once per distinct (day, retirement group, birth date) of the batch and looked
        up for each member; None where that would not pay (a small batch, more such triples than `most`,
        by default the batch's members, unless an earlier batch on these days made the table; figures that
        differ between regions). On one day, where working age is one run of birth dates in each group (the
        table says so: those born earlier are past retirement, those born later not yet 16), each member's
        birth date is compared with their group's run instead: a gather over an int64 index cost more."""
        pop, n = self.pop, self.pop.n_persons
        if (most is None and n < WORKING_AGE_TABLE_MIN) or not n:
            return None
        birth = pop.birth.view(np.int64)
        # Birth dates in whole blocks of days, so that batches on the same days share one table.
        lo = int(birth.min()) // _BLOCK * _BLOCK  # NaT (int64's least) makes the span too wide
        hi = (int(birth.max()) // _BLOCK + 1) * _BLOCK
        groups, days = len(s.RETIREMENT_GROUPS), len(self.days)
        span = hi - lo
        table = self._scalars.get(("working_age", lo, hi))  # an earlier batch's: a look-up always pays
        if table is None and days * groups * span > (n if most is None else most):
            return None
        if table is None:
            names = [f"general.working_age.{stem}_{g}" for stem in _BY_GROUP for g in s.RETIREMENT_GROUPS]
            per_day = [self._per_day(name) for name in (*names, "general.working_age.minimum_age")]
            if any(v is None for v in per_day):
                return None
            figures = {stem: np.stack(per_day[k * groups:(k + 1) * groups], axis=1)
                       for k, stem in enumerate(_BY_GROUP)}
            # The grid, ordered by day, then group, then birth date.
            day = np.repeat(np.arange(days), groups * span)
            group = np.tile(np.repeat(np.arange(groups), span), days)
            born = np.tile(np.arange(lo, hi, dtype=np.int64), days * groups).view("datetime64[D]")
            table = self._scalars["working_age", lo, hi] = _working_age(
                self.days[day], born, lambda stem: figures[stem][day, group], per_day[-1][day])
        ranges = self._scalars.get(("working_age_ranges", lo, hi))
        if ranges is None:
            ranges = self._scalars["working_age_ranges", lo, hi] = _ranges(table.reshape(days * groups, span), lo)
        if days == 1 and ranges is not False:
            return _born_within(pop.group, birth, ranges)
        if groups > 1:  # group * span + birth - lo, widened as it is multiplied: no int64 copy of the group
            index = np.multiply(pop.group, span, dtype=np.int64)
            index += birth
            index -= lo
        else:
            index = birth - lo
        if days > 1:
            index += self._day[pop.hh] * (groups * span)
        return table[index]


MEMBER_FACTS = ("in_school", "has_business")  # the facts a rule may name as its `within`
# What a context `within` some members shares with the batch's: nothing computed over the members.
_SHARED = ("parameters", "days", "_day", "_days_key", "_scalars", "_hparams", "_region", "extreme")
WORKING_AGE_TABLE_MIN = 4096  # members; fewer: computed member by member
_BLOCK = 4096  # days
_BY_GROUP = ("retirement_age", "reform_first_cohort", "reform_months_per_step", "reform_max_months")


def _ranges(table: np.ndarray, first: int) -> np.ndarray | bool:
    """For each row of `table` (bool, a column per day from `first`), the days [from, to) where it holds, when
    it holds on one run of days (to == from where on none); False if any row holds on more than one."""
    out = np.zeros((len(table), 2), np.int64)
    for i, row in enumerate(table):
        held = np.flatnonzero(row)
        if len(held) and held[-1] - held[0] + 1 != len(held):
            return False
        if len(held):
            out[i] = first + held[0], first + held[-1] + 1
    return out


def _born_within(group: np.ndarray, birth: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    """Members whose birth day (days since 1970) is within their retirement group's range [from, to).

    The groups' ranges share most of their bounds (every group turns 16 on the same day): the members born
    within the widest bounds, less those of a group whose own bound is narrower, born outside it. Two
    comparisons of every member's birth day and two per narrower bound, where a range per group cost two
    per group and a selection of its members."""
    n = len(birth)
    live = [(g, start, stop) for g, (start, stop) in enumerate(ranges.tolist()) if start < stop]
    if not live:
        return np.zeros(n, bool)
    lo, hi = min(start for _, start, _ in live), max(stop for _, _, stop in live)
    out = birth >= lo
    outside, member = np.empty(n, bool), np.empty(n, bool)
    np.less(birth, hi, out=outside)
    out &= outside
    for g in range(len(ranges)):
        if not any(g == k for k, _, _ in live):
            np.not_equal(group, g, out=member)
            out &= member
    for g, start, stop in live:
        for narrower, compare in ((start > lo, np.less), (stop < hi, np.greater_equal)):
            if narrower:
                compare(birth, start if compare is np.less else stop, out=outside)
                np.equal(group, g, out=member)
                outside &= member
                np.greater(out, outside, out=out)  # out and not outside
    return out


def _working_age(as_of: np.ndarray, birth: np.ndarray, by_group: Callable[[str], Array], minimum: Array) -> np.ndarray:
    """Working age on `as_of` of people born on `birth`, with the figures of each one's retirement group."""
    base = by_group("retirement_age")
    delay = dates.delay_months(birth, by_group("reform_first_cohort"), by_group("reform_months_per_step"),
                               by_group("reform_max_months"))
    return dates.working_age(as_of, birth, minimum, base * 12 + delay)
