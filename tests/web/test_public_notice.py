"""The annotated notice cannot drift: every rule under its article, every parameter with its whole history, the
scenario names fresh from tests/policy/scenarios, all 29 articles of the notice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from bangfu.policy.parameters import ParameterSet
from bangfu.policy.rules.base import REGISTRY
from bangfu.standards.selectors import effective_parameters
from bangfu.web.public.notice import SCENARIOS, notice_text, parameter_articles, scenarios_from

ROOT = Path(__file__).resolve().parents[2]


def _articles(page: str) -> dict[int, str]:
    """Article number -> the HTML of its <article> on the page."""
    parts = re.split(r'<article class="mb-4" id="article-(\d+)"', page)
    return {int(parts[i]): parts[i + 1].split("</article>")[0] for i in range(1, len(parts), 2)}


def test_the_shipped_notice_has_its_29_articles_in_order():
    _, articles = notice_text()
    assert [n for n, _, _ in articles] == list(range(1, 30))
    assert all(text.startswith(f"{n}.") for n, _, text in articles)
    assert "先诊疗后付费" in articles[8][2]


def test_the_scenario_names_shipped_are_fresh():
    """Run `bangfu notice_scenarios` after changing tests/policy/scenarios."""
    assert json.loads(SCENARIOS.read_text(encoding="utf-8")) == scenarios_from(ROOT / "tests/policy/scenarios")


def test_the_command_writes_the_scenario_names(tmp_path):
    out = tmp_path / "scenarios.json"
    call_command("notice_scenarios", out=out)
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(SCENARIOS.read_text(encoding="utf-8"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["web:public_notice", "web:public_notice_print"])
def test_every_rule_and_parameter_is_shown_under_its_article(client, name):
    page = client.get(reverse(name)).content.decode()
    articles = _articles(page)
    assert sorted(articles) == list(range(1, 30))
    pinned = scenarios_from(ROOT / "tests/policy/scenarios")
    for rule in REGISTRY.values():
        html = articles[rule.article]
        assert f'data-code="{rule.code}"' in html, f"{rule.code} not under article {rule.article}"
        assert rule.title in html
        for scenario in pinned.get(rule.code, []):
            assert f'<li class="scenario" lang="en">{scenario}</li>' in html.replace("&#x27;", "'").replace(
                "&quot;", '"').replace("&amp;", "&"), f"{scenario} not under article {rule.article}"
    parameters = effective_parameters()
    shown = 0
    for parameter in parameters:
        for number in parameter_articles(parameter):
            if number not in articles:
                continue
            html = articles[number]
            block = html.split(f'data-parameter="{parameter.name}"')
            assert len(block) == 2, f"{parameter.name} not under article {number}"
            history = sum(len(series) for series in parameter.values.values())
            assert block[1].split("</details>")[0].count('<li class="history">') == history, parameter.name
            shown += 1
    assert shown > 20


@pytest.mark.django_db
def test_a_parameter_citing_no_article_is_still_shown(client):
    page = client.get(reverse("web:public_notice")).content.decode()
    loose = [p for p in ParameterSet.load() if not parameter_articles(p)]
    for parameter in loose:
        assert f'data-parameter="{parameter.name}"' in page
