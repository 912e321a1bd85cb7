"""The household file's cards kept in the shared cache (issue 19): read, not rendered, while nothing in the household's
area changes; a change made through a service (a member, an income, a case move, a measure, a payment, a standard
above the area) shows on the very next view; another area's user never sees them, each role sees its own buttons, and
each viewer's forms carry their own CSRF token."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.cases import services as cases
from bangfu.cases.selectors import case_current
from bangfu.common import clock
from bangfu.ledger import services as ledger
from bangfu.registry import services as registry
from bangfu.standards import services as standards

pytestmark = pytest.mark.django_db
TODAY = clock.today()
LAST_MONTH = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def view(client, household) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("web:household_detail", args=[household.pk]))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def tokenless(body: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", body)


def rendered(queries: list[str]) -> bool:
    """Whether the view rendered the cards (read the household's members for them) rather than took them kept."""
    return any('FROM "registry_member"' in q for q in queries)


def test_kept_until_a_member_is_changed(login, users, household):
    client = login(users["caseworker_g1"])
    body, first = view(client, household)
    assert rendered(first)
    again, second = view(client, household)
    assert not rendered(second) and len(second) < len(first), second
    assert tokenless(again) == tokenless(body)
    child = household.members.get(relation="child")
    registry.member_update(actor=users["caseworker_g1"], member=child, data={"name": "王小明改"},
                           version=child.version)
    body, third = view(client, household)
    assert rendered(third) and "王小明改" in body


def test_an_income_recorded_shows_on_the_next_view(login, users, household):
    client = login(users["caseworker_g1"])
    view(client, household)
    view(client, household)
    registry.income_set(actor=users["caseworker_g1"], household=household, month=LAST_MONTH, source="wages",
                        amount=Decimal("4321.09"))
    assert "4,321.09" in view(client, household)[0]


def test_a_case_archived_ends_the_preview(login, users, household, drive):
    case = drive(household, "public_notice")
    client = login(users["caseworker_g1"])
    assert "该户尚未核定" in view(client, household)[0]
    assert "该户尚未核定" in view(client, household)[0]  # kept
    cases.case_archive(actor=users["reviewer_xuanwu"], case=case, version=case.version, category="hardship")
    assert "该户尚未核定" not in view(client, household)[0]


def test_a_measure_and_a_payment_render_the_cards_anew(login, users, household, drive):
    drive(household, "archived")
    household.refresh_from_db()
    client = login(users["caseworker_g1"])
    view(client, household)
    assert not rendered(view(client, household)[1])
    case = case_current(user=users["caseworker_g1"], household_id=household.pk)
    plan = cases.plan_create(actor=users["caseworker_g1"], case=case, year=TODAY.year)
    cases.measure_create(actor=users["caseworker_g1"], plan=plan, kind="donation", title="助学捐赠",
                         owner=users["caseworker_g1"], due_on=TODAY)
    assert rendered(view(client, household)[1])
    assert not rendered(view(client, household)[1])
    request = ledger.ledger_request_payment(actor=users["caseworker_g1"], household=household, amount="300.10",
                                            fund_source="fiscal", paid_on=TODAY, description="助学金")[0]
    ledger.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=request)
    assert rendered(view(client, household)[1])


def proposal(body: str) -> str:
    return body.split('data-testid="proposal">', 1)[1].split("</div>", 1)[0]


def test_a_dibao_standard_set_above_the_area_shows_on_the_next_view(login, users, household):
    """Wages of 3,000 a month for three: above twice 南京's 低保 line, then far below a line of 20,000."""
    registry.income_set(actor=users["caseworker_g1"], household=household, month=LAST_MONTH, source="wages",
                        amount=Decimal("3000"))
    client = login(users["caseworker_g1"])
    before = proposal(view(client, household)[0])
    assert proposal(view(client, household)[0]) == before and "特困" not in before
    # 南京's 低保 standard, set by the city and approved by the province: audited above 玄武's union
    proposed = standards.standard_request_propose(
        actor=users["admin_nanjing"], parameter="sync.dibao.standard", region_code="320100",
        start=datetime.date(2020, 1, 1), value="20000", document="南京市城市低保标准(测试)", note="")
    standards.standard_request_approve(actor=users["admin_province"], request_id=proposed.pk)
    assert "特困" in proposal(view(client, household)[0])


def test_another_area_never_sees_the_kept_cards_and_each_role_its_own_buttons(login, users, household):
    member = household.members.get(relation="self")
    edit = reverse("web:member_edit", args=[member.pk])
    caseworker = view(login(users["caseworker_g1"]), household)[0]
    assert edit in caseworker
    for other in ("caseworker_g4", "caseworker_g2"):  # another city; 玄武's other union
        response = login(users[other]).get(reverse("web:household_detail", args=[household.pk]))
        assert response.status_code == 404
    auditor = view(login(users["auditor_province"]), household)[0]
    assert member.name in auditor and edit not in auditor


def test_each_viewer_posts_the_kept_forms_with_their_own_token(users, household, make_user):
    """The cards are kept with a slot for the CSRF token, filled per request: a second caseworker, reading the
    cards the first one's view rendered, posts their income form with the token it holds."""
    from bangfu.web.views import households as views

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(users["caseworker_g1"])
    second.force_login(make_user("caseworker", "g1", "caseworker_g1_second"))
    url = reverse("web:household_detail", args=[household.pk])
    assert first.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        body = second.get(url).content.decode()
    assert not rendered([q["sql"] for q in captured.captured_queries])  # the cards the first view kept
    assert views.csrf_slot() not in body
    action = reverse("web:income_set", args=[household.pk])
    form = body.split(f'action="{action}"', 1)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = second.post(action, {"csrfmiddlewaretoken": token, "month": LAST_MONTH.strftime("%Y-%m"),
                                    "source": "wages", "amount": "1234.56"})
    assert response.status_code == 302
    assert household.incomes.get(month=LAST_MONTH).amount == Decimal("1234.56")


def test_a_change_saved_while_the_view_reads_the_household_is_not_kept_stale(login, users, household, monkeypatch):
    """A change committed after the view read the household but before the area's stamp was read (another user's
    save, a moment apart) moves the stamp: the cards kept under it must show the change, not the household read
    before it (else the stale cards are shown until the next change in the area, or for CACHE_SECONDS)."""
    from bangfu.web.views import households as views

    kept = views.cached_figures

    def saved_meanwhile(key, union, compute):
        fresh = household.__class__.objects.get(pk=household.pk)
        registry.household_update(actor=users["caseworker_g1"], household=fresh, data={"address": "中山路99号"},
                                  version=fresh.version)
        monkeypatch.setattr(views, "cached_figures", kept)
        return kept(key, union, compute)

    monkeypatch.setattr(views, "cached_figures", saved_meanwhile)
    client = login(users["caseworker_g1"])
    view(client, household)  # renders the cards while the address is saved
    body, queries = view(client, household)
    assert not rendered(queries)  # nothing changed since: the kept cards
    assert "中山路99号" in body.split('id="facts-title"', 1)[1]


def test_a_note_holding_the_token_slots_name_is_shown_as_written(login, users, household):
    """The slot the viewer's CSRF token is put in must not be text a user can type into a household's data: a note
    reading as the slot would show each viewer their token in its place (and no longer the note)."""
    registry.household_update(actor=users["caseworker_g1"], household=household,
                              data={"notes": "备注 bangfu-csrf-token-slot"}, version=household.version)
    body = view(login(users["caseworker_g1"]), household)[0]
    facts = body.split('id="facts-title"', 1)[1].split("</dl>", 1)[0]
    assert "备注 bangfu-csrf-token-slot" in facts


def test_another_date_asked_for_is_rendered_each_time(login, users, household):
    """Only today's cards are kept: a key per date asked for would let anyone fill the cache."""
    client = login(users["caseworker_g1"])
    url = reverse("web:household_detail", args=[household.pk])
    for query in ({"as_of": "2025-03-01"}, {"medical_year": TODAY.year - 1}):
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, query).status_code == 200
            assert rendered([q["sql"] for q in captured.captured_queries])
    view(client, household)
    assert not rendered(view(client, household)[1])
    assert not rendered(view_as_of_today(client, household))


def view_as_of_today(client, household) -> list[str]:
    """Today's date asked for by name: the cards kept."""
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("web:household_detail", args=[household.pk]), {"as_of": TODAY.isoformat()})
    return [q["sql"] for q in captured.captured_queries]


def test_a_new_release_renders_the_cards_anew(login, users, household, monkeypatch):
    """Two releases side by side during a deployment: neither serves the cards the other rendered."""
    from bangfu.web.views import households as views

    client = login(users["caseworker_g1"])
    view(client, household)
    assert not rendered(view(client, household)[1])
    monkeypatch.setattr(views, "code_fingerprint", lambda: "another-release")
    assert rendered(view(client, household)[1])
    assert not rendered(view(client, household)[1])


def test_the_code_fingerprint_follows_the_packages_code_and_templates(tmp_path):
    from bangfu.common.cache import fingerprint

    (tmp_path / "web").mkdir()
    (tmp_path / "views.py").write_text("x = 1\n")
    (tmp_path / "web" / "_cards.html").write_text("<p>{{ x }}</p>")
    first = fingerprint(tmp_path)
    (tmp_path / "notes.txt").write_text("not code")
    assert fingerprint(tmp_path) == first
    (tmp_path / "web" / "_cards.html").write_text("<p>{{ y }}</p>")
    changed = fingerprint(tmp_path)
    assert changed != first
    (tmp_path / "views.py").write_text("x = 2\n")
    assert fingerprint(tmp_path) not in (first, changed)
