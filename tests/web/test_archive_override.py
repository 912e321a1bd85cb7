"""The archive form with open disagreements from other departments' data (issue 5): the flags are shown with a
link to the file, the approver must give a 覆盖理由, and without one the service's refusal is shown."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from bangfu.cases.models import Case
from bangfu.exchange.departments.formats import FORMATS
from bangfu.exchange.models import Disagreement
from bangfu.exchange.services import department_upload, import_start

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def flagged(household, make_user):
    """人社 reports the worker, who declared himself unemployed, as employed: one open disagreement."""
    worker = household.members.get(relation="self")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FORMATS["human_resources"].headers)
    writer.writerow([worker.id_number, worker.name, "就业", "某公司", "", ""])
    officer = make_user("department_officer", "province", department="human_resources")
    job = department_upload(actor=officer, name="rs.csv", content=out.getvalue().encode("utf-8-sig"))
    assert import_start(actor=officer, job=job).state == "done"
    assert Disagreement.objects.filter(household=household, state="open").count() == 1
    return household


def archive(client, household, case, htmx=True, **data):
    data = {"archive-version": case.version, "archive-category": "hardship",
            **{f"archive-{k}": v for k, v in data.items()}}
    return client.post(reverse("web:case_move", args=[household.pk, "archive"]), data, **(HTMX if htmx else {}))


def test_the_archive_form_shows_the_open_disagreements_and_asks_for_the_override_reason(login, users, flagged,
                                                                                       drive):
    drive(flagged, "public_notice")
    body = login(users["reviewer_xuanwu"]).get(reverse("web:household_detail", args=[flagged.pk])).content.decode()
    start = body.index('data-testid="move-archive"')
    form = body[start:body.index("</form>", start)]
    assert 'data-testid="open-disagreements">1<' in form and "部门核对不一致尚未处理" in form
    assert f'{reverse("web:household_detail", args=[flagged.pk])}#verification' in form
    field = re.search(r'<textarea[^>]*name="archive-override_reason"[^>]*>', form).group(0)
    assert "required" in field and "覆盖理由(必填)" in form


def test_without_a_reason_the_services_refusal_is_shown_and_nothing_changes(login, users, flagged, drive):
    case = drive(flagged, "public_notice")
    version = case.version
    client = login(users["reviewer_xuanwu"])
    for htmx in (True, False):
        response = archive(client, flagged, case, htmx=htmx, override_reason="  ")
        if htmx:
            body = response.content.decode()
            assert response.status_code == 422 and 'data-testid="case-error"' in body
            assert "不一致尚未处理,不能审批建档" in body and 'name="archive-override_reason"' in body
        else:
            assert response.status_code == 302
            page = client.get(response["Location"]).content.decode()
            assert "不一致尚未处理,不能审批建档" in page
    case.refresh_from_db()
    flagged.refresh_from_db()
    assert case.state == "public_notice" and case.version == version and not case.approved_by
    assert flagged.status == "public_notice" and Disagreement.objects.get().state == "open"


def test_with_a_reason_the_approver_archives_and_the_flags_are_overridden(login, users, flagged, drive):
    case = drive(flagged, "public_notice")
    response = archive(login(users["reviewer_xuanwu"]), flagged, case, override_reason="已核实:临时性劳务,收入不稳定")
    assert response.status_code == 200 and response["HX-Redirect"]
    case = Case.objects.get(pk=case.pk)
    assert case.state == "archived" and case.next_review_on is not None
    flag = Disagreement.objects.get()
    assert flag.state == "overridden" and flag.note == "已核实:临时性劳务,收入不稳定"
    assert flag.resolved_by == users["reviewer_xuanwu"]


def test_without_open_disagreements_there_is_no_override_field(login, users, household, drive):
    case = drive(household, "public_notice")
    client = login(users["reviewer_xuanwu"])
    body = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert 'data-testid="move-archive"' in body and "archive-override_reason" not in body
    assert archive(client, household, case).status_code == 200
    assert Case.objects.get(pk=case.pk).state == "archived"
