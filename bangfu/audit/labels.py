"""Chinese labels of the audit trail: every action code the services write, the object types, and the keys of
before/after data that are not model fields (model fields are labelled by their verbose_name)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping


class ActionLabels(Mapping):
    """The labels below, and those an app registers from its own table when it is ready (the cases app: one per
    workflow move, `cases.workflow.audit_labels`), read afresh each time."""

    def __init__(self, fixed: dict[str, str]) -> None:
        self._fixed, self._sources = fixed, []

    def register(self, source: Callable[[], dict[str, str]]) -> None:
        if source not in self._sources:
            self._sources.append(source)

    def _all(self) -> dict[str, str]:
        merged = dict(self._fixed)
        for source in self._sources:
            merged.update(source())
        return merged

    def __getitem__(self, code: str) -> str:
        return self._all()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


# Every action code written anywhere in bangfu/ (tests/audit/test_labels.py keeps this list complete).
ACTION_LABELS = ActionLabels({
    # The household file (registry)
    "household.create": "登记家庭",
    "household.update": "修改家庭信息",
    "household.verify": "核定类别并建档",
    "household.status": "家庭档案状态变更",
    "household.exit": "家庭退出",
    "household.income_set": "登记家庭收入",
    "household.income_delete": "删除家庭收入",
    "household.export": "导出家庭档案",
    "household.import": "批量导入家庭",
    "member.add": "添加家庭成员",
    "member.update": "修改家庭成员",
    "member.remove": "移出家庭成员",
    "member.view_id_number": "查看完整身份证号码",
    "document.upload": "上传证明材料",
    "document.delete": "删除证明材料",
    "document.download": "下载证明材料",
    # The case workflow (cases): the records made outside the moves (the moves' labels come from its table)
    "case.open": "建立帮扶档案",
    "case.adopt": "按原有档案建立帮扶档案",
    "case.print_leaflet": "打印政策明白纸",
    "case.take_over": "按原有档案建档",
    "case.recategorise": "变更核定类别",
    "case.registry_exit": "登记系统办理退出",
    "case.followup": "登记退出回访",
    "plan.create": "制定帮扶计划",
    "plan.update": "修改帮扶计划",
    "measure.create": "添加帮扶措施",
    "measure.update": "修改帮扶措施",
    "measure.follow_payments": "措施随发放更新",
    # The ledger
    "ledger.request": "登记发放(待审核)",
    "ledger.request_reversal": "申请冲正",
    "ledger.approve": "审核入账",
    "ledger.reject": "驳回发放登记",
    "ledger.export": "导出资金台账",
    "ledger.budget_set": "设置资金预算",
    # Programmes and their payment rounds (项目与发放批次)
    "programme.create": "设立帮扶项目",
    "round.create": "新建发放批次",
    "round.prepare": "生成发放名单",
    "round.prepare_queue": "发放名单转入后台生成",
    "round.discard": "作废发放批次(编制中)",
    "round.line_adjust": "调整发放明细",
    "round.submit": "提交发放名单审核",
    "round.approve": "审核发放名单",
    "round.reject": "退回发放名单",
    "round.bank_file": "生成银行代发文件",
    "round.reconcile": "导入银行回盘对账",
    "round.record_delivery": "登记签领结果",
    "round.export": "导出批次报表",
    "payee.set": "设置领款人及账户",
    "payee.reveal_account": "查看完整账号",
    # Data exchange
    "exchange.upload": "上传批量导入文件",
    "exchange.import": "批量导入写入",
    "exchange.result_download": "下载导入结果文件",
    "exchange.department_upload": "上传部门数据",
    "exchange.department_apply": "部门数据比对",
    "exchange.facts": "记录部门核对数据",
    "exchange.disagreement_resolve": "处理核对不一致",
    "exchange.disagreement_override": "审批时确认核对不一致",
    "exchange.alert_raise": "系统生成预警",
    "exchange.alert_resolve": "处理预警",
    # Accounts, unions and policy standards
    "user.create": "创建用户",
    "user.deactivate": "停用用户",
    "user.password_reset": "重置用户密码",
    "user.password_change": "修改本人密码",
    "token.create": "创建API令牌",
    "token.revoke": "吊销API令牌",
    "organisation.create": "新增基层工会",
    "organisation.sync": "同步工会组织",
    "standard.set": "设置政策标准",
    "standard.change": "修改政策标准",
    "standard.withdraw": "撤回政策标准",
    "standard.propose": "提出政策标准变更",
    "whatif.save": "保存标准调整测算方案",
    "whatif.propose": "测算方案转为政策标准审批",
    "population.export": "导出测算人口文件(身份证号码加盐哈希)",
    "recomputation_task.done": "标准调整待核对家庭核对完成",
    "recomputation_task.reopen": "标准调整待核对家庭重新打开",
    "standard.approve": "审批通过政策标准变更",
    "standard.reject": "退回政策标准变更",
    # The Django admin (accounts/admin.py, AuditedAdmin)
    "admin.user.add": "后台新增用户",
    "admin.user.change": "后台修改用户",
    "admin.user.delete": "后台删除用户",
    "admin.organisation.add": "后台新增工会组织",
    "admin.organisation.change": "后台修改工会组织",
    "admin.organisation.delete": "后台删除工会组织",
    "admin.api_token.add": "后台新增API令牌",
    "admin.api_token.change": "后台修改API令牌",
    "admin.api_token.delete": "后台删除API令牌",
    # Medical bills (Articles 6-12)
    "medical_bill.create": "录入医疗费用单据",
    "medical_bill.update": "修改医疗费用单据",
    "medical_bill.delete": "删除医疗费用单据",
    "medical_bill.department": "医保数据填入医疗费用单据",
    # Tools
    "demo.load": "载入演示数据",
})

OBJECT_TYPE_LABELS: dict[str, str] = {
    "household": "家庭档案",
    "member": "家庭成员",
    "case": "帮扶档案流转、计划与措施",
    "ledger": "资金台账",
    "budget": "资金预算",
    "import_job": "导入任务",
    "user": "用户",
    "api_token": "API令牌",
    "organisation": "工会组织",
    "standard_value": "政策标准",
    "standard_request": "政策标准审批",
    "medical_bill": "医疗费用单据",
    "programme": "帮扶项目",
    "round": "发放批次",
    "payee": "领款人及账户",
    "whatif": "标准调整测算方案",
    "recomputation_task": "标准调整待核对家庭",
}

# The models whose fields name the keys of an object type's before/after data, most likely first
# (app_label.ModelName, looked up through the app registry, so that audit imports no other app).
OBJECT_MODELS: dict[str, tuple[str, ...]] = {
    "household": ("registry.Household", "registry.IncomeRecord", "registry.Document", "exchange.Disagreement",
                  "exchange.Alert"),
    "member": ("registry.Member",),
    "case": ("cases.Case", "cases.Plan", "cases.Measure", "cases.FollowUp", "cases.CaseEvent"),
    "ledger": ("ledger.LedgerRequest", "ledger.LedgerEntry"),
    "budget": ("ledger.Budget",),
    "import_job": ("exchange.ImportJob",),
    "user": ("accounts.User",),
    "api_token": ("accounts.ApiToken",),
    "organisation": ("accounts.Organisation",),
    "standard_value": ("standards.StandardValue",),
    "standard_request": ("standards.StandardRequest",),
    "medical_bill": ("medical.MedicalBill",),
    "programme": ("programmes.Programme",),
    "round": ("programmes.Round", "programmes.Line", "programmes.Reconciliation"),
    "payee": ("programmes.Payee",),
    "whatif": ("reports.WhatIf",),
    "recomputation_task": ("reports.RecomputedHousehold",),
}

# The models whose rows a before/after value names by id and the audit page shows by name (their own str(): a
# union's name, a person's name, 12号家庭(地址)), with the columns that str() reads: one query for a whole page
# reads them all (presenters.referenced_names).
NAMED_MODELS: dict[str, tuple[str, ...]] = {
    "accounts.Organisation": ("name",),
    "accounts.User": ("last_name", "first_name", "username"),
    "registry.Household": ("address",),
    "registry.Member": ("name",),
}

# Keys that name such a row by id where the object type's models have no foreign key of that name.
REFERENCE_KEYS: dict[str, str] = {
    "union": "accounts.Organisation", "union_id": "accounts.Organisation", "organisation": "accounts.Organisation",
    "organisation_id": "accounts.Organisation", "household": "registry.Household",
    "household_id": "registry.Household", "member": "registry.Member", "member_id": "registry.Member",
    "user_id": "accounts.User",
}

# Keys whose meaning depends on the object type, before its model fields.
TYPE_FIELD_LABELS: dict[str, dict[str, str]] = {
    "round": {"line": "发放明细", "count": "户数", "total": "金额合计(元)", "warnings": "预算提醒", "period": "所属期",
              "paid": "成功户数", "failed": "失败户数", "errors": "错误行数", "paid_total": "成功金额(元)",
              "file": "文件名", "format": "代发文件格式", "kind": "文件类型", "included": "纳入",
              "not_archived": "尚未建档", "exited": "已退出", "rule": "不符合项目规则", "no_account": "无有效账户",
              "paid_elsewhere": "本期已在其他批次发放", "deceased_payee": "领款人已死亡", "carried": "失败转入"},
    "payee": {"account": "账号(脱敏)"},
    "import_job": {"name": "文件名", "errors": "错误行数"},
    "household": {"number": "导入文件中的序号", "members": "成员人数", "job": "导入任务"},
    "user": {"name": "姓名"},
    "api_token": {"prefix": "令牌前缀", "revoked": "已吊销"},
    "organisation": {"count": "工会数", "on": "区划日期", "parent": "上级工会", "path": "层级路径"},
}

# Keys that are no model field (or whose verbose_name is still Django's English default).
FIELD_LABELS: dict[str, str] = {
    "at": "时间",
    "amount": "金额(元)",
    "alert": "预警编号",
    "case": "帮扶档案编号",
    "category": "核定类别",
    "cause": "致困原因",
    "cases_taken_over": "建档数",
    "created_at": "创建时间",
    "department": "部门",
    "disagreement": "不一致编号",
    "disagreements": "不一致编号",
    "entry": "台账记录编号",
    "expires_at": "有效期至",
    "filters": "筛选条件",
    "followup_first": "第一次回访日期",
    "followup_second": "第二次回访日期",
    "flagged": "发现不一致数",
    "followup": "回访编号",
    "fund_source": "资金来源",
    "household": "家庭编号",
    "household_id": "家庭编号",
    "households_added": "新增家庭数",
    "id": "编号",
    "job": "导入任务",
    "kind": "类型",
    "last_used_at": "最近使用时间",
    "matched": "匹配家庭数",
    "measure": "措施编号",
    "measure_id": "措施编号",
    "member": "家庭成员",
    "member_id": "家庭成员",
    "members_added": "新增成员数",
    "mode": "导入方式",
    "name": "名称",
    "note": "处理说明",
    "notes": "说明",
    "password": "密码",
    "plan": "计划编号",
    "position": "排序",
    "previous": "上一批次",
    "previous_category": "原核定类别",
    "q": "关键词",
    "relapse": "返贫",
    "reason": "原因/说明",
    "region": "地区",
    "request": "发放登记编号",
    "retry_of": "原任务",
    "reverses": "冲正的记录",
    "rows": "行数",
    "size": "文件大小(字节)",
    "skipped": "未导入家庭数",
    "state": "状态",
    "status": "状态",
    "suggestion": "系统建议",
    "suggestion_reason": "建议理由",
    "total": "合计(元)",
    "union": "工会",
    "union_id": "工会",
    "updated_at": "更新时间",
    "user": "用户",
    "user_id": "用户",
    "username": "用户名",
    "version": "版本",
    "warnings": "提示",
    "written": "写入数",
    "year": "年度",
}


def action_label(code: str) -> str:
    """The Chinese name of an action; an unknown code (an old row) is shown as it is."""
    return ACTION_LABELS.get(code, code)


def object_type_label(code: str) -> str:
    return OBJECT_TYPE_LABELS.get(code, code)
