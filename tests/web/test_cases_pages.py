"""The case panel of the household file: state, history, the moves the user may make, refusals and conflicts."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from bangfu.cases.models import Case
from bangfu.common import clock

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def move(client, household, name, htmx=True, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {f"{name}-{k}": v for k, v in data.items()}
    return client.post(reverse("web:case_move", args=[household.pk, name]), data, **headers)


def test_file_shows_the_case_panel_with_submit_for_the_caseworker(login, users, household):
    body = login(users["caseworker_g1"]).get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert 'id="case-panel"' in body and 'data-testid="move-submit"' in body
    assert "核定并建档" not in body  # the registry's shortcut is gone: verification goes through the case


def test_the_panel_names_who_submitted_visited_and_approved(login, users, household, drive):
    """They are read with the case in one query (the file's query count): each still shown by name."""
    drive(household, "archived")
    Case.objects.filter(household=household).update(visited_by=users["reviewer_xuanwu"], visited_on=clock.today())
    body = login(users["caseworker_g1"]).get(reverse("web:household_detail", args=[household.pk])).content.decode()

    def row(label: str) -> str:
        return body.split(f'<dt class="col-4">{label}</dt>')[1].split("</dd>")[0]

    cw, rv = str(users["caseworker_g1"]), str(users["reviewer_xuanwu"])
    assert row("提交").endswith(f" · {cw}") and row("入户核查").endswith(f" · {rv}") and row("建档").endswith(f" · {rv}")


def test_caseworker_submits_and_the_history_records_it(login, users, household):
    client = login(users["caseworker_g1"])
    response = move(client, household, "submit", version=0, reason="本人申请")
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("web:household_detail",
                                                                               args=[household.pk])
    case = Case.objects.get(household=household)
    assert case.state == "submitted" and case.submitted_by == users["caseworker_g1"]
    body = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert "已提交申请" in body and "本人申请" in body and "待核查" in body
    assert "caseworker_g1" in body or str(users["caseworker_g1"]) in body


def test_an_illegal_move_shows_the_services_message(login, users, household):
    client = login(users["caseworker_g1"])
    response = move(client, household, "start_help", version=0)
    assert response.status_code == 422
    assert "不能开始帮扶" in response.content.decode()
    assert not Case.objects.filter(household=household).exclude(state="draft").exists()


def test_a_stale_version_is_refused_and_shows_what_changed(login, users, household, drive):
    case = drive(household, "submitted")
    client = login(users["reviewer_xuanwu"])
    assert move(client, household, "start_verification", version=case.version, reason="开始核查").status_code == 200
    stale = move(login(users["caseworker_g1"]), household, "start_verification", version=case.version)
    body = stale.content.decode()
    assert stale.status_code == 409
    assert "该档案已被他人修改" in body and 'data-testid="case-conflict"' in body and "开始核查" in body
    case.refresh_from_db()
    assert case.state == "verifying" and case.events.filter(action="start_verification").count() == 1


def test_record_visit_then_notice_then_the_reviewer_archives(login, users, household, drive):
    with time_machine.travel(clock.now() - 8 * DAY, tick=True):  # applied, visited and noticed 8 days ago
        case = drive(household, "verifying")
        cw = login(users["caseworker_g1"])
        then = clock.today()
        assert move(cw, household, "record_visit", version=case.version, visited_on=then.isoformat(),
                    notes="入户核查,情况属实", authorisation_signed_on=then.isoformat()).status_code == 200
        case.refresh_from_db()
        assert move(cw, household, "start_notice", version=case.version, start=then.isoformat(),
                    end=(then + 6 * DAY).isoformat()).status_code == 200
        case.refresh_from_db()
        rv = login(users["reviewer_xuanwu"])
        page = rv.get(reverse("web:household_detail", args=[household.pk])).content.decode()
        assert 'data-testid="move-archive"' not in page and "公示期满后方可审批建档" in page  # said, not offered
    rv = login(users["reviewer_xuanwu"])  # today: a new session
    page = rv.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert 'data-testid="move-archive"' in page
    assert move(rv, household, "archive", version=case.version, category="extreme_hardship").status_code == 200
    household.refresh_from_db()
    assert household.status == "archived" and household.verified_category == "extreme_hardship"


def test_a_notice_in_the_past_is_a_field_error_in_chinese(login, users, household, drive):
    """Issue 17 item 4: a notice dated before today (and so before this morning's application) is refused."""
    case = drive(household, "verifying")
    cw = login(users["caseworker_g1"])
    today = clock.today()
    case = Case.objects.get(pk=case.pk)
    assert move(cw, household, "record_visit", version=case.version, visited_on=today.isoformat(),
                notes="入户核查", authorisation_signed_on=today.isoformat()).status_code == 200
    case.refresh_from_db()
    response = move(cw, household, "start_notice", version=case.version, start=(today - 8 * DAY).isoformat(),
                    end=(today - DAY).isoformat())
    assert response.status_code == 422 and "公示开始日期不能早于申请提交日期" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "verifying" and case.notice_start is None


def test_notice_with_end_before_start_is_a_field_error(login, users, household, drive):
    case = drive(household, "verifying")
    response = move(login(users["caseworker_g1"]), household, "start_notice", version=case.version,
                    start="2030-02-02", end="2030-02-01")
    assert response.status_code == 422 and "公示结束日期不能早于开始日期" in response.content.decode()


def test_four_eyes_hides_the_approval_and_the_service_refuses_it(login, users, household, drive, reviewer2):
    with time_machine.travel(clock.now() - 9 * DAY, tick=True):  # the notice made 9 days ago, over yesterday
        case = drive(household, "submitted")
        rv = login(users["reviewer_xuanwu"])
        # The reviewer moves the case into public notice himself: he may not then approve it.
        for name, data in (("start_verification", {}), ("record_visit", {
                "visited_on": clock.today().isoformat(), "notes": "属实",
                "authorisation_signed_on": clock.today().isoformat()})):
            case.refresh_from_db()
            assert move(rv, household, name, version=case.version, **data).status_code == 200
        case.refresh_from_db()
        then = clock.today()
        move(rv, household, "start_notice", version=case.version, start=then.isoformat(),
             end=(then + 6 * DAY).isoformat())
    case.refresh_from_db()
    rv = login(users["reviewer_xuanwu"])  # today: a new session
    page = rv.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert 'data-testid="blocked-archive"' in page and 'data-testid="move-archive"' not in page
    refused = move(rv, household, "archive", version=case.version, category="hardship")
    assert refused.status_code == 403 and "双人审核" in refused.content.decode()
    assert move(login(reviewer2), household, "archive", version=case.version, category="hardship").status_code == 200


def test_caseworkers_see_no_approval_and_auditors_no_moves(login, users, household, drive):
    drive(household, "public_notice")
    url = reverse("web:household_detail", args=[household.pk])
    assert 'data-testid="move-archive"' not in login(users["caseworker_g1"]).get(url).content.decode()
    auditor = login(users["auditor_province"])
    assert 'data-testid="move-' not in auditor.get(url).content.decode()
    assert move(auditor, household, "archive", version=1, category="hardship").status_code == 403


def test_moves_outside_the_area_are_404_and_unknown_moves_too(login, users, household):
    other = login(users["caseworker_g4"])
    assert move(other, household, "submit", version=0).status_code == 404
    assert other.get(reverse("web:case_panel", args=[household.pk])).status_code == 404
    assert move(login(users["caseworker_g1"]), household, "fly", version=0).status_code == 404
    assert login(users["caseworker_g1"]).get(reverse("web:case_move", args=[household.pk, "submit"])).status_code == 405


def test_refuse_needs_a_reason_and_exit_opens_a_new_episode_after(login, users, household, drive):
    case = drive(household, "review")
    rv = login(users["reviewer_xuanwu"])
    assert move(rv, household, "exit", version=case.version, reason="").status_code == 422
    page = rv.get(reverse("web:case_panel", args=[household.pk])).content.decode()
    assert 'data-testid="exit-suggestion"' in page
    assert move(rv, household, "exit", version=case.version, reason="已稳定就业").status_code == 200
    cw = login(users["caseworker_g1"])
    panel = cw.get(reverse("web:case_panel", args=[household.pk])).content.decode()
    assert "退出后回访" in panel and 'data-testid="move-open"' in panel
    case.refresh_from_db()
    assert move(cw, household, "open", version=case.version, reason="失业返贫").status_code == 200
    new = Case.objects.get(household=household, episode=2)
    assert new.is_relapse and new.previous_id == case.pk and new.state == "draft"


def test_a_plain_form_post_redirects_with_the_message(login, users, household):
    client = login(users["caseworker_g1"])
    response = move(client, household, "start_review", htmx=False, version=0)
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "不能开始复核" in follow


def test_followup_is_recorded(login, users, household, drive):
    case = drive(household, "exited")
    followup = case.followups.order_by("due_on").first()
    client = login(users["caseworker_g1"])
    url = reverse("web:followup_record", args=[followup.pk])
    prefix = f"f{followup.pk}"
    assert client.post(url, {f"{prefix}-done_on": "", f"{prefix}-notes": ""}).status_code == 302
    followup.refresh_from_db()
    assert followup.done_on is None
    client.post(url, {f"{prefix}-done_on": clock.today().isoformat(), f"{prefix}-notes": "已就业,收入稳定"})
    followup.refresh_from_db()
    assert followup.done_on == clock.today()
    assert login(users["caseworker_g4"]).post(url, {"notes": "x"}).status_code == 404


def test_a_file_archived_by_the_registry_has_its_case_and_review_date_from_the_start(login, users, verified):
    client = login(users["caseworker_g1"])
    case = Case.objects.get(household=verified)
    page = client.get(reverse("web:household_detail", args=[verified.pk])).content.decode()
    assert 'data-testid="move-start_help"' in page and "按原有档案建档" in page and "下次复核" in page
    assert move(client, verified, "start_help", version=case.version).status_code == 200
    case.refresh_from_db()
    assert case.state == "helping" and list(case.events.values_list("action", flat=True)) == ["take_over", "start_help"]


def test_the_visit_form_offers_the_uploaded_authorisation_chosen_not_said_missing(login, users, household, drive):
    """Issue 17, item 9: once the authorisation is uploaded, the 授权书材料 selector shows it, chosen."""
    from bangfu.registry.services import document_upload

    drive(household, "verifying")
    cw = login(users["caseworker_g1"])
    before = cw.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert "未上传(请先在「材料」中上传授权书)" in before
    document = document_upload(actor=users["caseworker_g1"], household=household, doc_type="authorisation",
                               name="授权书.pdf", content=b"%PDF-1.4\n%%EOF\n")
    after = cw.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert f'<option value="{document.pk}" selected>授权书.pdf(已上传 {clock.today():%Y-%m-%d})</option>' in after
    assert "未上传" not in after.split('name="record_visit-authorisation_document"')[1].split("</select>")[0]


def test_a_stale_save_from_the_users_own_other_tab_says_so(login, users, household, drive):
    """Issue 17, item 10: not "他人已作如下修改" naming the user herself."""
    case = drive(household, "submitted")
    cw = login(users["caseworker_g1"])
    assert move(cw, household, "start_verification", version=case.version).status_code == 200
    stale = move(cw, household, "start_verification", version=case.version)  # the first tab, still at the old version
    body = stale.content.decode()
    assert stale.status_code == 409 and "您已在另一个页面(或标签页)修改过此记录" in body
    assert "已在其他页面(或标签页)作如下修改" in body and "您(在其他页面)" in body
    assert "他人" not in body


def test_a_stale_household_edit_of_ones_own_says_so_and_anothers_says_another(login, users, household):
    from bangfu.registry.services import household_update

    data = {"address": "南京市玄武区珠江路9号", "region_code": household.region_code, "phone": household.phone,
            "proposed_category": "hardship", "hardship_causes": ["illness"]}
    version = household.version
    household_update(actor=users["caseworker_g1"], household=household, data={"address": "别处1号"},
                     version=version)
    url = reverse("web:household_edit", args=[household.pk])
    body = login(users["caseworker_g1"]).post(url, {**data, "version": version}).content.decode()
    assert "您已在另一个页面(或标签页)修改过此记录" in body and "他人" not in body
    household.refresh_from_db()
    household_update(actor=users["reviewer_xuanwu"], household=household, data={"address": "别处2号"},
                     version=household.version)
    body = login(users["caseworker_g1"]).post(url, {**data, "version": version + 1}).content.decode()
    assert "该档案已被他人修改" in body


def test_approval_buttons_say_approval_once(login, users, household, drive):
    drive(household, "public_notice")
    body = login(users["reviewer_xuanwu"]).get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert ">审批建档</button>" in body and "审批建档(审批)" not in body
    assert ">不予建档(审批)</button>" in body
