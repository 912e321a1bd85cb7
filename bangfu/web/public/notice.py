"""The annotated notice (Article 29): its text article by article, and beside each article what implements it —
the engine's rules (their `article`), the parameters whose values cite it (current value, dated history, source),
and the scenario tests that pin its benefit codes. Everything is read from the code and its data, so it cannot
drift (tests/web/test_public_notice.py)."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bangfu.policy.parameters import Parameter, ParameterSet
from bangfu.policy.regions import PROVINCE, get_region
from bangfu.policy.rules.base import REGISTRY, Rule

DATA = Path(__file__).parent / "data"
NOTICE = DATA / "notice.md"  # a copy of /work/shared/policy-su-zheng-ban-fa-2019-2.md
SCENARIOS = DATA / "scenarios.json"  # written by `bangfu notice_scenarios` from tests/policy/scenarios
_ARTICLE = re.compile(r"^(?:- )?(\d{1,2})\.(.*)$")


@dataclass
class Article:
    number: int
    text: str
    section: str
    rules: list[Rule] = field(default_factory=list)
    parameters: list[dict] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)


@cache
def notice_text() -> tuple[str, list[tuple[int, str, str]]]:
    """(preamble, [(article number, section heading, text)]) read from the shipped copy of the notice."""
    preamble: list[str] = []
    articles: list[list] = []
    section = ""
    for raw in NOTICE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            section = line.lstrip("#").strip()
            if articles:  # headings after the first article belong to the articles
                continue
            preamble.append(section)
            continue
        match = _ARTICLE.match(line)
        if match and (not articles and match.group(1) == "1" or articles and int(match.group(1)) == articles[-1][0] + 1):
            articles.append([int(match.group(1)), section, f"{match.group(1)}.{match.group(2).strip()}"])
        elif articles:
            articles[-1][2] += "\n" + line.removeprefix("- ")
        else:
            preamble.append(line)
    return "\n".join(preamble), [tuple(a) for a in articles]


def _region_name(code: str) -> str:
    if code == PROVINCE:
        return "全省"
    region = get_region(code)
    return region.name if region is not None else code


def _source(reference: dict) -> str:
    parts = []
    if reference.get("document"):
        parts.append(reference["document"])
    if reference.get("article"):
        parts.append(f"通知第{reference['article']}条")
    if reference.get("quote"):
        parts.append(f"“{reference['quote']}”")
    return ",".join(parts)


def parameter_articles(parameter: Parameter) -> set[int]:
    """The articles a parameter's dated values cite."""
    return {int(v.reference["article"]) for series in parameter.values.values() for v in series
            if v.reference.get("article")}


def parameter_view(parameter: Parameter, today: datetime.date) -> dict:
    """A parameter with its current value (province-wide) and its whole dated history, with each value's source."""
    current = parameter.at(today)
    history = [{"region": _region_name(region), "start": v.start, "value": v.value, "status": v.status,
                "source": _source(v.reference)}
               for region, series in parameter.values.items() for v in series]
    return {"name": parameter.name, "description": parameter.description, "unit": parameter.unit,
            "current": None if current is None else current.value,
            "current_status": None if current is None else current.status, "history": history}


def scenario_names() -> dict[str, list[str]]:
    """Benefit code -> names of the scenario tests that pin it (the shipped data)."""
    if not SCENARIOS.exists():
        return {}
    return json.loads(SCENARIOS.read_text(encoding="utf-8"))


def annotated_notice(parameters: ParameterSet, today: datetime.date) -> tuple[str, list[Article], list[dict]]:
    """(preamble, the articles with their annotations, parameters that cite no article)."""
    preamble, texts = notice_text()
    articles = {n: Article(n, text, section) for n, section, text in texts}
    for rule in REGISTRY.values():
        articles[rule.article].rules.append(rule)
    pinned = scenario_names()
    for article in articles.values():
        names: list[str] = []
        for rule in article.rules:
            names += [n for n in pinned.get(rule.code, []) if n not in names]
        article.scenarios = names
    loose = []
    for parameter in parameters:
        view = parameter_view(parameter, today)
        cited = parameter_articles(parameter)
        for number in sorted(cited):
            if number in articles:
                articles[number].parameters.append(view)
        if not cited & set(articles):
            loose.append(view)
    return preamble, [articles[n] for n in sorted(articles)], loose


def scenarios_from(directory: Path) -> dict[str, list[str]]:
    """Benefit code -> the names of the scenarios in `directory` (YAML) that pin it: expect it, or its absence."""
    import yaml

    out: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            codes: list[str] = []
            for key in ("benefits", "absent", "not_eligible"):
                codes += [entry["code"] for entry in case.get(key) or [] if isinstance(entry, dict)]
            for key in ("all_benefits", "only_not_eligible"):
                codes += [pair[0] for pair in case.get(key) or []]
            for code in dict.fromkeys(codes):
                out.setdefault(code, []).append(case["name"])
    return dict(sorted(out.items()))
