"""The archive as a Parquet population file: ID numbers salted and hashed, the engine's offline run reads it and
agrees with the live report; refused without a salt; export rights and area apply; audited."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.django_db
SALT = "test-salt-0123456789abcdef"


def test_the_file_names_members_by_salted_hash_and_the_engine_reads_it(area, users, orgs, login, settings, tmp_path,
                                                                      capsys):
    from bangfu.audit.models import AuditEntry
    from bangfu.policy import assess_many
    from bangfu.policy import parquet as pf
    from bangfu.policy.cli import main
    from bangfu.registry.models import Member
    from bangfu.reports.entitlements import entitlement_report
    from bangfu.reports.population import id_hash
    from bangfu.standards.selectors import effective_parameters

    settings.BANGFU_EXPORT_SALT = SALT
    response = login(users["admin_province"]).get("/reports/population.parquet", {"as_of": "2025-10-01"})
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(response.content))
    households = pf.to_documents(table)
    assert len(households) == 4  # h1, h2, h4, h6: the archived households
    assert sorted(d["union"] for d in households) == ["320102", "320102", "320104", "320205"]
    archived = [area[k].pk for k in ("h1", "h2", "h4", "h6")]
    numbers = list(Member.objects.filter(household_id__in=archived, removed=False).values_list("id_number", flat=True))
    ids = set(table.column("id").to_pylist())
    assert ids == {id_hash(n, SALT) for n in numbers} and len(ids) == len(numbers)
    assert id_hash(numbers[0], SALT) != id_hash(numbers[0], SALT + "x")
    assert not any(n.encode() in response.content for n in numbers)
    row = AuditEntry.objects.get(action="population.export")
    assert row.after == {"as_of": "2025-10-01", "households": 4}
    # the engine's offline run over the file gives the live report's cash total
    path = tmp_path / "population.parquet"
    path.write_bytes(response.content)
    documents = pf.to_documents(pq.read_table(path).drop_columns(["union"]))
    assert [d["as_of"] for d in documents] == ["2025-10-01"] * 4
    live = entitlement_report(user=users["admin_province"], union=orgs["province"], as_of=datetime.date(2025, 10, 1))
    offline = sum(Decimal(str(a["total_cash"])) for a in assess_many(documents, parameters=effective_parameters()))
    assert live["total_cash"] > 0 and offline == live["total_cash"]
    assert main(["assess-table", str(path), "--no-progress", "--out", str(tmp_path / "totals.csv")]) == 0
    assert "评估户数 4" in capsys.readouterr().out


def test_refused_without_a_salt_or_the_right_and_limited_to_the_area(area, users, orgs, login, settings):
    from bangfu.audit.models import AuditEntry
    from bangfu.policy import parquet as pf

    settings.BANGFU_EXPORT_SALT = ""
    response = login(users["admin_province"]).get("/reports/population.parquet")
    assert response.status_code == 503 and "BANGFU_EXPORT_SALT" in response.content.decode()
    settings.BANGFU_EXPORT_SALT = SALT
    assert login(users["auditor_wuxi"]).get("/reports/population.parquet").status_code == 403
    assert login(users["caseworker_g1"]).get("/reports/population.parquet",
                                             {"union": orgs["nanjing"].pk}).status_code == 404
    mine = login(users["caseworker_g1"]).get("/reports/population.parquet", {"as_of": "2025-10-01"})
    assert pf.count_households(pq.read_table(io.BytesIO(mine.content))) == 2  # h1 and h2 of 玄武某企业工会
    assert login(users["admin_province"]).get("/reports/population.parquet",
                                              {"as_of": "1999-01-01"}).status_code == 422
    assert AuditEntry.objects.filter(action="population.export").count() == 1


def test_the_entitlements_page_offers_the_export_only_when_a_salt_is_set(area, users, login, settings):
    client = login(users["admin_province"])
    settings.BANGFU_EXPORT_SALT = ""
    page = client.get("/reports/entitlements/", {"as_of": "2025-10-01"}).content.decode()
    assert 'data-testid="population-export"' not in page and "测算人口文件导出未启用" in page
    settings.BANGFU_EXPORT_SALT = SALT
    page = client.get("/reports/entitlements/", {"as_of": "2025-10-01"}).content.decode()
    assert 'data-testid="population-export"' in page and "测算人口文件导出未启用" not in page
