"""The medical calculator's answer, for the staff page and the public one, and the settlement's layers as pages
show them: a bill settled with the system's figures (the engine's with administrators' standards, Article 24),
for the family and for an ordinary insured person."""

from __future__ import annotations

from bangfu.policy.schema import InputError
from bangfu.policy.settlement import settle
from bangfu.standards.selectors import effective_parameters


def calculator_answer(form) -> dict:
    """The page's context for a valid CalculatorForm: both answers, their layers and what the family saves; a bill
    the engine refuses is an error on the form (and an empty context)."""
    parameters = effective_parameters()
    try:
        answer = settle(form.document(), parameters=parameters)
        ordinary = settle(form.document("none"), parameters=parameters)
    except InputError as exc:
        form.add_error(None, f"{exc.path}: {exc.message}")
        return {}
    return {"answer": answer, "ordinary": ordinary, "rows": layer_rows(answer, ordinary),
            "saved": ordinary["out_of_pocket"] - answer["out_of_pocket"]}


def layer_rows(answer: dict | None, ordinary: dict | None) -> list[dict]:
    """The settlement's layers as the 结算单 and the calculators show them: the ordinary patient's amount beside,
    the figures in words."""
    if not answer:
        return []
    beside = {layer["code"]: layer for layer in (ordinary or {}).get("layers", [])}
    return [{**layer, "ordinary": beside.get(layer["code"], {}).get("amount"),
             "figures": _figures(layer["details"])} for layer in answer["layers"]]


def _figures(details: dict) -> list[str]:
    """The layer's figures, in words (illustrative ones said to be so)."""
    names = {"threshold": "起付线", "normal_threshold": "普通参保患者起付线", "ratio": "比例", "cap": "限额",
             "bonus_points": "提高百分点", "segments": "分段"}
    illustrative = set(details.get("illustrative", []))
    out = []
    for key, value in details.items():
        if key == "illustrative":
            continue
        if key == "segments":
            shown = "、".join(f"{'以上' if s['to'] is None else '至' + str(s['to']) + '元'}{s['ratio'] * 100:g}%"
                             for s in value)
        elif key == "ratio":
            shown = f"{value * 100:g}%"
        elif value is None:
            shown = "不设"
        else:
            shown = f"{value}{'' if key == 'bonus_points' else '元'}"
        out.append(f"{names.get(key, key)}{shown}{'(示例值)' if key in illustrative else ''}")
    return out
