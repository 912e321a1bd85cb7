"""Every action code that bangfu/**/*.py writes to the audit trail has a Chinese label, so that a new action
cannot reach the auditors' page as a bare code. The codes are read from the source (ast), not from a list."""

from __future__ import annotations

import ast
import itertools
import re
from functools import cache
from pathlib import Path

import bangfu
from bangfu.audit.labels import ACTION_LABELS, OBJECT_TYPE_LABELS, action_label, object_type_label

ROOT = Path(bangfu.__file__).parent
DOTTED = re.compile(r"^[a-z]+(\.[a-z_]+)+$")
# `action=` of these calls names a case event, audited as "case.<event>" by cases/services/common.log_event.
CASE_EVENT_CALLS = {"log_event", "CaseEvent", "_event"}
NOT_AUDIT_CALLS = {"add_argument"}  # argparse's action="store_true"


@cache
def trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(ROOT.rglob("*.py"))}


def call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def action_arguments():
    """(call name, expression) of each action handed to a call: the `action=` keyword, and the second positional
    argument of an audit helper (`_audit(actor, "plan.create", case)`, `audit_household(actor, "…", h)`)."""
    for tree in trees().values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            yield from ((name, kw.value) for kw in node.keywords if kw.arg == "action")
            if "audit" in name.lower() and len(node.args) >= 2:
                yield name, node.args[1]


def literals(expr: ast.AST) -> set[str]:
    """The string constants of an expression (`"a" if x else "b"`), f-strings left out."""
    if isinstance(expr, ast.Constant):
        return {expr.value} if isinstance(expr.value, str) else set()
    if isinstance(expr, ast.JoinedStr):
        return set()
    return set().union(*(literals(child) for child in ast.iter_child_nodes(expr)))


def module_constants() -> dict[str, set[str]]:
    """NAME = "value" at the top of any module (TAKE_OVER = "take_over"), by name."""
    found: dict[str, set[str]] = {}
    for tree in trees().values():
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(
                    node.value.value, str):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found.setdefault(target.id, set()).add(node.value.value)
    return found


def case_events() -> set[str]:
    from bangfu.cases.workflow import TRANSITIONS

    constants, events = module_constants(), set(TRANSITIONS)
    for name, expr in action_arguments():
        if name in CASE_EVENT_CALLS:
            events |= literals(expr)
            if isinstance(expr, ast.Name) and expr.id in constants:
                events |= constants[expr.id]
    return events


def audit_types() -> set[str]:
    """The `audit_type = "user"` of the admin classes that audit their saves (accounts/admin.py)."""
    return {node.value.value for tree in trees().values() for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value
            and any(isinstance(t, ast.Name) and t.id == "audit_type" for t in node.targets)}


def expand(fstring: ast.JoinedStr) -> set[str]:
    """The codes an f-string action can produce; a part this test cannot enumerate fails it (teach it here)."""
    known = {"audit_type": audit_types(), "action": case_events()}
    parts = []
    for part in fstring.values:
        if isinstance(part, ast.Constant):
            parts.append({part.value})
            continue
        value = part.value
        name = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", None)
        options = literals(value) or known.get(name)
        assert options, f"cannot enumerate {ast.unparse(fstring)}: list its values in tests/audit/test_labels.py"
        parts.append(options)
    return {"".join(p) for p in itertools.product(*parts)}


def codes_written() -> set[str]:
    codes = set()
    for name, expr in action_arguments():
        if name in CASE_EVENT_CALLS | NOT_AUDIT_CALLS:
            continue
        codes |= literals(expr)
        codes |= set().union(*(expand(n) for n in ast.walk(expr) if isinstance(n, ast.JoinedStr)))
    return codes


def dotted_literals_of(namespaces: set[str]) -> set[str]:
    """Any "household.something" literal in the source (an action kept in a variable or a dict first)."""
    from django.apps import apps

    from bangfu.policy.engine import GATE_CODE

    not_actions = {m._meta.label_lower for m in apps.get_models()} | {GATE_CODE}
    return {node.value for tree in trees().values() for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.match(node.value)
            and node.value.split(".")[0] in namespaces and node.value not in not_actions}


def test_the_scan_finds_the_actions_it_should():
    codes = codes_written()
    assert {"household.create", "case.archive", "case.take_over", "ledger.approve", "standard.change",
            "exchange.result_download", "document.download", "admin.user.change", "admin.api_token.delete",
            "user.password_change", "exchange.facts", "household.import"} <= codes
    assert "store_true" not in codes and "adopt" not in codes


def test_every_action_written_has_a_chinese_label():
    codes = codes_written()
    codes |= dotted_literals_of({code.split(".")[0] for code in codes})
    missing = sorted(code for code in codes if code not in ACTION_LABELS)
    assert not missing, f"add these to bangfu/audit/labels.py ACTION_LABELS: {missing}"


def test_labels_are_chinese_and_distinct():
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in ACTION_LABELS.values())
    assert len(set(ACTION_LABELS.values())) == len(ACTION_LABELS)
    assert action_label("case.archive") == "审批建档" and action_label("ledger.approve") == "审核入账"
    assert action_label("gone.action") == "gone.action"


def test_every_object_type_written_has_a_label():
    types = set()
    for tree in trees().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                types |= set().union(*(literals(kw.value) for kw in node.keywords if kw.arg == "object_type"))
    types |= {t for t in audit_types()}
    assert {"household", "import_job", "case", "ledger"} <= types
    assert types <= set(OBJECT_TYPE_LABELS), sorted(types - set(OBJECT_TYPE_LABELS))
    assert object_type_label("import_job") == "导入任务"
