"""Administrators' standard values: who may set them, the audit row, and every assessment using them."""

import datetime
from decimal import Decimal

import pytest

from bangfu.audit.models import AuditEntry
from bangfu.common.errors import AccessDenied, NotFound, ValidationFailed
from bangfu.standards import selectors, services
from bangfu.standards.models import StandardValue

PRICE = "living.utilities.electricity_price"
DIBAO = "sync.dibao.standard"
DAY = datetime.date(2019, 1, 10)


def _args(**kw) -> dict:
    return {"parameter": PRICE, "region_code": "320100", "start": DAY, "value": "0.5283",
            "document": "南京市居民阶梯电价文件", **kw}


@pytest.fixture
def second_admin(make_user):
    """A second administrator of the province: the four eyes need two people at every level."""
    return make_user("admin", "province", "admin2_province")


@pytest.fixture
def setter(users, second_admin):
    """`_set(actor, **fields)`: `actor` proposes and a second administrator over the area approves."""
    def do(actor, **kw):
        request = services.standard_request_propose(actor=actor, **_args(**kw))
        approver = second_admin if actor == users["admin_province"] else users["admin_province"]
        return services.standard_request_approve(actor=approver, request_id=request.pk)
    return do


def _withdraw(actor, approver, standard_id: int) -> None:
    request = services.standard_request_withdraw(actor=actor, standard_id=standard_id)
    services.standard_request_approve(actor=approver, request_id=request.pk)


@pytest.mark.django_db
def test_a_city_admin_confirms_a_local_figure_and_it_is_audited(users, setter) -> None:
    row = setter(users["admin_nanjing"])
    entry = AuditEntry.objects.get(object_type="standard_value", object_id=str(row.pk))
    assert entry.action == "standard.set" and entry.after["value"] == "0.5283"
    assert entry.actor == users["admin_province"] and row.created_by == users["admin_nanjing"]
    assert list(AuditEntry.objects.filter(object_type="standard_request").values_list("action", flat=True)
                .order_by("id")) == ["standard.propose", "standard.approve"]
    value = selectors.effective_parameters()[PRICE].at(datetime.date(2020, 1, 1), "320102")
    assert value.value == pytest.approx(0.5283) and not value.illustrative
    # Elsewhere the shipped illustrative figure still applies.
    assert selectors.effective_parameters()[PRICE].at(datetime.date(2020, 1, 1), "320205").illustrative


@pytest.mark.django_db
@pytest.mark.parametrize(("user", "region", "allowed"), [
    ("admin_nanjing", "320100", True), ("admin_nanjing", "320102", True),
    ("admin_nanjing", "320200", False), ("admin_nanjing", "320000", False),
    ("admin_province", "320205", True), ("admin_province", "320000", True),
    ("caseworker_g1", "320102", False), ("reviewer_xuanwu", "320102", False),
    ("auditor_province", "320000", False), ("officer", "320000", False),
])
def test_only_admins_propose_standards_and_only_in_their_area(users, user, region, allowed) -> None:
    if allowed:
        services.standard_request_propose(actor=users[user], **_args(region_code=region))
    else:
        with pytest.raises(AccessDenied):
            services.standard_request_propose(actor=users[user], **_args(region_code=region))


@pytest.mark.django_db
@pytest.mark.parametrize(("approver", "outcome"), [
    ("admin_nanjing", AccessDenied),  # the proposer: four eyes
    ("admin_wuxi", NotFound),  # another city's administrator does not see it
    ("reviewer_xuanwu", NotFound), ("caseworker_g1", NotFound), ("auditor_province", AccessDenied),
    ("admin_province", None),
])
def test_a_second_administrator_over_the_area_approves(users, make_user, approver, outcome) -> None:
    users = {**users, "admin_wuxi": make_user("admin", "wuxi", "admin_wuxi")}
    request = services.standard_request_propose(actor=users["admin_nanjing"], **_args())
    if outcome is None:
        services.standard_request_approve(actor=users[approver], request_id=request.pk)
        assert StandardValue.objects.get().value == Decimal("0.5283")
        with pytest.raises(ValidationFailed, match="已审批生效"):
            services.standard_request_approve(actor=users[approver], request_id=request.pk)
    else:
        with pytest.raises(outcome):
            services.standard_request_approve(actor=users[approver], request_id=request.pk)
        assert not StandardValue.objects.exists(), "nothing changes before a second person approves"


@pytest.mark.django_db
def test_a_rejected_proposal_changes_nothing_and_needs_a_reason(users) -> None:
    request = services.standard_request_propose(actor=users["admin_nanjing"], **_args(value="0.9"))
    with pytest.raises(ValidationFailed) as caught:
        services.standard_request_reject(actor=users["admin_province"], request_id=request.pk, reason=" ")
    assert caught.value.field == "reason"
    services.standard_request_reject(actor=users["admin_province"], request_id=request.pk, reason="文件未印发")
    assert not StandardValue.objects.exists()
    assert AuditEntry.objects.filter(action="standard.reject", object_id=str(request.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), [
    ({"parameter": "no.such.parameter"}, "parameter"), ({"region_code": "110101"}, "region_code"),
    ({"value": "abc"}, "value"), ({"document": "  "}, "document"), ({"status": "maybe"}, "status"),
])
def test_bad_values_are_refused_naming_the_field(users, change, field) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.standard_request_propose(actor=users["admin_province"], **_args(**change))
    assert caught.value.field == field


@pytest.mark.django_db
def test_a_raised_standard_changes_entitlements_from_its_date_only(users, make_household, setter) -> None:
    from bangfu.cases.services import case_take_over
    from bangfu.registry.assessment import household_entitlements

    household = make_household()
    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="extreme_hardship")
    household.refresh_from_db()

    def electricity(day):
        answer = household_entitlements(household, day)
        return next(b for b in answer["benefits"] if b["code"] == "living.free_electricity")["amount"]

    before = electricity(datetime.date(2021, 6, 30))
    setter(users["admin_nanjing"], value="0.60", start=datetime.date(2021, 7, 1))
    assert electricity(datetime.date(2021, 6, 30)) == before == Decimal("95.09")
    assert electricity(datetime.date(2021, 7, 1)) == Decimal("108.00")


@pytest.mark.django_db
def test_changing_and_withdrawing_a_value(users, setter, second_admin) -> None:
    _set = setter
    row = _set(users["admin_province"], parameter=DIBAO, region_code="320100", value="900")
    _set(users["admin_province"], parameter=DIBAO, region_code="320100", value="945")
    change = AuditEntry.objects.get(action="standard.change")
    assert (change.before["value"], change.after["value"]) == ("900.0000", "945.0000")
    assert selectors.effective_parameters()[DIBAO].at(DAY, "320100").value == 945
    with pytest.raises(NotFound):
        services.standard_request_withdraw(actor=users["admin_nanjing"], standard_id=
                                           _set(users["admin_province"], region_code="320200").pk)
    _withdraw(users["admin_province"], second_admin, row.pk)
    assert selectors.effective_parameters()[DIBAO].at(DAY, "320100").value == 900  # the shipped figure again


@pytest.mark.django_db
def test_api_lists_parameters_and_proposes_and_approves_a_value(client, users) -> None:
    client.force_login(users["admin_nanjing"])
    names = {p["name"] for p in client.get("/api/v1/standards/parameters").json()}
    assert DIBAO in names
    ok = client.post("/api/v1/standards", {"parameter": DIBAO, "region_code": "320100", "start": "2020-07-01",
                                           "value": "945", "document": "宁民发〔2020〕1号"},
                     content_type="application/json")
    assert ok.status_code == 201 and ok.json()["state"] == "pending", ok.content
    own = client.post(f"/api/v1/standards/requests/{ok.json()['id']}/approve", {}, content_type="application/json")
    assert own.status_code == 403 and "双人审核" in own.json()["detail"]
    client.force_login(users["admin_province"])
    approved = client.post(f"/api/v1/standards/requests/{ok.json()['id']}/approve", {},
                           content_type="application/json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved", approved.content
    client.force_login(users["admin_nanjing"])
    bad = client.post("/api/v1/standards", {"parameter": DIBAO, "region_code": "320200", "start": "2020-07-01",
                                            "value": "945", "document": "x"}, content_type="application/json")
    assert bad.status_code == 403
    listed = client.get("/api/v1/standards").json()
    assert [r["region_code"] for r in listed] == ["320100"]


@pytest.mark.django_db
def test_withdrawing_outside_the_area_looks_like_a_missing_value(users, make_user, setter) -> None:
    """404 whether the value lies in another area or does not exist; 403 only for a non-admin inside the area."""
    wuxi = setter(users["admin_province"], region_code="320200")
    nanjing = setter(users["admin_province"], region_code="320100", start=datetime.date(2020, 1, 1))
    for missing in (wuxi.pk, 999_999):
        with pytest.raises(NotFound):
            services.standard_request_withdraw(actor=users["admin_nanjing"], standard_id=missing)
    with pytest.raises(NotFound):
        services.standard_request_withdraw(actor=users["caseworker_g4"], standard_id=nanjing.pk)
    with pytest.raises(AccessDenied):
        services.standard_request_withdraw(actor=make_user("auditor", "nanjing", "auditor_nj"),
                                           standard_id=nanjing.pk)
    _withdraw(users["admin_nanjing"], users["admin_province"], nanjing.pk)
    assert not StandardValue.objects.filter(pk=nanjing.pk).exists()


@pytest.mark.django_db
def test_api_lists_rejects_and_withdraws_through_proposals(client, users, setter) -> None:
    value = setter(users["admin_nanjing"], parameter=DIBAO, value="945")
    client.force_login(users["admin_nanjing"])
    withdraw = client.delete(f"/api/v1/standards/{value.pk}")
    assert withdraw.status_code == 201 and withdraw.json()["kind"] == "withdraw", withdraw.content
    assert client.delete("/api/v1/standards/999999").status_code == 404
    pending = client.get("/api/v1/standards/requests", {"state": "pending"}).json()
    assert [r["id"] for r in pending] == [withdraw.json()["id"]]
    client.force_login(users["admin_province"])
    url = f"/api/v1/standards/requests/{withdraw.json()['id']}/reject"
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 422
    rejected = client.post(url, {"reason": "仍在执行"}, content_type="application/json")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    assert StandardValue.objects.filter(pk=value.pk).exists(), "a rejected withdrawal leaves the value"
    client.force_login(users["caseworker_g1"])
    response = client.get("/api/v1/standards/requests")
    assert response.status_code == 200, (response.status_code, response.content[:300])
    assert response.json() == []
