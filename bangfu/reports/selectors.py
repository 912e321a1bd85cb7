"""Reads of the reports: every figure of a union's subtree, split by its direct children (province → city →
county → union), each starting from `restrict(user, VIEW)`; a few grouped queries whatever the area's size."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from bangfu.accounts.access import VIEW, in_area, may
from bangfu.accounts.models import Organisation
from bangfu.cases.models import Case
from bangfu.cases.workflow import ARCHIVED_STATES, CaseState
from bangfu.common.errors import NotFound
from bangfu.ledger.models import Budget, FundSource
from bangfu.ledger.selectors import entry_list
from bangfu.policy.money import CENT
from bangfu.registry import choices as c
from bangfu.registry.models import Household
from bangfu.registry.selectors import has_cause

EXIT_STATES = {CaseState.EXITED: "脱困退出", CaseState.RELIEVED: "解困(转社会救助)"}


def report_union(*, user, union_id: int | None = None) -> Organisation:
    """The union a report is about: the user's own, or one under it (else 404, as if it did not exist)."""
    if not may(user, VIEW):
        raise NotFound("未找到该工会")
    if union_id is None:
        return user.organisation
    union = Organisation.objects.filter(pk=union_id).first()
    if union is None or not in_area(user, union.path):
        raise NotFound("未找到该工会")
    return union


def _areas(union: Organisation) -> list[Organisation]:
    """The union itself first, then its direct children (the next level of the drill)."""
    return [union, *union.children.order_by("path")]


def _child_path(path: str, depth: int) -> str:
    """The path of the ancestor `depth` levels deep (a direct child of the report's union)."""
    return "".join(f"{code}/" for code in path.split("/")[:depth])


def _fold(rows, union: Organisation, key: str, value: str = "n") -> dict[str, Counter]:
    """Per area path (the union and each child): the grouped rows' `value` added up by `key`."""
    depth = union.path.count("/") + 1
    out: dict[str, Counter] = {}
    for row in rows:
        for path in {union.path, _child_path(row["union__path"], depth)}:
            out.setdefault(path, Counter())[row[key]] += row[value]
    return out


def households(*, user, union: Organisation):
    return Household.objects.restrict(user, VIEW).filter(union__path__startswith=union.path)


def household_report(*, user, union: Organisation) -> dict:
    """Households by verified category, cause, status and year of archive; categories and status per area.
    Four queries: the areas, category × status per union, the causes, the archive years."""
    qs = households(user=user, union=union).order_by()
    areas = _areas(union)
    rows = list(qs.values("union__path", "verified_category", "status").annotate(n=Count("pk")))
    by_category = _fold(rows, union, "verified_category")
    by_status = _fold(rows, union, "status")
    archived_rows = [r for r in rows if r["status"] in ARCHIVED_STATES]
    archived = _fold(archived_rows, union, "verified_category")
    causes = qs.aggregate(**{code: Count("pk", filter=has_cause(code)) for code in c.Cause.values})
    years = (Case.objects.restrict(user, VIEW).filter(household__union__path__startswith=union.path,
                                                       archived_on__isnull=False).order_by()
             .annotate(year=ExtractYear("archived_on")).values("year").annotate(n=Count("household", distinct=True))
             .order_by("year"))
    area_rows = []
    for area in areas:
        cat, st, arc = (by_category.get(area.path, Counter()), by_status.get(area.path, Counter()),
                        archived.get(area.path, Counter()))
        area_rows.append({
            "union": area, "total": sum(st.values()),
            "archived": sum(arc.values()), "hardship": arc[c.Category.HARDSHIP],
            "extreme": arc[c.Category.EXTREME_HARDSHIP],
            "category": [(code, label, cat[code]) for code, label in c.Category.choices],
            "status": [(code, label, st[code]) for code, label in CaseState.choices],
        })
    return {
        "union": union, "areas": area_rows, "total": area_rows[0],
        "causes": [(code, label, causes[code]) for code, label in c.Cause.choices],
        "years": [(row["year"], row["n"]) for row in years],
    }


def flow_report(*, user, union: Organisation, year: int) -> dict:
    """Entries (archived that month) and exits (closed as exited or relieved) by month of `year`, with the
    reasons' counts; two grouped queries."""
    cases = Case.objects.restrict(user, VIEW).filter(household__union__path__startswith=union.path).order_by()
    entries = dict(cases.filter(archived_on__year=year).annotate(m=ExtractMonth("archived_on"))
                   .values("m").annotate(n=Count("pk")).values_list("m", "n"))
    exits = Counter()
    reasons = Counter()
    for row in (cases.filter(closed_on__year=year, state__in=list(EXIT_STATES)).annotate(m=ExtractMonth("closed_on"))
                .values("m", "state").annotate(n=Count("pk"))):
        exits[row["m"]] += row["n"]
        reasons[row["state"]] += row["n"]
    months = [{"month": m, "entries": entries.get(m, 0), "exits": exits[m]} for m in range(1, 13)]
    return {"year": year, "months": months, "entries": sum(entries.values()), "exits": sum(exits.values()),
            "reasons": [(state, label, reasons[state]) for state, label in EXIT_STATES.items()]}


def help_report(*, user, union: Organisation, year: int) -> dict:
    """Help delivered in `year` (the ledger, net of reversals, exact to the fen) by fund source and area, against
    the budgets set for the union's subtree. Three queries: the areas, the sums, the budgets."""
    depth = union.path.count("/") + 1
    areas = _areas(union)
    rows = (entry_list(user=user, union=union, year=year).order_by()
            .values("union__path", "fund_source").annotate(total=Sum("amount"), n=Count("pk")))
    sums: dict[str, dict[str, Decimal]] = {area.path: {} for area in areas}
    for row in rows:
        for path in {union.path, _child_path(row["union__path"], depth)}:
            if path in sums:
                sums[path][row["fund_source"]] = sums[path].get(row["fund_source"], Decimal(0)) + row["total"]
    # The union's own budgets: its subtree's entries count against them (a child's budget is part of its parent's).
    budgets = dict(Budget.objects.restrict(user, VIEW).filter(union=union, year=year)
                   .order_by().values("fund_source").annotate(total=Sum("amount")).values_list("fund_source", "total"))
    sources = FundSource.choices

    def money(value) -> Decimal:
        return (value or Decimal(0)).quantize(CENT)

    area_rows = [{"union": area, "sources": [(code, label, money(sums[area.path].get(code))) for code, label in sources],
                  "total": money(sum(sums[area.path].values(), Decimal(0)))} for area in areas]
    by_source = [{"code": code, "label": label, "spent": money(sums[union.path].get(code)),
                  "budget": money(budgets.get(code)) if code in budgets else None} for code, label in sources]
    return {"year": year, "areas": area_rows, "total": area_rows[0]["total"], "sources": by_source,
            "budget": money(sum(budgets.values(), Decimal(0))) if budgets else None}


def programme_report(*, user, union: Organisation, year: int) -> list[dict]:
    """Help delivered in `year` in the union's subtree by programme (a reversal counts against its original's
    programme), beside the programme's budget; entries paid outside any programme last. One grouped query."""
    line, reversed_line = "payment_line__programme", "reversal_of__payment_line__programme"
    rows = (entry_list(user=user, union=union, year=year).order_by()
            .annotate(pid=Coalesce(f"{line}_id", f"{reversed_line}_id"), pname=Coalesce(f"{line}__name",
                                                                                      f"{reversed_line}__name"),
                      pbudget=Coalesce(f"{line}__budget", f"{reversed_line}__budget"))
            .values("pid", "pname", "pbudget").annotate(total=Sum("amount"), n=Count("household", distinct=True)))
    out = [{"programme_id": r["pid"], "name": r["pname"] or "其他(非项目发放)", "households": r["n"],
            "spent": (r["total"] or Decimal(0)).quantize(CENT),
            "budget": None if r["pbudget"] is None else r["pbudget"].quantize(CENT)} for r in rows]
    return sorted(out, key=lambda r: (r["programme_id"] is None, r["name"], r["programme_id"] or 0))


def benefit_help_report(*, user, union: Organisation, year: int) -> list[dict]:
    """Help delivered in `year` in the union's subtree by the benefit or kind of measure it was paid for, with its
    article (a reversal carries its original's measure): an engine entitlement by the benefit's title, another
    measure by its kind; entries paid for no measure last. Titles, never codes. One grouped query."""
    from bangfu.cases.models import MeasureKind
    from bangfu.policy.rules import RULES

    titles = {rule.code: (rule.title, rule.article) for rule in RULES}
    kinds = dict(MeasureKind.choices)
    rows = (entry_list(user=user, union=union, year=year).order_by()
            .values("measure__benefit_code", "measure__kind")
            .annotate(article=Max("measure__article"), title=Max("measure__title"), total=Sum("amount"),
                      n=Count("household", distinct=True)))
    out: dict[tuple, dict] = {}
    for r in rows:
        code, kind = r["measure__benefit_code"], r["measure__kind"]
        if kind is None:
            title, article, kind_label = "其他(未关联帮扶措施)", None, ""
        elif code:
            title, article = titles.get(code, (r["title"], r["article"]))
            kind_label = kinds.get(kind, kind)
        else:
            title, article, kind_label = kinds.get(kind, kind), r["article"], kinds.get(kind, kind)
        row = out.setdefault((kind is None, article is None, article or 0, title),
                             {"title": title, "article": article, "kind": kind_label, "households": 0,
                              "spent": Decimal(0)})
        row["households"] += r["n"]  # one benefit's households under one title: codes differ, titles seldom
        row["spent"] += r["total"] or Decimal(0)
    for row in out.values():
        row["spent"] = row["spent"].quantize(CENT)
    return [out[key] for key in sorted(out)]


def year_on_year(*, user, union: Organisation, year: int) -> list[dict]:
    """This year beside last year: households archived, exits, help delivered (three grouped queries)."""
    cases = Case.objects.restrict(user, VIEW).filter(household__union__path__startswith=union.path).order_by()
    entries = dict(cases.filter(archived_on__year__in=[year - 1, year]).annotate(y=ExtractYear("archived_on"))
                   .values("y").annotate(n=Count("pk")).values_list("y", "n"))
    exits = dict(cases.filter(closed_on__year__in=[year - 1, year], state__in=list(EXIT_STATES))
                 .annotate(y=ExtractYear("closed_on")).values("y").annotate(n=Count("pk")).values_list("y", "n"))
    paid = {row["y"]: (row["total"] or Decimal(0)).quantize(CENT)
            for row in entry_list(user=user, union=union).filter(paid_on__year__in=[year - 1, year]).order_by()
            .annotate(y=ExtractYear("paid_on")).values("y").annotate(total=Sum("amount"))}
    return [
        {"label": "新建档户数", "last": entries.get(year - 1, 0), "this": entries.get(year, 0)},
        {"label": "退出户数", "last": exits.get(year - 1, 0), "this": exits.get(year, 0)},
        {"label": "帮扶资金(元)", "last": paid.get(year - 1, Decimal("0.00")), "this": paid.get(year, Decimal("0.00"))},
    ]


def recomputation_list(*, user):
    """Re-computations whose area covers the user's union or lies under it (the user sees their own part)."""
    from django.db.models import Q

    from bangfu.ledger.budgets import ancestor_paths

    from .models import Recomputation

    if not may(user, VIEW) or not user.organisation.path:
        return Recomputation.objects.none()
    path = user.organisation.path
    return (Recomputation.objects.filter(Q(area_path__startswith=path) | Q(area_path__in=ancestor_paths(path)))
            .select_related("request"))


def recomputation_get(*, user, pk: int):
    row = recomputation_list(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound("未找到该测算")
    return row


def recomputation_tasks(*, user, recomputation, kind: str = "", done: str = ""):
    """The caseworkers' task list: the changed households of the run that lie in the user's area (of one kind;
    `done`: "open" those not yet checked, "done" those checked)."""
    from .models import RecomputedHousehold

    qs = (RecomputedHousehold.objects.restrict(user, VIEW).filter(recomputation=recomputation)
          .select_related("union", "household", "done_by"))
    if done:
        qs = qs.filter(done_at__isnull=done == "open")
    return qs.filter(kind=kind) if kind else qs


def _share(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def article2_progress(targets: dict) -> dict:
    """Article 2's goals with how far the union has come (`bangfu.cases.targets.article2_targets`): help reaching
    every archived family, families leaving hardship (by work or into social assistance), and every family's
    living at or above the local 低保 standard; each a share in percent (None when nothing to count)."""
    f, labels = targets["figures"], targets["labels"]
    closed = f["exited_by_work"] + f["social_assistance"]
    goals = [
        {"key": "helped", "label": "帮扶覆盖(本年度已帮扶 / 在档)", "done": f["helped"], "of": f["archived"]},
        {"key": "resolved", "label": "脱困解困(就业脱困与纳入社会救助 / 本年度在档与已退出)", "done": closed,
         "of": f["archived"] + closed},
        {"key": "above_dibao", "label": "生活水平不低于当地低保标准(在档家庭)",
         "done": f["archived"] - f["below_dibao"], "of": f["archived"]},
    ]
    for goal in goals:
        goal["percent"] = _share(goal["done"], goal["of"])
    return {"as_of": targets["as_of"], "goals": goals,
            "figures": [(key, labels[key], value) for key, value in f.items()]}
