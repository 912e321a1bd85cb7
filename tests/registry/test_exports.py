"""The household export says what is known: 未核定 until a case decides, choices in Chinese, ID numbers masked text."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bangfu.registry.exports import HEADERS, household_export
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db


def exported(user) -> dict[int, dict]:
    sheet = load_workbook(io.BytesIO(household_export(user=user))).active
    rows = list(sheet.iter_rows(min_row=2))
    return {row[0].value: {h: cell for h, cell in zip(HEADERS, row, strict=True)} for row in rows}


def test_a_household_not_yet_decided_is_exported_as_undecided_never_as_not_in_hardship(users, make_household):
    applying, archived = make_household(), make_household()
    Household.objects.filter(pk=archived.pk).update(verified_category="extreme_hardship", status="archived")
    rows = exported(users["caseworker_g1"])
    assert rows[applying.pk]["核定类别"].value == "未核定"
    assert rows[archived.pk]["核定类别"].value == "特困" and rows[archived.pk]["状态"].value == "已建档"
    row = rows[applying.pk]
    assert row["状态"].value == "申请" and row["申请类别"].value == "困难" and row["低保"].value in ("是", "否")
    worker = applying.members.get(relation="self")
    assert row["身份证号码"].value == worker.id_number[:4] + "*" * 10 + worker.id_number[-4:]
    assert row["身份证号码"].data_type == "s" and row["行政区划代码"].data_type == "s"
    assert row["家庭人口"].data_type == "n" and row["家庭人口"].value == 3
    assert "非困难" not in {cell.value for r in rows.values() for cell in r.values()}
