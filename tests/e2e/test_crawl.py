"""A crawl of the site as every demo account (issue 17): from the menu, every page it links to (two links deep,
the print pages among them) is opened in Chromium, and fails on an HTTP error (the page or anything it loads), a
console error, the text "None", or an English code of the system's own (a choice's value, a benefit code, a
department) anywhere in the page's text. The demo data of `bangfu run` fills the pages."""

from __future__ import annotations

import contextlib
import io
import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bangfu.demo.loader import ACCOUNTS, DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEPTH = 2  # the menu's pages, the pages they link to, and those these link to (a file's print page, say)
MAX_PAGES = 70  # per account
PER_PATTERN = 2  # pages of one shape (/households/<n>/) opened per account
# Not pages: files to download, a log-out, Django's English admin, and GETs that record an act.
SKIP = re.compile(r"(\.(xlsx|csv|json|pdf|zip)(\?|$))|/result/|/download|/documents/\d+|/logout|^/admin/|/api/"
                  r"|sample|template|/full-id|/reveal|/static/|/media/")
NONE = re.compile(r"(?<![A-Za-z])None(?![A-Za-z])")


def english_codes() -> set[str]:
    """The codes the system itself would print were a label missing: every choice's value (models), every benefit
    code, the assessment format's enumerations. Purely numeric values and one-letter ones say nothing."""
    from bangfu.policy import schema
    from bangfu.policy.rules import RULES

    codes = {rule.code for rule in RULES}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            for value, _ in field.flatchoices if field.choices else ():
                codes.add(str(value))
    for name in ("CATEGORIES", "CAUSES", "RELATIONS", "EMPLOYMENTS", "WORK_ABILITIES", "STAGES", "INSTITUTIONS",
                 "BUSINESS_KINDS", "PREMISES", "RETIREMENT_GROUPS"):
        codes.update(getattr(schema, name))
    # The demo's usernames "admin", "reviewer", "caseworker" and "auditor" are also role codes: on the users page and
    # in the audit log they are the username shown beside the name, not a code, so they are left out here.
    usernames = {account.username for account in ACCOUNTS}
    return {c for c in codes if re.search(r"[a-z]", c) and len(c) > 1 and c not in usernames}


def code_pattern(codes: set[str]) -> re.Pattern:
    words = sorted(codes, key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9_.@/-])(" + "|".join(map(re.escape, words)) + r")(?![A-Za-z0-9_])")


def shape(url: str) -> str:
    """/households/12/?union=3&year=2026 → /households/N/?union&year: pages of one shape are opened PER_PATTERN times."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)} - {"page", "after", "before"})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


@pytest.fixture
def demo_site():
    out = io.StringIO()
    call_command("demo", households=30, stdout=out)
    for command in ("demo_exchange", "demo_medical", "demo_programmes"):
        call_command(command, stdout=out)


def log_in_as(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/$"))


def links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download]):not([target=_blank])", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        parts = urlsplit(href or "")
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, an anchor, a mailto
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(url):
            out.append(url)
    return out


def crawl(page, problems: list[str], codes: re.Pattern) -> list[str]:
    """Breadth first from the menu; each page checked as it is opened. Returns the pages opened."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto("/")
    menu = page.eval_on_selector_all("nav[aria-label='主菜单'] a[href]", "els => els.map(e => e.getAttribute('href'))")
    queue = deque([("/", 0), *((url, 0) for url in menu if not SKIP.search(url))])
    seen_urls, shapes, opened = set(), {}, []
    while queue and len(opened) < MAX_PAGES:
        url, depth = queue.popleft()
        if url in seen_urls or shapes.get(shape(url), 0) >= PER_PATTERN:
            continue
        seen_urls.add(url)
        shapes[shape(url)] = shapes.get(shape(url), 0) + 1
        failed.clear()
        page.console_errors.clear()
        response = page.goto(url)
        with contextlib.suppress(PlaywrightTimeout):  # a page that polls (a running job) never goes idle
            page.wait_for_load_state("networkidle", timeout=3000)
        opened.append(url)
        status = response.status if response is not None else 0
        if status >= 400:
            problems.append(f"{url}: HTTP {status}")
            continue
        text = page.inner_text("body")
        problems += [f"{url}: {f}" for f in failed]
        problems += [f"{url}: console: {e}" for e in page.console_errors]
        if NONE.search(text):
            problems.append(f"{url}: 'None' in «{_around(text, NONE.search(text))}»")
        problems += [f"{url}: code {m.group(1)!r} in «{_around(text, m)}»" for m in _first_each(codes, text)]
        if depth < DEPTH:
            queue.extend((link, depth + 1) for link in links(page) if link not in seen_urls)
    return opened


def _first_each(pattern: re.Pattern, text: str) -> list[re.Match]:
    found: dict[str, re.Match] = {}
    for match in pattern.finditer(text):
        found.setdefault(match.group(1), match)
    return list(found.values())


def _around(text: str, match: re.Match) -> str:
    return text[max(0, match.start() - 30):match.end() + 30].replace("\n", " ")


@pytest.mark.parametrize("username", [a.username for a in ACCOUNTS])
def test_every_page_a_demo_account_reaches_speaks_chinese_without_errors(username, page, demo_site):
    log_in_as(page, username)
    problems: list[str] = []
    opened = crawl(page, problems, code_pattern(english_codes()))
    assert len(opened) >= 3, opened
    assert problems == [], "\n".join(dict.fromkeys(problems))


def test_the_code_list_is_built_from_the_systems_own_choices():
    codes = english_codes()
    assert {"education.compulsory_living_subsidy", "civil_affairs", "human_resources", "extreme_hardship",
            "registered_unemployed", "fiscal", "department_officer"} <= codes and "admin" not in codes
    pattern = code_pattern(codes)
    assert pattern.search("类别:extreme_hardship") and pattern.search("部门 civil_affairs")
    assert not pattern.search("caseworker_g1") and not pattern.search("household.create")
