"""Every main page as every role: no serious or critical axe-core violation (WCAG 2.1 AA), and on a phone
(360×740) no page wider than the screen (issue 19). axe.min.js comes with axe-playwright-python: no network."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from bangfu.common import clock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = ["caseworker_g1", "reviewer_xuanwu", "admin_province", "auditor_province", "officer"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}
# How many of the 41 pages each role opens (the others redirect or refuse): a page that stops opening is noticed.
SEEN = {"caseworker_g1": 33, "reviewer_xuanwu": 31, "admin_province": 40, "auditor_province": 31, "officer": 7}
SCROLLING = {"runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]}, "resultTypes": ["violations"]}


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


@pytest.fixture
def everything(file_in_help, make_user, users, orgs):
    """Beside the household: a programme with a prepared round, a saved what-if, a finished re-computation, an
    import job, a medical bill: every page of the issue has something to show. Returns the pages' addresses."""
    from decimal import Decimal

    from bangfu.exchange.models import ImportJob, JobKind
    from bangfu.medical.models import MedicalBill
    from bangfu.programmes import bankfiles
    from bangfu.programmes import services as programmes
    from bangfu.programmes.models import BankFormat
    from bangfu.reports.models import Recomputation, RecomputedHousehold, WhatIf
    from bangfu.standards import services as standards

    household, today = file_in_help, clock.today()
    worker = household.members.get(relation="self")
    programmes.payee_set(actor=users["caseworker_g1"], household=household, member=worker,
                         bank_name="工商银行南京玄武支行", account_number="6222020200112233446")
    fmt = next(p for p in bankfiles.PRESETS if p["code"] == "generic")
    warmth = programmes.programme_create(
        actor=users["admin_nanjing"], union=orgs["nanjing"], name="2026年送温暖", kind="send_warmth",
        fund_source="union_funds", budget="100000",
        bank_format=BankFormat.objects.get_or_create(code="generic", defaults=fmt)[0])
    round_ = programmes.round_create(actor=make_user("caseworker", "xuanwu", "caseworker_xuanwu"), programme=warmth,
                                     union=orgs["xuanwu"], paid_on=today, title="春节送温暖")
    whatif = WhatIf.objects.create(name="南京低保1050", parameter="sync.dibao.standard", region_code="320100",
                                   start=datetime.date(2025, 11, 1), value=Decimal("1050"),
                                   area_path=orgs["nanjing"].path, created_by=users["admin_nanjing"], summary={})
    request = standards.standard_request_propose(
        actor=users["admin_nanjing"], parameter="sync.dibao.standard", region_code="320100",
        start=datetime.date(2025, 11, 1), value=Decimal("1050"), document="宁民发〔2025〕1号")
    run = Recomputation.objects.create(request=request, as_of=request.start, area_path=orgs["nanjing"].path,
                                       state="done", households=1, summary={"counts": {"up": 1}})
    RecomputedHousehold.objects.create(recomputation=run, household=household, union=household.union, kind="up",
                                       cash_before=Decimal("0"), cash_after=Decimal("1800.00"))
    job = ImportJob.objects.create(kind=JobKind.HOUSEHOLDS, union=orgs["g1"], original_name="第一批.xlsx",
                                   created_by=users["caseworker_g1"])
    bill = MedicalBill.objects.filter(household=household).first()
    pk, r = household.pk, reverse
    return [
        # the start page, lists and the household file with its pages
        r("web:home"), r("web:household_list"), r("web:household_detail", args=[pk]),
        r("web:verification_report", args=[pk]), r("web:household_ledger", args=[pk]),
        r("web:targets"), r("web:union_ledger"),
        r("web:ledger_requests"), r("web:alert_list"), r("web:imports"), r("web:job_detail", args=[job.pk]),
        r("web:department_data"), r("web:audit_log"), r("web:standard_list"),
        r("web:standard_detail", args=["sync.dibao.standard"]), r("web:user_list"),
        # forms
        r("web:household_create"), r("web:household_edit", args=[pk]), r("web:member_add", args=[pk]),
        r("web:member_edit", args=[worker.pk]), r("web:plan_detail", args=[pk, today.year]),
        r("web:bill_create", args=[pk]), r("web:household_payee", args=[pk]),
        r("web:household_leaflet", args=[pk]), r("web:medical_calculator"), r("password_change"),
        *([r("web:bill_detail", args=[bill.pk])] if bill else []),
        # programmes
        r("web:programme_list"), r("web:programme_detail", args=[warmth.pk]), r("web:round_detail", args=[round_.pk]),
        # reports
        r("web:reports"), r("web:reports_entitlements"), r("web:recomputations"),
        r("web:recomputation_detail", args=[run.pk]), r("web:whatif_list"), r("web:whatif_detail", args=[whatif.pk]),
        # print pages
        r("web:household_print", args=[pk]), r("web:round_sign_sheet", args=[round_.pk]),
        r("web:public_notice_print"),
        # the public pages (a signed-in person may open them too)
        r("web:public_selfcheck"), r("web:public_medical"), r("web:public_notice"),
    ]


# The outermost elements reaching past the screen's right edge (what to fix), for the failure message.
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > 361 && !(e.parentElement.getBoundingClientRect().right > 361))
  .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : ""))"""


def visit(page, url: str) -> bool:
    response = page.goto(url)
    return response is not None and response.status == 200 and page.url.endswith(url)


@pytest.mark.parametrize("role", ROLES)
def test_no_serious_accessibility_violation(role, page, log_in, users, everything) -> None:
    log_in(users[role])
    axe, seen, found = Axe(), 0, []
    for url in everything:
        if not visit(page, url):
            continue
        seen += 1
        for v in axe.run(page, options=WCAG).response["violations"]:
            if v["impact"] in ("serious", "critical"):
                found.append(f"{url} {v['id']} ({v['impact']}): " + "; ".join(n["html"][:120] for n in v["nodes"][:3]))
    assert seen >= SEEN[role]
    assert found == [], "\n".join(found)


def test_the_login_page_has_no_serious_accessibility_violation(page) -> None:
    page.goto(reverse("web:login"))
    found = [v["id"] for v in Axe().run(page, options=WCAG).response["violations"]
             if v["impact"] in ("serious", "critical")]
    assert found == []


@pytest.mark.parametrize("role", ROLES)
def test_no_page_is_wider_than_a_phone(role, page, log_in, users, everything) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(users[role])
    axe, seen, wide = Axe(), 0, []
    for url in everything:
        if not visit(page, url):
            continue
        seen += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append(f"{url}: {width} px, " + ", ".join(page.evaluate(WIDEST)))
        # What scrolls sideways at this width must be reachable by keyboard.
        wide += [f"{url} {v['id']}: " + "; ".join(n["html"][:120] for n in v["nodes"][:3])
                 for v in axe.run(page, options=SCROLLING).response["violations"]]
    assert seen >= SEEN[role]
    assert wide == [], "\n".join(wide)
