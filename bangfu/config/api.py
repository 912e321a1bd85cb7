"""The one NinjaAPI at /api/v1/: routers of the apps, session and token auth, domain errors mapped to HTTP."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from bangfu.accounts.api import router as accounts_router
from bangfu.accounts.services import token_authenticate
from bangfu.audit.api import router as audit_router
from bangfu.cases.api import router as cases_router
from bangfu.common.errors import DomainError
from bangfu.exchange.api import router as exchange_router
from bangfu.ledger.api import router as ledger_router
from bangfu.medical.api import router as medical_router
from bangfu.policy import InputError
from bangfu.policy.answer_json import answer_json
from bangfu.policy.settlement import settle
from bangfu.programmes.api import router as programmes_router
from bangfu.registry.api import router as registry_router
from bangfu.standards.api import router as standards_router
from bangfu.standards.selectors import assessment_answer, effective_parameters


class MoneyAsNumberEncoder(NinjaJSONEncoder):
    """Amounts are Decimal inside and JSON numbers outside (the assessment format says numbers, not strings)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


class MoneyAsNumberRenderer(JSONRenderer):
    encoder_class = MoneyAsNumberEncoder


def _token_user(request: HttpRequest, key: str):
    user = token_authenticate(key) if key else None
    if user is not None:
        request.user = user
    return user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        return _token_user(request, token)


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request, key):
        return _token_user(request, key)


# What any operation may answer besides its own results, with the shape every error has ({"detail": …}).
ERROR_STATUSES = {
    "400": "请求无效(如含空字符、JSON 嵌套过深)", "401": "未登录或令牌无效", "403": "无权执行此操作",
    "404": "未找到(或不在本单位辖区内)", "409": "与他人的修改冲突(版本已变)", "413": "请求体过大",
    "422": "输入有误(说明中指出字段)", "429": "请求过于频繁,请稍后再试",
}
PUBLIC_STATUSES = ("400", "413", "422", "429")
ERROR_SCHEMA = {"type": "object", "required": ["detail"], "properties": {
    "detail": {"type": "string"}, "field": {"type": "string"}}, "additionalProperties": True}
_DECIMAL_TEXT = {"type": "string", "pattern": r"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$"}


def _money_as_number(node):
    """Decimal fields of responses are served as JSON numbers (MoneyAsNumberEncoder): say so in the schema.
    Request bodies keep pydantic's 'number or string' (an anyOf that already offers a number)."""
    if isinstance(node, dict):
        options = node.get("anyOf")
        if options and {"type": "number"} in options:
            return node
        if node.get("type") == "string" and node.get("pattern") == _DECIMAL_TEXT["pattern"]:
            return {k: v for k, v in node.items() if k != "pattern"} | {"type": "number"}
        return {k: _money_as_number(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_money_as_number(v) for v in node]
    return node


class BangfuAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's schema, with money typed as served and every error status an operation can answer declared."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"] = _money_as_number(schema.get("components", {}))
        schema["components"].setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                statuses = PUBLIC_STATUSES if not operation.get("security") else ERROR_STATUSES
                for status in statuses:
                    operation["responses"].setdefault(status, {"description": ERROR_STATUSES[status],
                                                               "content": error})
        return schema


api = BangfuAPI(
    title="帮扶 API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/v1/openapi.json",
    auth=[BearerToken(), HeaderToken(), django_auth],
    renderer=MoneyAsNumberRenderer(),
)


def _where(loc) -> str:
    """A pydantic location as a field path: ("query", "year") → year, ("body", "payload", "members", 0) → members[0]."""
    parts = [p for p in loc if p not in ("query", "body", "path", "form", "file", "payload", "filters")]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "请求"


@api.exception_handler(NinjaValidationError)
def schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """A request that does not fit the endpoint's schema (types, bounds): 422 naming the field, in Chinese."""
    problems = [{"field": _where(e.get("loc", ())), "message": _PYDANTIC_ZH.get(e.get("type"), "取值无效"),
                 "type": e.get("type")} for e in exc.errors]
    first = problems[0] if problems else {"field": "请求", "message": "取值无效"}
    body = {"detail": f"{first['field']}:{first['message']}", "field": first["field"], "errors": problems}
    return api.create_response(request, body, status=422)


_PYDANTIC_ZH = {
    "missing": "不能为空", "int_parsing": "应为整数", "int_type": "应为整数", "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大", "date_parsing": "应为日期(年-月-日)", "date_from_datetime_parsing": "应为日期(年-月-日)",
    "date_type": "应为日期(年-月-日)", "datetime_parsing": "应为日期时间", "decimal_parsing": "应为数字",
    "decimal_type": "应为数字", "bool_parsing": "应为是或否", "bool_type": "应为是或否", "string_type": "应为文本",
    "list_type": "应为列表", "dict_type": "应为对象", "model_attributes_type": "应为对象", "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "不认识的字段", "too_short": "过短", "too_long": "过长", "int_from_float": "应为整数",
    "finite_number": "应为有限的数字", "float_parsing": "应为数字", "literal_error": "取值无效",
    "enum": "取值无效", "value_error": "取值无效",
}


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    body.update(exc.extra)
    return api.create_response(request, body, status=exc.status)


@api.post("/v1/assessments", auth=None, tags=["assessments"], summary="测算一户家庭可享受的帮扶政策",
          openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
              "schema": {"type": "object", "description": "见 spec/assessment.md 的输入文档"}}}}})
def assessments(request: HttpRequest) -> HttpResponse:
    """The assessment format, exactly: the raw body goes to the engine, whose rules alone decide 200 or 422.

    It reads no household, so it needs no login, like the command line it mirrors; its figures are the
    system's (the engine's with administrators' standards, Article 24), as on the household page.
    """
    try:
        answer = assessment_answer(request.body)
    except InputError as exc:
        return JsonResponse({"detail": f"{exc.path}: {exc.message}"}, status=422)
    return HttpResponse(answer_json(answer), content_type="application/json")


@api.post("/v1/settlements", auth=None, tags=["settlements"], summary="一站式结算一张医疗费用单据(第6至12条)",
          openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
              "schema": {"type": "object", "description": "见 spec/settlement.md 的输入文档"}}}}})
def settlements(request: HttpRequest) -> HttpResponse:
    """The settlement format, exactly: like the assessment, it reads no household and needs no login; its figures
    are the system's (administrators' standards included), as on the household page's bills."""
    try:
        answer = settle(request.body, parameters=effective_parameters())
    except InputError as exc:
        return JsonResponse({"detail": f"{exc.path}: {exc.message}"}, status=422)
    return HttpResponse(answer_json(answer), content_type="application/json")


api.add_router("/v1/accounts", accounts_router)
api.add_router("/v1", registry_router)
api.add_router("/v1/audit", audit_router)
api.add_router("/v1/standards", standards_router)
api.add_router("/v1/cases", cases_router)
api.add_router("/v1/ledger", ledger_router)
api.add_router("/v1/exchange", exchange_router)
api.add_router("/v1", medical_router)
api.add_router("/v1/programmes", programmes_router)
