"""The household import format: Chinese headers, their fields, and turning one row into the form's data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bangfu.common.errors import ValidationFailed
from bangfu.registry import choices as c

from .files import text
from .values import code_text, half_width, parse_decimal, parse_int, refuse_formula_cell

HOUSEHOLD_SHEET, MEMBER_SHEET, ERROR_HEADER = "家庭", "成员", "错误"
NUMBER = "户编号"
OUTCOME_HEADER = "处理结果"  # the result file's column of what happened to each row, beside 错误
# The templates' example rows carry this 户编号; the import skips them, so a template filled below them imports as is.
EXAMPLE_NUMBER = "示例"
YES, NO = ("是", "yes", "true", "1", "y"), ("否", "no", "false", "0", "n", "")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text | enum | bool | decimal | int | causes | id | phone
    enum: type | None = None
    required: bool = False
    width: int = 14


HOUSEHOLD_COLUMNS = (
    Column(NUMBER, "number", required=True, width=10),
    Column("所属工会代码", "union_code", width=16),
    Column("行政区划代码", "region_code", required=True),
    Column("家庭住址", "address", required=True, width=30),
    Column("联系电话", "phone", "phone"),
    Column("申请类别", "proposed_category", "enum", c.Category),
    Column("致困原因", "hardship_causes", "causes", c.Cause, width=20),
    Column("享受城市低保", "dibao", "bool"),
    Column("低保边缘户", "dibao_edge", "bool"),
    Column("有自有住房", "owns_housing", "bool"),
    Column("住房面积(平方米)", "housing_area_m2", "decimal"),
    Column("有机动车", "has_vehicle", "bool"),
    Column("金融资产(元)", "financial_assets", "decimal"),
    Column("备注", "notes", width=20),
)
MEMBER_COLUMNS = (
    Column(NUMBER, "number", required=True, width=10),
    Column("姓名", "name", required=True),
    Column("身份证号码", "id_number", "id", required=True, width=22),
    Column("与职工本人关系", "relation", "enum", c.Relation, required=True),
    Column("手机号码", "phone", "phone"),
    Column("就业状况", "employment", "enum", c.Employment),
    Column("工作单位", "employer", width=20),
    Column("劳动能力", "work_ability", "enum", c.WorkAbility),
    Column("健康状况", "health", "enum", c.Health),
    Column("残疾等级", "disability_grade", "int"),
    Column("大重病患者", "serious_illness", "bool"),
    Column("学段", "school_stage", "enum", c.SchoolStage),
    Column("年级", "school_year", "int"),
    Column("学校性质", "school_institution", "enum", c.Institution),
    Column("学校名称", "school_name", width=20),
)

# One example household in the templates (a worker and a child), every value as a person would type it.
EXAMPLE_HOUSEHOLD = {NUMBER: EXAMPLE_NUMBER, "所属工会代码": "", "行政区划代码": "320102",
                     "家庭住址": "南京市玄武区示例路1号1栋101室", "联系电话": "13900000000", "申请类别": "困难",
                     "致困原因": "因病、因学", "享受城市低保": "否", "低保边缘户": "否", "有自有住房": "是",
                     "住房面积(平方米)": "45.5", "有机动车": "否", "金融资产(元)": "2000", "备注": "示例行,导入时跳过"}
EXAMPLE_MEMBERS = (
    {NUMBER: EXAMPLE_NUMBER, "姓名": "张示例", "身份证号码": "320102198001010112", "与职工本人关系": "本人",
     "手机号码": "13900000000", "就业状况": "在业", "工作单位": "南京示例有限公司", "劳动能力": "有劳动能力",
     "健康状况": "慢性病", "大重病患者": "否"},
    {NUMBER: EXAMPLE_NUMBER, "姓名": "张小例", "身份证号码": "320102201209010124", "与职工本人关系": "子女",
     "就业状况": "在校学生", "劳动能力": "有劳动能力", "健康状况": "健康", "大重病患者": "否", "学段": "初中",
     "年级": "2", "学校性质": "公办", "学校名称": "南京市示例中学"},
)


def is_example(row: dict) -> bool:
    return str(row.get(NUMBER) or "").strip() == EXAMPLE_NUMBER


@cache
def _lookup(enum) -> dict[str, str]:
    """Codes and Chinese labels → code (Django builds `values` afresh on every access: too slow per cell)."""
    return {**{value: value for value in enum.values}, **{label: value for value, label in enum.choices}}


def enum_value(enum, raw: str, header: str) -> str:
    """A code from its Chinese label (as the template's list offers) or from the code itself."""
    found = _lookup(enum).get(raw)
    if found is None:
        raise ValidationFailed(f"{header}的取值无效:{raw}(可选:{'、'.join(label for _, label in enum.choices)})")
    return found


def _bool(raw: str, header: str) -> bool:
    low = raw.lower()
    if low in YES:
        return True
    if low in NO:
        return False
    raise ValidationFailed(f"{header}应填“是”或“否”:{raw}")


def convert(column: Column, value):
    """One cell as the form's value; ValidationFailed with a Chinese message on a wrong type."""
    refuse_formula_cell(value, column.header)
    raw = text(value)
    if column.required and raw == "":
        raise ValidationFailed(f"{column.header}不能为空")
    if raw and column.kind == "id":
        return code_text(value, column.header)
    if raw and column.kind not in ("text", "enum", "causes"):
        raw = half_width(raw)
    if column.kind == "enum":
        return enum_value(column.enum, raw, column.header) if raw else ""
    if column.kind == "causes":
        parts = [p for p in raw.replace(",", "、").replace(",", "、").split("、") if p.strip()]
        return [enum_value(column.enum, p.strip(), column.header) for p in parts]
    if column.kind == "bool":
        return _bool(raw, column.header)
    if column.kind == "int":
        return parse_int(value, column.header) if raw else None
    if column.kind == "decimal" and raw:
        return str(parse_decimal(value, column.header))
    return raw


def row_data(columns: tuple[Column, ...], row: dict) -> tuple[dict, list[str]]:
    """The row's form data (only the columns present and filled) and its errors, one Chinese message each."""
    data, errors = {}, []
    if row.get("__extra__"):
        errors.append("该行的列数多于表头")
    for column in columns:
        if column.header not in row and not column.required:
            continue
        try:
            value = convert(column, row.get(column.header))
        except ValidationFailed as exc:
            errors.append(exc.message)
            continue
        if value in ("", None) and column.kind not in ("bool",) and not column.required:
            continue
        if column.kind == "bool" and text(row.get(column.header)) == "":
            continue
        data[column.field] = value
    return data, errors
