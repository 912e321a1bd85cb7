"""Every main page as every role: no serious or critical axe-core violation (WCAG 2.1 AA), and on a phone
(360×740) no page wider than the screen (issue 19). axe.min.js comes with axe-playwright-python: no network."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from bangfu.common import clock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = ["caseworker_g1", "reviewer_xuanwu", "admin_province", "auditor_province", "officer"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}


@pytest.fixture
def file_in_help(make_household, users, noticed):
    """A household being helped, with an income, a payment and a department alert: every page has rows."""
    from bangfu.cases import services
    from bangfu.exchange.models import Alert
    from bangfu.ledger import services as ledger
    from bangfu.registry.models import Household

    cw, rv, today = users["caseworker_g1"], users["reviewer_xuanwu"], clock.today()
    household = make_household("g1")
    case = noticed(cw, services.case_open(actor=cw, household=household))
    case = services.case_archive(actor=rv, case=case, version=case.version, category="hardship")
    services.case_start_help(actor=cw, case=case, version=case.version)
    household = Household.objects.get(pk=household.pk)
    request, _ = ledger.ledger_request_payment(actor=cw, household=household, amount="300.00", fund_source="fiscal",
                                               paid_on=today, description="助学金")
    ledger.ledger_approve(actor=rv, ledger_request=request)
    Alert.objects.create(household=household, kind="death", key="a11y", message="民政部门报告某某已死亡")
    return household


def pages(household) -> list[str]:
    """The main pages; a role that may not open one is sent elsewhere or refused, and that page is skipped."""
    pk = household.pk
    return [reverse("web:home"), reverse("web:household_list"), reverse("web:household_detail", args=[pk]),
            reverse("web:household_print", args=[pk]), reverse("web:verification_report", args=[pk]),
            reverse("web:household_ledger", args=[pk]), reverse("web:household_create"), reverse("web:targets"),
            reverse("web:union_ledger"), reverse("web:ledger_requests"), reverse("web:alert_list"),
            reverse("web:medical_calculator"), reverse("web:imports"), reverse("web:department_data"),
            reverse("web:audit_log"), reverse("web:standard_list"), reverse("web:user_list"),
            reverse("password_change")]


def visit(page, url: str) -> bool:
    response = page.goto(url)
    return response is not None and response.status == 200 and page.url.endswith(url)


@pytest.mark.parametrize("role", ROLES)
def test_no_serious_accessibility_violation(role, page, log_in, users, file_in_help) -> None:
    log_in(users[role])
    axe, seen, found = Axe(), 0, []
    for url in pages(file_in_help):
        if not visit(page, url):
            continue
        seen += 1
        for v in axe.run(page, options=WCAG).response["violations"]:
            if v["impact"] in ("serious", "critical"):
                found.append(f"{url} {v['id']} ({v['impact']}): " + "; ".join(n["html"][:120] for n in v["nodes"][:3]))
    assert seen >= 2
    assert found == [], "\n".join(found)


def test_the_login_page_has_no_serious_accessibility_violation(page) -> None:
    page.goto(reverse("web:login"))
    found = [v["id"] for v in Axe().run(page, options=WCAG).response["violations"]
             if v["impact"] in ("serious", "critical")]
    assert found == []


@pytest.mark.parametrize("role", ROLES)
def test_no_page_is_wider_than_a_phone(role, page, log_in, users, file_in_help) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(users[role])
    seen, wide = 0, []
    for url in pages(file_in_help):
        if not visit(page, url):
            continue
        seen += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append(f"{url}: {width} px")
    assert seen >= 2
    assert wide == [], "\n".join(wide)
