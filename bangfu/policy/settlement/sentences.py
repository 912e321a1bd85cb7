"""Each layer's details and Chinese sentence for one bill of a settlement, with the figures used and the article."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from bangfu.policy.explain import ZERO, money
from bangfu.policy.settlement.engine import Settlement
from bangfu.policy.settlement.figures import at


def plain(x: Any) -> Any:
    """A JSON-ready figure: NaN and +inf are null, a whole float an int."""
    x = x.item() if isinstance(x, np.generic) else x
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            return None
        return int(x) if x.is_integer() else round(x, 6)
    return x


def yuan(x: float) -> str:
    d = money(x) or ZERO
    return str(int(d)) if d == d.to_integral_value() else f"{d:.2f}"


def pct(ratio: float) -> str:
    return f"{round(ratio * 100, 4):g}%"


def _segments(to: list, ratio: list, i: int) -> list[dict]:
    pairs = [(float(at(t, i)), float(at(q, i))) for t, q in zip(to, ratio, strict=True)]
    used = [(t, q) for t, q in pairs if q > 0 or not math.isinf(t)]
    return [{"to": plain(t), "ratio": plain(round(q, 6))} for t, q in used]


def _segment_text(segments: list[dict], threshold: float, before: float, after: float) -> str:
    """The parts of this bill's growth of the year's base, from `before` to `after`, above the threshold, each
    with its segment's ratio: only the parts this bill reached."""
    parts, lower = [], 0.0
    for seg in segments:
        upper = math.inf if seg["to"] is None else seg["to"]
        start, end = max(before, threshold, lower), min(after, upper)
        if end > start:
            parts.append(f"{yuan(start)}至{yuan(end)}元的部分按{pct(seg['ratio'])}")
        lower = upper
    return "、".join(parts) or "无可支付的部分"


def _room_left(cap: float, paid: float) -> bool:
    # In whole fen, as the answers' year_to_date carry it: a chained year and bills settled one by one agree.
    return math.isnan(cap) or round(cap * 100) - round(paid * 100) > 0


def _cap_note(formula_amount: float, amount: float, cap: float) -> str:
    if not math.isnan(cap) and amount + 0.005 < formula_amount:
        return f",受年度最高限额{yuan(cap)}元限制"
    return ""


def _ill(keys: dict[str, bool]) -> list[str]:
    return [k for k, flag in keys.items() if flag]


def _details(values: dict, illustrative: dict[str, bool]) -> dict:
    out = {k: plain(v) if not isinstance(v, list) else v for k, v in values.items()}
    ill = _ill(illustrative)
    if ill:
        out["illustrative"] = ill
    return out



def _f(x: np.ndarray, i: int) -> float:
    return float(at(x, i))


def _limit(s: Settlement, code: str, i: int, cap: float, paid_key: str | None) -> str:
    """Why a layer paid nothing or less, where a cap is the reason."""
    paid = _f(s.bills.ytd[paid_key], i) if paid_key else 0.0
    if math.isnan(cap) or cap - paid - _f(s.amount[code], i) > 0.005:
        return ""
    return f",已达{'本次' if paid_key is None else '年度'}最高限额{yuan(cap)}元"


@dataclass(frozen=True)
class Layer:
    """A layer's wording: its sentences share one shape (`_ratio_layer`, `_segmented_text`), these are its words."""

    code: str
    paid: str  # the year-to-date key of what the layer has paid this year
    article: str  # "(第7条)", appended to each sentence; "" for the basic insurance
    standard: str  # "该日当地没有{standard}标准"
    capped: str  # the year's cap reached: "本年度…已支付至年度最高…{cap}元,本次不再支付"
    base: str  # the amount the layer pays on: "{base}{b}元…", or its growth "{base}由…元增至…元"
    refused: str  # below the threshold: "…,{refused}"
    pays: str  # the paid part: "按{pct}{pays}" (ratio layers) or "其中{segments}{pays}" (segmented layers)
    grown: str = ""  # segmented layers: the year-to-date key of the base the bill grows


LAYERS = {layer.code: layer for layer in (
    Layer("medical.basic_insurance", "basic_paid", "", "基本医疗保险待遇",
          "本年度基本医疗保险已支付至年度最高支付限额{cap}元,本次不再支付", "政策范围内费用", "基本医疗保险不支付",
          "支付,计{amount}元"),
    Layer("medical.critical_illness_insurance", "critical_paid", "(第7条)", "大病保险待遇",
          "本年度大病保险已支付至年度最高限额{cap}元,本次不再支付", "本年度累计政策范围内个人负担费用", "本层不支付",
          "支付,计{amount}元", "critical_base"),
    Layer("medical.mutual_aid", "mutual_aid_paid", "(第11条)", "职工医疗互助保障",
          "本年度互助金已支付至年度最高限额{cap}元,本次不再支付", "经医保支付后政策范围内费用", "本层不支付",
          "同步赔付互助金{amount}元"),
    Layer("medical.expense_assistance", "assistance_paid", "(第8条)", "医疗救助",
          "本年度医疗救助已支付至年度最高救助限额{cap}元,本次不再支付", "经各项保险支付后,本年度政策范围内个人自负费用累计",
          "本层不支付", "分段救助(自负越多比例越高),计{amount}元", "assistance_base"),
)}


def _missing(layer: Layer, head: str = "") -> str:
    return f"{head};" * bool(head) + f"该日当地没有{layer.standard}标准,本层未计算{layer.article}。"


def _capped(layer: Layer, cap: float, head: str = "") -> str:
    return f"{head};" * bool(head) + layer.capped.format(cap=yuan(cap)) + f"{layer.article}。"


def _ratio_layer(s: Settlement, i: int, layer: Layer) -> str:
    """A layer paying a ratio above a threshold, up to a cap (basic insurance, mutual aid)."""
    f = s.figures[layer.code]
    threshold, ratio, cap = (_f(f[k].value, i) for k in ("threshold", "ratio", "cap"))
    if math.isnan(threshold) or math.isnan(ratio):
        return _missing(layer)
    if not _room_left(cap, _f(s.bills.ytd[layer.paid], i)):
        return _capped(layer, cap)
    b, amount = _f(s.base[layer.code], i), _f(s.amount[layer.code], i)
    if b <= threshold:
        return f"{layer.base}{yuan(b)}元未超过起付标准{yuan(threshold)}元,{layer.refused}{layer.article}。"
    pays = layer.pays.format(amount=yuan(amount))
    return (f"{layer.base}{yuan(b)}元,超过起付标准{yuan(threshold)}元的部分按{pct(ratio)}{pays}"
            f"{_limit(s, layer.code, i, cap, layer.paid)}{layer.article}。")


def _ratio_details(s: Settlement, i: int, code: str) -> dict:
    f = s.figures[code]
    return _details({k: _f(f[k].value, i) for k in ("threshold", "ratio", "cap")},
                    {k: bool(at(f[k].illustrative, i)) for k in ("threshold", "ratio", "cap")})


def _segmented_text(s: Settlement, i: int, layer: Layer, head: str, threshold: float, segments: list[dict],
                    cap: float) -> str:
    """A layer paying by segments of the year's growing base above a threshold, up to a cap (critical illness
    insurance, medical assistance): the part of this bill's growth in each segment."""
    if not _room_left(cap, _f(s.bills.ytd[layer.paid], i)):
        return _capped(layer, cap, head)
    before, b, amount = _f(s.bills.ytd[layer.grown], i), _f(s.base[layer.code], i), _f(s.amount[layer.code], i)
    after = before + b
    grow = f"{layer.base}由{yuan(before)}元增至{yuan(after)}元"
    if after <= threshold:
        return f"{head};{grow},未超过起付线,{layer.refused}{layer.article}。"
    return (f"{head};{grow},其中{_segment_text(segments, threshold, before, after)}"
            f"{layer.pays.format(amount=yuan(amount))}{_limit(s, layer.code, i, cap, layer.paid)}{layer.article}。")


def basic(s: Settlement, i: int) -> tuple[dict, str]:
    code = "medical.basic_insurance"
    details = _ratio_details(s, i, code)
    return details, _ratio_layer(s, i, LAYERS[code])


def critical(s: Settlement, i: int) -> tuple[dict, str]:
    code = "medical.critical_illness_insurance"
    if not s.bills.resident[i]:
        return {}, "职工医保参保人员不参加城乡居民大病保险,本层不支付(第7条)。"
    f = s.figures[code]
    preferred = bool(s.preferred[i])
    threshold, normal = _f(f["threshold"], i), _f(f["normal_threshold"].value, i)
    bonus, cap = _f(f["bonus"], i), _f(f["cap"].value, i)
    segments = _segments(f["segments"].to, f["raised"], i)
    ill_normal = bool(at(f["normal_threshold"].illustrative, i))
    ill_bonus = preferred and bool(at(f["bonus_points"].illustrative, i))
    details = _details({"threshold": threshold, "normal_threshold": normal, "segments": segments,
                        "bonus_points": bonus, "cap": cap},
                       {"threshold": ill_normal, "normal_threshold": ill_normal,
                        "segments": bool(at(f["segments"].illustrative, i)) or ill_bonus,
                        "bonus_points": ill_bonus, "cap": bool(at(f["cap"].illustrative, i))})
    if math.isnan(normal):
        return details, _missing(LAYERS[code])
    if preferred:
        head = (f"困难职工家庭成员大病保险起付线比普通参保患者({yuan(normal)}元)降低50%,为{yuan(threshold)}元,"
                f"各报销段比例提高{plain(bonus)}个百分点")
    else:
        head = f"普通参保患者大病保险起付线{yuan(normal)}元,不享受第7条的倾斜"
    return details, _segmented_text(s, i, LAYERS[code], head, threshold, segments, cap)


def mutual_aid(s: Settlement, i: int) -> tuple[dict, str]:
    code = "medical.mutual_aid"
    if not s.bills.is_self[i]:
        return {}, "职工医疗互助保障面向参加互助的职工本人,本层不支付(第11条)。"
    if not s.bills.mutual_aid[i]:
        return {}, "职工本人未参加职工医疗互助保障,本层不支付(第11条)。"
    details = _ratio_details(s, i, code)
    if not s.bills.inpatient[i]:
        return details, "职工医疗互助保障赔付住院费用,门诊特殊病种费用本层不支付(第11条)。"
    return details, _ratio_layer(s, i, LAYERS[code])


def assistance(s: Settlement, i: int) -> tuple[dict, str]:
    code = "medical.expense_assistance"
    if not s.applies[code][i]:
        if not s.preferred[i]:
            return {}, "不是本通知施行后纳入档案的困难职工家庭,按普通参保人员结算,不享受医疗费用补助(第8条)。"
        return {}, "困难职工家庭中的大重病患者才可获得医疗费用补助,本层不支付(第8条)。"
    f = s.figures[code]
    threshold, cap = _f(f["threshold"].value, i), _f(f["cap"].value, i)
    segments = _segments(f["segments"].to, f["segments"].ratio, i)
    details = _details({"threshold": threshold, "segments": segments, "cap": cap},
                       {"threshold": bool(at(f["threshold"].illustrative, i)),
                        "segments": bool(at(f["segments"].illustrative, i)), "cap": bool(at(f["cap"].illustrative, i))})
    if s.extreme[i]:
        head = "特困职工家庭成员取消救助起付线和病种限制"
    else:
        head = f"困难职工家庭大重病患者,年度救助起付线{yuan(threshold)}元"
    if math.isnan(threshold) or not segments:
        return details, _missing(LAYERS[code], head)
    return details, _segmented_text(s, i, LAYERS[code], head, threshold, segments, cap)


def emergency(s: Settlement, i: int) -> tuple[dict, str]:
    code = "medical.emergency_relief"
    if not s.applies[code][i]:
        return {}, "不是无力缴费的急救医疗费用,本层不支付(第10条)。"
    f = s.figures[code]
    cap = _f(f["cap"].value, i)
    details = _details({"cap": cap}, {"cap": bool(at(f["cap"].illustrative, i))})
    gap, amount = max(0.0, _f(s.base[code], i)), _f(s.amount[code], i)
    if gap <= 0:
        return details, "急救费用经上述渠道支付后没有缺口,本层不支付(第10条)。"
    return details, (f"无力缴费的急救医疗费用经上述渠道支付后缺口{yuan(gap)}元,由疾病应急救助基金补助"
                     f"{yuan(amount)}元{_limit(s, code, i, cap, None)}(第10条)。")


SENTENCES = {
    "medical.basic_insurance": basic,
    "medical.critical_illness_insurance": critical,
    "medical.mutual_aid": mutual_aid,
    "medical.expense_assistance": assistance,
    "medical.emergency_relief": emergency,
}
