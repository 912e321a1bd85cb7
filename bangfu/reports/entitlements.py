"""Entitlements of a union's archive on a chosen date: the engine over the live archive, batched, with the same
input and the same parameters as a household's own answer (`bangfu.registry.assessment`): the archive read as
columns and assessed as arrays without explanations, a file the format might refuse through its own document (the
entries that the entitlements report and the re-computation add up)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from itertools import islice

import numpy as np
from django.db.models import Prefetch

from bangfu.accounts.models import Organisation
from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common.bounds import as_of_within
from bangfu.policy import assess_under
from bangfu.policy.engine import evaluate
from bangfu.policy.explain import PAID, entitled_amounts, money
from bangfu.policy.rules import RULES
from bangfu.policy.rules.income import yuan
from bangfu.registry.assessment import (
    INCOME_MONTHS,
    ArchiveChunk,
    archive_chunk,
    archive_rows,
    household_incomes,
    household_to_assessment_document,
)
from bangfu.registry.models import Household, Member
from bangfu.standards.selectors import effective_parameters

from .selectors import _areas, _child_path, households

BATCH = 2000


def archived_households(*, user, union):
    """The archived households of the union's subtree with what their assessment document needs."""
    active = Member.objects.filter(removed=False).order_by("position", "id")
    return (households(user=user, union=union).filter(status__in=ARCHIVED_STATES).select_related("union")
            .prefetch_related(Prefetch("members", queryset=active, to_attr="active_members"), "incomes")
            .order_by("pk"))


def chunks(queryset, batch: int = BATCH):
    rows = queryset.iterator(chunk_size=batch)
    while chunk := list(islice(rows, batch)):
        yield chunk


def chunk_answers(chunk: list, as_of: datetime.date, parameter_sets: list) -> list[list]:
    """Per household of the chunk, its answer (None when the engine refuses the file) under each set of figures."""
    incomes = household_incomes(chunk, as_of)
    documents = [household_to_assessment_document(h, as_of, income=m) for h, m in zip(chunk, incomes, strict=True)]
    for household, document in zip(chunk, documents, strict=True):  # for distributions by income decile
        household.per_capita_income = money(document["monthly_income"] / max(1, len(document["members"])))
    return assess_under(documents, parameter_sets)


class Side:
    """One side's benefit entries of a chunk: per entry its household (chunk row), key (`MEMBERS`), whole fen and
    whether its rule sets an amount (an answer's amount is None where not: 0 fen here)."""

    def __init__(self, household: np.ndarray, key: np.ndarray, fen: np.ndarray, priced: np.ndarray, n: int):
        self.household, self.key, self.fen, self.priced = household, key, fen, priced
        self.cash = np.bincount(household, weights=fen, minlength=n).astype(np.int64)  # exact below 2**53 fen


MEMBERS = 1 << 40  # a key: the rule's position × MEMBERS + the member's pk (0 for a household's benefit)


def _fen(amounts: np.ndarray) -> np.ndarray:
    """The engine's amounts in whole fen, rounded by `explain.money` itself (each distinct figure once); 0 for none."""
    values, inverse = np.unique(amounts, return_inverse=True)
    rounded = [money(v) for v in values.tolist()]
    return np.array([0 if r is None else int(r * 100) for r in rounded], np.int64)[inverse.reshape(-1)]


def _side(chunk: ArchiveChunk, parameters, fallback: dict[int, dict]) -> Side:
    """The entries of the chunk's households under one set of figures: the valid ones from the engine's arrays,
    the others from their documents' answers (`fallback`: chunk row → answer or None)."""
    evaluation = evaluate(chunk.population, parameters)
    hh, rule, person, amount = entitled_amounts(evaluation)
    household = np.flatnonzero(chunk.valid)[hh]
    member = np.where(person >= 0, chunk.member_ids[np.maximum(person, 0)] if len(person) else 0, 0)
    key, fen, priced = rule * MEMBERS + member, _fen(amount), ~np.isnan(amount)
    if fallback:
        rows = [(h, _CODE_AT[b["code"]] * MEMBERS + (int(b["member"][1:]) if b["member"] else 0),
                 0 if b["amount"] is None else int(b["amount"] * 100), b["amount"] is not None)
                for h, answer in fallback.items() if answer is not None for b in answer["benefits"]]
        if rows:
            extra = np.array(rows, np.int64).reshape(-1, 4)
            household, key, fen = (np.concatenate([household, extra[:, 0]]), np.concatenate([key, extra[:, 1]]),
                                   np.concatenate([fen, extra[:, 2]]))
            priced = np.concatenate([priced, extra[:, 3].astype(bool)])
    return Side(household, key, fen, priced, len(chunk.ids))


_CODE_AT = {rule.code: i for i, rule in enumerate(RULES)}
CODES = [rule.code for rule in RULES]


def _fallback(chunk: ArchiveChunk, as_of, parameter_sets: list) -> list[dict[int, dict]]:
    """The answers of the chunk's households the format might refuse, through their documents (as a household's
    own answer): per set of figures, chunk row → answer or None."""
    rows = np.flatnonzero(~chunk.valid).tolist()
    if not rows:
        return [{} for _ in parameter_sets]
    ids = [chunk.ids[r] for r in rows]
    active = Member.objects.filter(removed=False).order_by("position", "id")
    loaded = {h.pk: h for h in Household.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("members", queryset=active, to_attr="active_members"), "incomes")}
    found = chunk_answers([loaded[pk] for pk in ids], as_of, parameter_sets)
    return [{r: answers[k] for r, answers in zip(rows, found, strict=True)} for k in range(len(parameter_sets))]


def chunk_sides(chunk: ArchiveChunk, as_of, parameter_sets: list) -> list[Side]:
    """The chunk's benefit entries under each set of figures."""
    fallback = _fallback(chunk, as_of, parameter_sets)
    return [_side(chunk, p, f) for p, f in zip(parameter_sets, fallback, strict=True)]


class _Tally:
    """The report's sums over the chunks, by rule and by area, in whole fen."""

    def __init__(self, areas: list[str]):
        n = len(RULES)
        self.count, self.households, self.fen = (np.zeros(n, np.int64) for _ in range(3))
        self.priced = np.zeros(n, np.int64)
        self.first = np.full(n, np.iinfo(np.int64).max)  # the first household (archive order) with the rule's entry
        self.areas = {path: [0, 0] for path in areas}  # households, cash fen; the report's union first (`_areas`)
        self.incomplete = self.seen = 0

    def add(self, side: Side, refused: list[int], area_of: list[str]) -> None:
        n, rules = len(area_of), len(RULES)
        rule = side.key // MEMBERS
        self.count += np.bincount(rule, minlength=rules)
        self.priced += np.bincount(rule[side.priced], minlength=rules)
        np.add.at(self.fen, rule, side.fen)
        self.households += np.bincount(np.unique(side.household * rules + rule) % rules, minlength=rules)
        np.minimum.at(self.first, rule, side.household + self.seen)
        paid = _PAID[rule]
        cash = np.zeros(n, np.int64)
        np.add.at(cash, side.household[paid], side.fen[paid])
        answered = np.ones(n, bool)
        answered[refused] = False
        self.incomplete += len(refused)
        self.seen += n
        top = self.areas[next(iter(self.areas))]
        top[0] += int(answered.sum())
        top[1] += int(cash[answered].sum())
        for h in np.flatnonzero(answered).tolist():
            found = self.areas.get(area_of[h])
            if found is not None and found is not top:
                found[0] += 1
                found[1] += int(cash[h])


_PAID = np.array([rule.kind in PAID for rule in RULES], bool)  # the spec's total_cash


def _sum(fen: int, terms: int) -> Decimal:
    """Decimal yuan of whole fen, as Decimal(0) plus `terms` amounts of two places reads (Decimal(0) without any)."""
    return yuan(fen) if terms else Decimal(0)


def entitlement_report(*, user, union, as_of: datetime.date, batch: int = BATCH) -> dict:
    """Per benefit code (with its article): households, entitlements and the yearly amount; per area the
    households and the yearly cash total (the spec's `total_cash`), exact to the fen. The archive is read as
    columns and assessed as arrays, without explanations (`archive_chunk`, `entitled_amounts`): the entries of each
    household's own answer; a file the engine refuses (incomplete) is counted apart."""
    as_of_within(as_of)
    depth = union.path.count("/") + 1
    areas = _areas(union)
    area_of = {pk: _child_path(path, depth)
               for pk, path in Organisation.objects.filter(path__startswith=union.path).values_list("pk", "path")}
    parameters = effective_parameters()
    tally = _Tally([area.path for area in areas])
    for rows, within in archive_rows(archived_households(user=user, union=union), batch):
        chunk = archive_chunk(rows, as_of, INCOME_MONTHS, households=within)
        fallback = _fallback(chunk, as_of, [parameters])[0]
        tally.add(_side(chunk, parameters, fallback), [h for h, answer in fallback.items() if answer is None],
                  [area_of[u] for u in chunk.union_ids])
    codes = [{"code": rule.code, "article": rule.article, "title": rule.title, "kind": rule.kind,
              "households": int(tally.households[r]), "count": int(tally.count[r]),
              "amount": _sum(int(tally.fen[r]), int(tally.priced[r]))}
             for r, rule in sorted(((r, RULES[r]) for r in np.flatnonzero(tally.count).tolist()),
                                   key=lambda found: (int(tally.first[found[0]]), found[0]))]
    by_article = defaultdict(lambda: Decimal(0))
    for row in codes:
        by_article[row["article"]] += row["amount"]
    area_sums = {path: {"households": k, "cash": _sum(fen, k)} for path, (k, fen) in tally.areas.items()}
    return {
        "as_of": as_of, "benefits": codes, "incomplete": tally.incomplete,
        "articles": sorted(by_article.items()),
        "areas": [{"union": area, **area_sums[area.path]} for area in areas],
        "total_cash": area_sums[union.path]["cash"],
    }
