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


def _set(actor, **kw):
    args = {"parameter": PRICE, "region_code": "320100", "start": DAY, "value": "0.5283",
            "document": "南京市居民阶梯电价文件", **kw}
    return services.standard_value_set(actor=actor, **args)


@pytest.mark.django_db
def test_a_city_admin_confirms_a_local_figure_and_it_is_audited(users) -> None:
    row = _set(users["admin_nanjing"])
    entry = AuditEntry.objects.get(object_type="standard_value", object_id=str(row.pk))
    assert entry.action == "standard.set" and entry.after["value"] == "0.5283"
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
def test_only_admins_set_standards_and_only_in_their_area(users, user, region, allowed) -> None:
    if allowed:
        _set(users[user], region_code=region)
    else:
        with pytest.raises(AccessDenied):
            _set(users[user], region_code=region)


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), [
    ({"parameter": "no.such.parameter"}, "parameter"), ({"region_code": "110101"}, "region_code"),
    ({"value": "abc"}, "value"), ({"document": "  "}, "document"), ({"status": "maybe"}, "status"),
])
def test_bad_values_are_refused_naming_the_field(users, change, field) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _set(users["admin_province"], **change)
    assert caught.value.field == field


@pytest.mark.django_db
def test_a_raised_standard_changes_entitlements_from_its_date_only(users, make_household) -> None:
    from bangfu.registry.assessment import household_entitlements
    from bangfu.registry.services import household_verify

    household = household_verify(actor=users["reviewer_xuanwu"], household=make_household(),
                                 category="extreme_hardship")

    def electricity(day):
        answer = household_entitlements(household, day)
        return next(b for b in answer["benefits"] if b["code"] == "living.free_electricity")["amount"]

    before = electricity(datetime.date(2021, 6, 30))
    _set(users["admin_nanjing"], value="0.60", start=datetime.date(2021, 7, 1))
    assert electricity(datetime.date(2021, 6, 30)) == before == Decimal("95.09")
    assert electricity(datetime.date(2021, 7, 1)) == Decimal("108.00")


@pytest.mark.django_db
def test_changing_and_withdrawing_a_value(users) -> None:
    row = _set(users["admin_province"], parameter=DIBAO, region_code="320100", value="900")
    _set(users["admin_province"], parameter=DIBAO, region_code="320100", value="945")
    change = AuditEntry.objects.get(action="standard.change")
    assert (change.before["value"], change.after["value"]) == ("900.0000", "945.0000")
    assert selectors.effective_parameters()[DIBAO].at(DAY, "320100").value == 945
    with pytest.raises(NotFound):
        services.standard_value_withdraw(actor=users["admin_nanjing"], standard_id=
                                         _set(users["admin_province"], region_code="320200").pk)
    services.standard_value_withdraw(actor=users["admin_province"], standard_id=row.pk)
    assert selectors.effective_parameters()[DIBAO].at(DAY, "320100").value == 900  # the shipped figure again


@pytest.mark.django_db
def test_api_lists_parameters_and_sets_a_value(client, users) -> None:
    client.force_login(users["admin_nanjing"])
    names = {p["name"] for p in client.get("/api/v1/standards/parameters").json()}
    assert DIBAO in names
    ok = client.post("/api/v1/standards", {"parameter": DIBAO, "region_code": "320100", "start": "2020-07-01",
                                           "value": "945", "document": "宁民发〔2020〕1号"},
                     content_type="application/json")
    assert ok.status_code == 201, ok.content
    bad = client.post("/api/v1/standards", {"parameter": DIBAO, "region_code": "320200", "start": "2020-07-01",
                                            "value": "945", "document": "x"}, content_type="application/json")
    assert bad.status_code == 403
    listed = client.get("/api/v1/standards").json()
    assert [r["region_code"] for r in listed] == ["320100"]


@pytest.mark.django_db
def test_withdrawing_outside_the_area_looks_like_a_missing_value(users, make_user) -> None:
    """404 whether the value lies in another area or does not exist; 403 only for a non-admin inside the area."""
    wuxi = _set(users["admin_province"], region_code="320200")
    nanjing = _set(users["admin_province"], region_code="320100", start=datetime.date(2020, 1, 1))
    for missing in (wuxi.pk, 999_999):
        with pytest.raises(NotFound):
            services.standard_value_withdraw(actor=users["admin_nanjing"], standard_id=missing)
    with pytest.raises(NotFound):
        services.standard_value_withdraw(actor=users["caseworker_g4"], standard_id=nanjing.pk)
    with pytest.raises(AccessDenied):
        services.standard_value_withdraw(actor=make_user("auditor", "nanjing", "auditor_nj"), standard_id=nanjing.pk)
    services.standard_value_withdraw(actor=users["admin_nanjing"], standard_id=nanjing.pk)
    assert not StandardValue.objects.filter(pk=nanjing.pk).exists()
