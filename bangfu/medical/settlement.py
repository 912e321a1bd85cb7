"""A household's bills settled by the engine (spec/settlement.md): the bills of a member's year chain."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from bangfu.policy.schema import InputError
from bangfu.policy.settlement import LAYERS, parse_bill, settle_chained
from bangfu.registry.models import Household

from .models import MedicalBill

ZERO = Decimal("0.00")
PAYERS = {"medical.basic_insurance": "基本医保", "medical.critical_illness_insurance": "大病保险",
          "medical.mutual_aid": "职工医疗互助", "medical.expense_assistance": "医疗救助",
          "medical.emergency_relief": "疾病应急救助"}
# The one-stop platform of Article 9 settles these three; what 医保 reports as 个人自付 is what they left.
ONE_STOP = ("medical.basic_insurance", "medical.critical_illness_insurance", "medical.expense_assistance")


def household_terms(household: Household) -> dict:
    """The household's side of a bill document: hardship only while in the archive, as the file stands."""
    archived = household.archived
    return {"region": household.region_code, "archived": archived,
            "category": household.verified_category if archived else "none"}


def bill_document(bill: MedicalBill, terms: dict, serious_illness: bool) -> dict:
    return {"as_of": bill.billed_on.isoformat(), **terms,
            "member": {"relation": bill.member.relation, "scheme": bill.scheme,
                       "serious_illness": serious_illness, "mutual_aid": bill.mutual_aid},
            "bill": {"kind": bill.kind, "hospital_level": bill.hospital_level, "total": float(bill.total),
                     "in_scope": float(bill.in_scope), "emergency": bill.emergency, "unpaid": bill.unpaid}}


@dataclass
class Settled:
    bill: MedicalBill
    answer: dict | None  # None: the bill could not be settled (`error` says why)
    error: str = ""

    @property
    def by_code(self) -> dict[str, Decimal]:
        return {layer["code"]: layer["amount"] for layer in self.answer["layers"]} if self.answer else {}

    @property
    def family_share(self) -> Decimal | None:
        """What the family pays itself: 医保's reported 个人自付 where it has one (the department's fact) less the
        layers after the one-stop platform (mutual aid, emergency relief); else the settlement's out_of_pocket."""
        if not self.answer:
            return None
        if self.bill.reported_self_paid is None:
            return self.answer["out_of_pocket"]
        after = self.by_code["medical.mutual_aid"] + self.by_code["medical.emergency_relief"]
        return max(ZERO, self.bill.reported_self_paid - after)

    @property
    def one_stop_self_paid(self) -> Decimal | None:
        """What the one-stop platform leaves the family (before mutual aid and emergency relief)."""
        if not self.answer:
            return None
        return max(ZERO, self.answer["total"] - sum(self.by_code[c] for c in ONE_STOP))


def settle_bills(household: Household, bills: list[MedicalBill], parameters=None,
                 ordinary: bool = False) -> list[Settled]:
    """Each bill settled; a member's bills of one calendar year chain in date order (the year to date).
    `ordinary`: as for an ordinary insured person (what the family would pay without the notice)."""
    from bangfu.standards.selectors import effective_parameters

    terms = household_terms(household)
    if ordinary:
        terms = {**terms, "archived": False, "category": "none"}
    ordered = sorted(bills, key=lambda b: (b.member_id, b.billed_on, b.pk or 0))
    good, keys, out = [], [], {}
    for bill in ordered:
        try:
            good.append((bill, parse_bill(bill_document(bill, terms, bill.member.serious_illness))))
        except InputError as exc:
            out[id(bill)] = Settled(bill, None, f"{exc.path}: {exc.message}")
            continue
        keys.append((bill.member_id, bill.billed_on.year))
    answers = settle_chained([d for _, d in good], keys, parameters=parameters or effective_parameters())
    for (bill, _), answer in zip(good, answers, strict=True):
        out[id(bill)] = Settled(bill, answer)
    return [out[id(b)] for b in ordered]


@dataclass
class YearSummary:
    year: int
    settled: list[Settled]
    total: Decimal = ZERO
    by_payer: dict[str, Decimal] = field(default_factory=dict)
    family_share: Decimal = ZERO
    annual_income: Decimal = ZERO
    share_of_income: Decimal | None = None  # percent
    by_member: dict[int, Decimal] = field(default_factory=dict)


def year_summary(household: Household, year: int, bills: list[MedicalBill], annual_income: Decimal,
                 parameters=None) -> YearSummary:
    """The year's medical costs, what each scheme paid, and the family's own share beside its income."""
    settled = settle_bills(household, [b for b in bills if b.billed_on.year == year], parameters)
    summary = YearSummary(year, settled, by_payer={code: ZERO for code in LAYERS}, annual_income=annual_income)
    by_member: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for s in settled:
        if s.answer is None:
            continue
        summary.total += s.answer["total"]
        for code, amount in s.by_code.items():
            summary.by_payer[code] += amount
        summary.family_share += s.family_share
        by_member[s.bill.member_id] += s.family_share
    summary.by_member = dict(by_member)
    if annual_income > 0:
        summary.share_of_income = (summary.family_share * 100 / annual_income).quantize(Decimal("0.1"))
    return summary


def family_share_since(household: Household, since: datetime.date, until: datetime.date) -> Decimal:
    """The family's own share of the bills dated in (since, until]: the medical part of its rigid costs."""
    if "medical_bills" in getattr(household, "_prefetched_objects_cache", {}):  # many households read at once
        bills = [b for b in household.medical_bills.all() if b.billed_on.year >= since.year and b.billed_on <= until]
    else:
        bills = list(household.medical_bills.select_related("member").filter(billed_on__year__gte=since.year,
                                                                               billed_on__lte=until))
    share = ZERO
    for s in settle_bills(household, bills):
        if s.answer is not None and since < s.bill.billed_on <= until:
            share += s.family_share
    return share


TOLERANCE = Decimal("1.00")  # rounding by layer on either side: a difference under one yuan is no news


def department_difference(bill: MedicalBill) -> str | None:
    """A Chinese sentence when 医保's 个人自付 differs from what bangfu's one-stop settlement leaves the family."""
    if bill.reported_self_paid is None:
        return None
    year_bills = list(MedicalBill.objects.filter(member=bill.member, billed_on__year=bill.billed_on.year)
                      .select_related("member"))
    settled = next((s for s in settle_bills(bill.household, year_bills) if s.bill.pk == bill.pk), None)
    if settled is None or settled.answer is None:
        return None
    ours = settled.one_stop_self_paid
    if abs(ours - bill.reported_self_paid) < TOLERANCE:
        return None
    return (f"医保数据显示{bill.member.name}{bill.admitted_on or bill.billed_on}住院个人自付{bill.reported_self_paid}元,"
            f"按一站式结算(基本医保、大病保险、医疗救助,第7、8、9条)应为{ours}元")
