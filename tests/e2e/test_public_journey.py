"""The public pages on a phone (360×740): a worker's self-check, the medical calculator, the annotated notice;
axe-core (axe-playwright-python, its bundled axe.min.js, no network) finds no serious or critical violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from bangfu.policy import assess_households
from bangfu.policy.schema import parse_document
from bangfu.standards.selectors import effective_parameters

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_worker_checks_a_family_with_a_university_student(phone):
    page = phone
    today = timezone.localdate()
    page.goto("/public/selfcheck/")
    assert _serious(page) == []
    assert _no_horizontal_scroll(page)
    page.get_by_label("家庭所在地(市、县区)").select_option("320102")
    page.get_by_label("工会是否已认定您家为困难职工家庭?").select_option("extreme_hardship")
    page.get_by_label("全家每月总收入(元)").fill("900")
    page.get_by_role("group", name="是否正在领取城市低保?").get_by_label("否").check()
    worker = page.get_by_role("group", name="职工本人")
    worker.get_by_label("性别").select_option("female")
    worker.get_by_label("出生日期").fill(f"{today.year - 50}-02-01")
    worker.get_by_label("工作情况").select_option("registered_unemployed")
    worker.get_by_label("健康状况").select_option("serious")
    student = page.get_by_role("group", name="家庭成员 1")
    student.get_by_label("与职工本人的关系").select_option("child")
    student.get_by_label("性别").select_option("male")
    student.get_by_label("出生日期").fill(f"{today.year - 20}-09-01")
    student.get_by_label("工作情况").select_option("student")
    student.get_by_text("上学或经营情况").click()
    student.get_by_label("在读学段").select_option("higher")
    student.get_by_label("年级(该学段第几年)").select_option("2")
    student.get_by_label("品学兼优").check()
    page.get_by_role("button", name="查看我家可享受的政策").click()

    result = page.locator("#result")
    scholarship = page.locator('[data-code="education.inspirational_scholarship"]')
    assert scholarship.is_visible()
    assert "通知第17条" in scholarship.inner_text()
    assert "可向当地教育部门申请" in scholarship.inner_text()
    assert "6,000.00 元" in scholarship.inner_text()
    assert "以工会核查认定和各部门审核为准" in page.content()
    assert "特困职工家庭" in result.inner_text()

    document = {"as_of": today.isoformat(), "region": "320102", "category": "extreme_hardship", "archived": True,
                "dibao": False, "monthly_income": 900.0, "hardship_causes": [], "members": [
                    {"id": "m0", "relation": "self", "sex": "female", "birth_date": f"{today.year - 50}-02-01",
                     "employment": "registered_unemployed", "work_ability": "full", "disability_grade": None,
                     "serious_illness": True, "resident_medical_insurance": False},
                    {"id": "m1", "relation": "child", "sex": "male", "birth_date": f"{today.year - 20}-09-01",
                     "employment": "student", "work_ability": "full", "disability_grade": None,
                     "serious_illness": False, "resident_medical_insurance": False,
                     "school": {"stage": "higher", "year": 2, "institution": "public", "excellent": True}}]}
    engine = assess_households([parse_document(document)], parameters=effective_parameters())[0]
    shown = page.locator("#benefits > li").evaluate_all("items => items.map(i => i.dataset.code)")
    assert shown == [b["code"] for b in engine["benefits"]]
    assert _serious(page) == []
    assert _no_horizontal_scroll(page)
    assert page.context.cookies() == [] or {c["name"] for c in page.context.cookies()} <= {"csrftoken"}


def test_the_calculator_and_the_notice_on_a_phone(phone):
    page = phone
    page.goto("/public/medical/")
    assert _serious(page) == []
    page.get_by_label("家庭类别").select_option("extreme_hardship")
    page.get_by_role("button", name="测算").click()
    assert "家庭约需自付" in page.locator("#calculator-summary").inner_text()
    assert _serious(page) == []
    page.goto("/public/notice/")
    assert page.locator("#article-17").is_visible()
    assert "inspirational_scholarship" in page.locator("#article-17").inner_text()
    assert _serious(page) == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
