"""Programme pages: programmes, a programme's rounds and chart, a round's list and its steps, 签领表, payees."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.access import CHANGE, EXPORT, SET_BUDGET, VIEW, may
from bangfu.accounts.selectors import organisation_list
from bangfu.audit.labels import action_label as audit_action_label
from bangfu.common import clock
from bangfu.common.errors import Conflict, DomainError, NotFound
from bangfu.programmes import selectors, services
from bangfu.programmes.exports import round_export
from bangfu.programmes.models import BankFormat, Delivery, Exclusion, LineState, RoundState, mask_account
from bangfu.registry import selectors as registry

from ..access import page
from ..casework import conflict_rows
from ..errors import stale_message
from ..forms.programmes import AdjustForm, PayeeForm, ProgrammeForm, ReturnFileForm, RoundForm
from ..selectors import may_approve_item

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABS = {"included": ("纳入", {"included": True}), "excluded": ("未纳入", {"included": False}),
        "failed": ("发放失败", {"state": LineState.FAILED}), "paid": ("已发放", {"state": LineState.PAID}),
        "open": ("待发放", {"state": LineState.OPEN, "included": True})}


def _download(content: bytes, name: str, kind: str = "xlsx") -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX if kind == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _fail(request, exc: DomainError) -> None:
    messages.error(request, stale_message(exc, request.user))  # "他人" only when someone else saved
    changes = exc.extra.get("changes", [])  # a stale step refused: what was saved since the page was read
    for change, row in zip(changes, conflict_rows(changes, user=request.user), strict=True):
        at = timezone.localtime(row["at"])
        messages.warning(request, f"此后已保存的修改:{at:%Y-%m-%d %H:%M} {row['actor']} "
                                  f"{audit_action_label(change['action'])}")
    for warning in exc.extra.get("warnings", []):
        messages.warning(request, f"预算提醒:{warning}")


@page(VIEW)
def programme_list(request):
    user = request.user
    unions = list(organisation_list(user=user).exclude(level="grassroots")) if may(user, SET_BUDGET) else []
    form = ProgrammeForm(request.POST or None, unions=unions, formats=BankFormat.objects.all())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        union = next(u for u in unions if u.pk == data.pop("union"))
        fmt = BankFormat.objects.filter(pk=data.pop("bank_format")).first()
        try:
            programme = services.programme_create(actor=user, union=union, bank_format=fmt, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已设立项目「{programme.name}」。")
            return redirect("web:programme_detail", pk=programme.pk)
    context = {"programmes": list(selectors.programme_list(user=user).order_by("union__path", "name")),
               "waiting": selectors.rounds_waiting(user=user, listed=True), "form": form if unions else None}
    return render(request, "web/programmes/list.html", context, status=422 if form.errors else 200)


@page(VIEW)
def programme_detail(request, pk: int):
    user = request.user
    programme = selectors.programme_get(user=user, pk=pk)
    unions = [u for u in organisation_list(user=user) if u.path.startswith(programme.union.path)]
    form = RoundForm(request.POST or None, unions=unions, initial={"paid_on": clock.today()})
    if request.method == "POST":
        if not may(user, CHANGE):
            raise NotFound("未找到该页面")
        if form.is_valid():
            data = form.cleaned_data
            union = next(u for u in unions if u.pk == data["union"])
            try:
                round_ = services.round_create(actor=user, programme=programme, union=union, paid_on=data["paid_on"],
                                               period_day=data["period_day"], title=data["title"])
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"发放名单正在后台生成(共{round_.job_total // 2}户),完成后本页显示名单。"
                                 if round_.job_state else "已生成发放名单,请核对后提交审核。")
                return redirect("web:round_detail", pk=round_.pk)
    context = {"programme": programme, "rounds": list(selectors.round_list(user=user, programme=programme)),
               "form": form if may(user, "add") and unions else None,
               "chart": selectors.programme_series(user=user, programme=programme)}
    return render(request, "web/programmes/programme.html", context, status=422 if form.errors else 200)


def _round_context(request, round_) -> dict:
    user = request.user
    tab = request.GET.get("tab", "included")
    label, filters = TABS.get(tab, TABS["included"])
    lines = selectors.line_list(user=user, round_=round_, exclusion=request.GET.get("exclusion", ""), **filters)
    paged = Paginator(lines.only("id", "household_id", "period_key", "included", "exclusion", "reason", "amount",
                                 "computed_amount", "adjust_reason", "state", "payee_name", "account_number",
                                 "bank_name", "bank_reason", "version", "round_id"), 50)
    page_obj = paged.get_page(request.GET.get("page"))
    draft = round_.state == RoundState.DRAFT and round_.job_state not in ("queued", "running")
    return {
        "round": round_, "programme": round_.programme, "tab": tab, "tabs": [(k, v[0]) for k, v in TABS.items()],
        "page_obj": page_obj, "lines": [(x, mask_account(x.account_number)) for x in page_obj],
        "report": selectors.round_report(round_=round_), "exclusions": Exclusion.choices,
        "can_change": may(user, CHANGE) and draft, "draft": draft,
        "can_submit": may(user, CHANGE) and draft,
        "can_approve": round_.state == RoundState.SUBMITTED and may_approve_item(
            user, round_.union, {round_.submitted_by_id, round_.prepared_by_id}),
        "can_pay": may(user, CHANGE) and round_.state == RoundState.APPROVED,
        "can_export": may(user, EXPORT), "bank": round_.programme.delivery == Delivery.BANK,
        "reconciliations": list(selectors.reconciliation_list(user=user, round_=round_)),
        "return_form": ReturnFileForm(),
    }


@page(VIEW)
def round_detail(request, pk: int):
    round_ = selectors.round_get(user=request.user, pk=pk)
    return render(request, "web/programmes/round.html", _round_context(request, round_))


def _round_step(request, pk: int, step):
    round_ = selectors.round_get(user=request.user, pk=pk)
    try:
        message = step(round_)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, message)
    return redirect("web:round_detail", pk=pk)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@require_POST
@page(CHANGE)
def round_prepare(request, pk: int):
    def step(r):
        counts = services.round_prepare(actor=request.user, round_=r, version=_version(request))
        if "queued" in counts:
            return f"发放名单正在后台重新生成(共{counts['queued']}户),完成后本页显示名单。"
        return f"已重新生成名单:纳入{counts.get('included', 0)}户。"
    return _round_step(request, pk, step)


@require_POST
@page(CHANGE)
def round_discard(request, pk: int):
    round_ = selectors.round_get(user=request.user, pk=pk)
    try:
        services.round_discard(actor=request.user, round_=round_, version=_version(request))
    except DomainError as exc:
        _fail(request, exc)
        return redirect("web:round_detail", pk=pk)
    messages.success(request, "已作废该批次。")
    return redirect("web:programme_detail", pk=round_.programme_id)


@require_POST
@page(CHANGE)
def round_submit(request, pk: int):
    def step(r):
        r = services.round_submit(actor=request.user, round_=r, version=_version(request))
        return f"已提交,待{r.approver_union.name}的审核人审核。"
    return _round_step(request, pk, step)


@require_POST
@page(VIEW)
def round_approve(request, pk: int):
    def step(r):
        r, warnings = services.round_approve(actor=request.user, round_=r, version=_version(request),
                                             reason=request.POST.get("reason", ""))
        for warning in warnings:
            messages.warning(request, f"预算提醒:{warning}")
        return "已审核通过。银行发放成功后记入台账。"
    return _round_step(request, pk, step)


@require_POST
@page(VIEW)
def round_reject(request, pk: int):
    def step(r):
        services.round_reject(actor=request.user, round_=r, version=_version(request),
                              reason=request.POST.get("reason", ""))
        return "已退回经办人。"
    return _round_step(request, pk, step)


@require_POST
@page(CHANGE)
def line_adjust(request, pk: int):
    line = selectors.line_get(user=request.user, pk=pk)
    form = AdjustForm(request.POST)
    if not form.is_valid():
        messages.error(request, "调整原因:须填写" if "reason" in form.errors else "发放金额无效")
    else:
        data = form.cleaned_data
        try:
            services.line_adjust(actor=request.user, line=line, version=data["version"], reason=data["reason"],
                                 amount=data["amount"], include=not data["exclude"])
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"已调整{line.household_id}号家庭的发放明细。")
    tab = request.POST.get("tab", "") if request.POST.get("tab", "") in TABS else "included"
    page_no = request.POST.get("page", "1")
    return redirect(f"{reverse('web:round_detail', args=[line.round_id])}?tab={tab}"
                    f"&page={int(page_no) if page_no.isdigit() else 1}")


@page(EXPORT)
def bank_file(request, pk: int, kind: str):
    round_ = selectors.round_get(user=request.user, pk=pk)
    try:
        content, name = services.round_bank_file(actor=request.user, round_=round_, kind=kind)
    except DomainError as exc:
        _fail(request, exc)
        return redirect("web:round_detail", pk=pk)
    return _download(content, name, kind)


@require_POST
@page(CHANGE)
def round_reconcile(request, pk: int):
    round_ = selectors.round_get(user=request.user, pk=pk)
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择银行回盘文件")
        return redirect("web:round_detail", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        record = services.round_reconcile(actor=request.user, round_=round_, content=upload.read(),
                                          file_name=upload.name)
    except DomainError as exc:
        _fail(request, exc)
    else:
        text = f"已导入回盘:成功{record.paid}户({record.paid_total}元),失败{record.failed}户"
        if record.errors:
            messages.warning(request, f"{text};{record.errors}行未能匹配,见对账结果文件的「错误」列。")
        else:
            messages.success(request, text + "。")
    return redirect("web:round_detail", pk=pk)


@page(VIEW)
def reconciliation_result(request, pk: int):
    record = selectors.reconciliation_get(user=request.user, pk=pk)
    return _download(bytes(record.result), record.result_name, record.result_name.rsplit(".", 1)[-1])


@require_POST
@page(CHANGE)
def round_delivery(request, pk: int):
    failed = {int(i): request.POST.get(f"reason-{i}", "") or "未领取" for i in request.POST.getlist("failed")
              if str(i).isdigit()}

    def step(r):
        done = services.round_record_delivery(actor=request.user, round_=r, failed=failed)
        return f"已登记签领:{done['paid']}户已领取,{done['failed']}户未领取。"
    return _round_step(request, pk, step)


@page(EXPORT)
def round_report_xlsx(request, pk: int):
    round_ = selectors.round_get(user=request.user, pk=pk)
    return _download(round_export(actor=request.user, round_=round_), f"round-{round_.pk}.xlsx")


@page(VIEW)
def sign_sheet(request, pk: int):
    round_ = selectors.round_get(user=request.user, pk=pk)
    lines = selectors.line_list(user=request.user, round_=round_, included=True).exclude(state=LineState.PAID)
    return render(request, "web/programmes/sign_sheet.html",
                  {"round": round_, "lines": list(lines), "printed_at": clock.local_now()})


@page(VIEW)
def household_payee(request, pk: int):
    user = request.user
    household = registry.household_get(user=user, pk=pk)
    payee = services.payee_get(user=user, household=household)
    initial = ({"member": payee.member_id, "bank_name": payee.bank_name, "account_kind": payee.account_kind,
                "version": payee.version} if payee else {"version": 0})
    form = PayeeForm(request.POST or None, members=household.active_members, initial=initial)
    revealed, status = None, None
    if request.method == "POST" and request.POST.get("reveal") and payee is not None:
        revealed = services.payee_reveal_account(actor=user, payee=payee)
        form = PayeeForm(members=household.active_members, initial=initial)
    elif request.method == "POST":
        if not may(user, CHANGE):
            raise NotFound("未找到该页面")
        if form.is_valid():
            data = form.cleaned_data
            member = next(m for m in household.active_members if m.pk == data["member"])
            try:
                services.payee_set(actor=user, household=household, member=member, bank_name=data["bank_name"],
                                   account_number=data["account_number"], account_kind=data["account_kind"],
                                   version=data["version"])
            except Conflict as exc:  # a stale save: refused as the rounds' steps are, what was typed kept
                _fail(request, exc)
                status = 409
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已保存领款人及账户。")
                return redirect("web:household_payee", pk=pk)
    context = {"household": household, "payee": payee, "form": form, "revealed": revealed,
               "masked": mask_account(payee.account_number) if payee else "", "can_change": may(user, CHANGE),
               "lines": selectors.household_lines(user=user, household_id=pk)}
    return render(request, "web/programmes/payee.html", context, status=status or (422 if form.errors else 200))


def household_rounds_context(user, household) -> dict:
    """For the file (一户一档): the rounds the household was in, and its payee (masked)."""
    payee = services.payee_get(user=user, household=household)
    return {"payment_lines": selectors.household_lines(user=user, household_id=household.pk)[:10],
            "payee_masked": f"{payee.member.name} · {payee.bank_name} {mask_account(payee.account_number)}"
            if payee else ""}
