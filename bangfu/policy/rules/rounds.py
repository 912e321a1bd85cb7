"""Help delivered in rounds: who a built-in programme pays and how much (送温暖, Articles 13-19, 22).

Each rule takes the households of a round as plain tuples and the round's date or period, and gives one `Pick`
per household: the amount (None when left out) and the Chinese reason a caseworker reads out. Figures come from
the dated parameters (`parameters/rounds/`, `living/`): a figure still marked illustrative is named in the reason.
Households repeat in a few shapes (category, region, size): each shape is worked out once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bangfu.policy.money import CENT
from bangfu.policy.parameters import ParameterSet

EXTREME, HARDSHIP = "extreme_hardship", "hardship"
NOT_HARDSHIP = "核定类别为非困难,不在发放范围"
ONLY_EXTREME = "仅特困职工家庭享受"
_R = "rounds.programmes."


@dataclass(frozen=True, slots=True)
class Pick:
    amount: Decimal | None  # None: left out, `reason` says why
    reason: str
    illustrative: bool = False


def money(x) -> Decimal:
    """Yuan rounded half-up to the fen, once, at the end."""
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def months_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the whole or part months from `start` to `end` (both included)."""
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return out


def _figure(params: ParameterSet, name: str, day: datetime.date, region: str) -> tuple[Decimal | None, bool]:
    value = params[name].at(day, region)
    if value is None or value.value is None:
        return None, False
    figure = value.value
    return (Decimal(int(figure)) if float(figure).is_integer() else Decimal(repr(figure))), value.illustrative


def _note(illustrative: bool) -> str:
    return "(含示例标准,待确认)" if illustrative else ""


def _by_shape(rows: Iterable[tuple], work: Callable[..., Pick]) -> list[Pick]:
    cache: dict[tuple, Pick] = {}
    out = []
    for row in rows:
        pick = cache.get(row)
        if pick is None:
            pick = cache[row] = work(*row)
        out.append(pick)
    return out


def send_warmth(households: Sequence[tuple[str, str]], day: datetime.date, params: ParameterSet) -> list[Pick]:
    """送温暖 (元旦春节走访慰问): every archived hardship household, a sum by verified category (local figures).
    `households`: (verified category, region code)."""

    def work(category: str, region: str) -> Pick:
        if category not in (EXTREME, HARDSHIP):
            return Pick(None, NOT_HARDSHIP)
        amount, ill = _figure(params, _R + f"send_warmth_{category}", day, region)
        if amount is None:
            return Pick(None, "当地未设送温暖慰问标准")
        label = "特困" if category == EXTREME else "困难"
        return Pick(money(amount), f"{label}职工家庭送温暖慰问金{money(amount)}元{_note(ill)}", ill)

    return _by_shape(households, work)


def free_electricity(households: Sequence[tuple[str, str]], start: datetime.date, end: datetime.date,
                     params: ParameterSet) -> list[Pick]:
    """Article 18: 对特困职工家庭每户每月给予15度免费用电基数 — credited for the months of the period."""
    months = months_of(start, end)

    def work(category: str, region: str) -> Pick:
        if category != EXTREME:
            return Pick(None, ONLY_EXTREME + "免费用电基数(第18条)")
        total, ill, kwh, price = Decimal(0), False, None, None
        for month in months:
            kwh, a = _figure(params, "living.utilities.free_kwh_per_month", month, region)
            price, b = _figure(params, "living.utilities.electricity_price", month, region)
            if kwh is None or price is None:
                return Pick(None, f"{month:%Y年%m月}无免费用电基数或电价")
            total += kwh * price
            ill = ill or a or b
        return Pick(money(total), f"特困职工家庭每月{kwh}度免费用电,按第一档电价{price}元/度计,"
                                  f"{len(months)}个月共{money(total)}元(第18条){_note(ill)}", ill)

    return _by_shape(households, work)


def price_subsidy(households: Sequence[tuple[str, str]], start: datetime.date, end: datetime.date,
                  params: ParameterSet) -> list[Pick]:
    """Article 19: 居民消费价格同比涨幅超过3%(含3%)时,特困职工家庭发放物价补贴 — for those months only."""
    months = months_of(start, end)

    def work(category: str, region: str) -> Pick:
        if category != EXTREME:
            return Pick(None, ONLY_EXTREME + "物价补贴(第19条)")
        hit, total, ill = [], Decimal(0), False
        for month in months:
            cpi, a = _figure(params, "living.price_subsidy.cpi_yoy_percent", month, region)
            threshold, _ = _figure(params, "living.price_subsidy.cpi_threshold_percent", month, region)
            per_month, b = _figure(params, _R + "price_subsidy_per_month", month, region)
            if cpi is None or threshold is None or per_month is None or cpi < threshold:
                continue
            hit.append(f"{month.year}年{month.month}月({cpi}%)")
            total += per_month
            ill = ill or a or b
        if not hit:
            return Pick(None, "期间各月居民消费价格同比涨幅均未达到3%,或尚无统计数据(第19条)")
        return Pick(money(total), f"居民消费价格同比涨幅达到3%的月份:{'、'.join(hit)},"
                                  f"共{len(hit)}个月{money(total)}元(第19条){_note(ill)}", ill)

    return _by_shape(households, work)


def living_subsidy(households: Sequence[tuple[str, str, int]], start: datetime.date, end: datetime.date,
                   params: ParameterSet) -> list[Pick]:
    """Article 22: 县级以上总工会定期发放生活补助 — per person and month, by household size (local figures).
    `households`: (verified category, region code, number of members)."""
    months = months_of(start, end)

    def work(category: str, region: str, size: int) -> Pick:
        if category not in (EXTREME, HARDSHIP):
            return Pick(None, NOT_HARDSHIP)
        per, a = _figure(params, _R + "living_subsidy_per_person_month", start, region)
        cap, b = _figure(params, _R + "living_subsidy_max_persons", start, region)
        if per is None or cap is None:
            return Pick(None, "当地未设工会生活补助标准(第22条)")
        persons = min(size, int(cap))
        if persons <= 0:
            return Pick(None, "家庭无在册成员")
        total = per * persons * len(months)
        return Pick(money(total), f"工会定期生活补助:计{persons}人,每人每月{money(per)}元,"
                                  f"{len(months)}个月共{money(total)}元(第22条){_note(a or b)}", a or b)

    return _by_shape(households, work)


def education_aid(answers: Sequence[dict]) -> list[Pick]:
    """金秋助学 (Articles 13-17): the household's education benefits with a sum, as the engine gave them."""
    out = []
    for answer in answers:
        found = [b for b in answer.get("benefits", ()) if b["code"].startswith("education.")
                 and b.get("amount") and b["kind"] in ("cash", "subsidy")]
        if not found:
            refusals = [r["reason"] for r in answer.get("not_eligible", ()) if r["code"].startswith(("education.",
                                                                                                   "household."))]
            out.append(Pick(None, refusals[0] if refusals else "家庭中没有享受教育资助的在校学生"))
            continue
        total = sum((money(b["amount"]) for b in found), Decimal(0))
        ill = any(b.get("details", {}).get("illustrative") for b in found)
        out.append(Pick(total, ";".join(f"{b['title']}{money(b['amount'])}元(第{b['article']}条)"
                                        for b in found), ill))
    return out
