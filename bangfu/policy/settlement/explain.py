"""Answers in the settlement format, read off one settlement: every layer with its figures and a Chinese sentence."""

from __future__ import annotations

from bangfu.policy.explain import ZERO, money
from bangfu.policy.settlement.engine import LAYERS, Settlement
from bangfu.policy.settlement.schema import YTD_KEYS, BillDocument
from bangfu.policy.settlement.sentences import SENTENCES

ILLUSTRATIVE = "所用当地标准含示例值,待管理员按当地文件确认。"
META = {
    "medical.basic_insurance": (None, "基本医保", "基本医疗保险"),
    "medical.critical_illness_insurance": (7, "大病保险", "城乡居民大病保险"),
    "medical.mutual_aid": (11, "职工医疗互助", "职工医疗互助保障"),
    "medical.expense_assistance": (8, "医疗救助", "困难职工医疗费用补助"),
    "medical.emergency_relief": (10, "疾病应急救助基金", "疾病应急救助"),
}


def answers(s: Settlement, documents: list[BillDocument]) -> list[dict]:
    """One answer per bill, layers in the spec's order."""
    out = []
    for i, doc in enumerate(documents):
        entries = []
        for code in LAYERS:
            article, payer, title = META[code]
            details, text = SENTENCES[code](s, i)
            if details.get("illustrative"):
                text += ILLUSTRATIVE
            entries.append({"code": code, "article": article, "payer": payer, "title": title,
                            "amount": money(float(s.amount[code][i])), "details": details, "explanation": text})
        total = money(doc.bill.total)
        schemes = sum((e["amount"] for e in entries), ZERO)
        out.append({
            "as_of": doc.as_of.isoformat(), "region": doc.region, "category": doc.category,
            "total": total, "in_scope": money(doc.bill.in_scope), "layers": entries,
            "paid_by_schemes": schemes, "out_of_pocket": max(ZERO, total - schemes),
            "year_to_date": {k: money(float(s.ytd[k][i])) for k in YTD_KEYS},
        })
    return out
