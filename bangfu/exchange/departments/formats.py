"""The file format of each department: Chinese columns, how a row becomes facts. Documented in docs/exchange-formats.md."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP

from bangfu.accounts.models import Department
from bangfu.common.errors import ValidationFailed
from bangfu.common.ids import normalise_id_number
from bangfu.policy.money import CENT
from bangfu.registry import choices as c

from ..columns import enum_value
from ..files import text
from ..models import FactKind
from ..values import code_text, half_width, parse_date, parse_decimal, parse_int, refuse_formula_cell

ID, NAME, DATE = "身份证号码", "姓名", "数据日期"


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"  # text | id | date | money | int | choice | stage | grade | uscc
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    department: str
    title: str
    columns: tuple[Col, ...]
    id_header: str = ID

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(col.header for col in self.columns)


CIVIL = ("低保", "低保边缘", "特困供养", "死亡")
CIVIL_KIND = {"低保": FactKind.DIBAO, "低保边缘": FactKind.DIBAO_EDGE, "特困供养": FactKind.EXTREME_SUPPORT,
              "死亡": FactKind.DEATH}
HR = ("登记失业", "就业", "退休")
GRADES = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "1": 1, "2": 2, "3": 3, "4": 4}

FORMATS = {
    Department.CIVIL_AFFAIRS: Format(Department.CIVIL_AFFAIRS, "民政:低保、低保边缘、特困供养、死亡", (
        Col(ID, "id", True), Col(NAME, required=True), Col("救助类别", "choice", True, CIVIL), Col("起始日期", "date"),
        Col("月救助金额(元)", "money"), Col("死亡日期", "date"), Col(DATE, "date"))),
    Department.HUMAN_RESOURCES: Format(Department.HUMAN_RESOURCES, "人社:登记失业、就业、养老金", (
        Col(ID, "id", True), Col(NAME, required=True), Col("登记状态", "choice", True, HR), Col("单位名称"),
        Col("月养老金(元)", "money"), Col(DATE, "date"))),
    Department.MEDICAL_SECURITY: Format(Department.MEDICAL_SECURITY, "医保:住院及个人自付费用", (
        Col(ID, "id", True), Col(NAME, required=True), Col("入院日期", "date", True), Col("出院日期", "date"),
        Col("医院名称"), Col("医疗总费用(元)", "money"), Col("个人自付(元)", "money", True), Col(DATE, "date"))),
    Department.EDUCATION: Format(Department.EDUCATION, "教育:在校学生及学段", (
        Col(ID, "id", True), Col(NAME, required=True), Col("学段", "stage", True), Col("年级", "int"),
        Col("学校名称"), Col("学年自付费用(元)", "money"), Col(DATE, "date"))),
    Department.HOUSING: Format(Department.HOUSING, "住建:公共租赁住房", (
        Col(ID, "id", True), Col(NAME, required=True), Col("保障方式", "choice", True, ("公共租赁住房", "租赁补贴")),
        Col("起始日期", "date"), Col("住房面积(平方米)", "money"), Col(DATE, "date"))),
    Department.DISABLED_FEDERATION: Format(Department.DISABLED_FEDERATION, "残联:残疾证及等级", (
        Col(ID, "id", True), Col(NAME, required=True), Col("残疾证号"), Col("残疾类别"),
        Col("残疾等级", "grade", True), Col(DATE, "date"))),
    Department.MARKET_REGULATION: Format(Department.MARKET_REGULATION, "市场监管:市场主体登记", (
        Col("统一社会信用代码", "uscc", True), Col("主体名称", required=True), Col("主体类型"),
        Col("经营者身份证号码", "id", True), Col("经营者姓名"), Col("成立日期", "date"),
        Col("登记状态", "choice", False, ("存续", "注销", "吊销")), Col(DATE, "date")), id_header="经营者身份证号码"),
}


def _money(value, header: str) -> str:
    amount = parse_decimal(value, header).quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValidationFailed(f"{header}不能为负数")
    return str(amount)


def convert(col: Col, value):
    refuse_formula_cell(value, col.header)
    raw = text(value)
    if raw == "":
        if col.required:
            raise ValidationFailed(f"{col.header}不能为空")
        return None
    if col.kind in ("id", "uscc"):
        raw = code_text(value, col.header)
    elif col.kind != "text":
        raw = half_width(raw)
    if col.kind == "id":
        return normalise_id_number(raw)
    if col.kind == "uscc":
        from stdnum.cn import uscc
        from stdnum.exceptions import ValidationError

        try:
            return uscc.validate(raw.upper())
        except ValidationError as exc:
            raise ValidationFailed(f"统一社会信用代码无效:{raw}") from exc
    if col.kind == "date":
        return parse_date(value, col.header).isoformat()
    if col.kind == "money":
        return _money(value, col.header)
    if col.kind == "int":
        return parse_int(value, col.header)
    if col.kind == "choice" and raw not in col.choices:
        raise ValidationFailed(f"{col.header}的取值无效:{raw}(可选:{'、'.join(col.choices)})")
    if col.kind == "stage":
        return enum_value(c.SchoolStage, raw, col.header)
    if col.kind == "grade":
        if raw not in GRADES:
            raise ValidationFailed(f"{col.header}应为一级至四级:{raw}")
        return GRADES[raw]
    return raw


def parse_row(fmt: Format, row: dict) -> tuple[dict, list[str]]:
    """The row's values by header, and its errors (one Chinese message each)."""
    values, errors = {}, []
    for col in fmt.columns:
        try:
            values[col.header] = convert(col, row.get(col.header))
        except ValidationFailed as exc:
            errors.append(exc.message)
    return values, errors
