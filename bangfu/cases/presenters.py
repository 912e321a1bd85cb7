"""Cases, plans and measures as the API's output dictionaries (also handy for the web pages)."""

from __future__ import annotations

from .models import Case, FollowUp, Measure, Plan
from .selectors import case_events, measure_list
from .workflow import moves_from


def _name(user) -> str | None:
    return str(user) if user is not None else None


def event_out(event) -> dict:
    return {"id": event.pk, "at": event.at, "actor": _name(event.actor) or "", "action": event.action,
            "from_state": event.from_state, "to_state": event.to_state, "reason": event.reason,
            "data": event.data, "version": event.version}


def case_out(case: Case, *, events: bool = True) -> dict:
    fields = ("id", "household_id", "episode", "previous_id", "is_relapse", "state", "version", "visited_on",
              "visit_notes", "authorisation_signed_on", "notice_start", "notice_end", "category", "archived_on",
              "next_review_on", "closed_on", "close_reason")
    out = {f: getattr(case, f) for f in fields}
    out.update(state_label=case.get_state_display(), submitted_by=_name(case.submitted_by),
               approved_by=_name(case.approved_by), allowed_moves=moves_from(case.state),
               events=[event_out(e) for e in case_events(case)] if events else [])
    return out


def measure_out(measure: Measure) -> dict:
    fields = ("id", "plan_id", "kind", "title", "benefit_code", "benefit_member", "member_id", "article",
              "department", "amount", "owner_id", "due_on", "status", "delivered", "notes", "version")
    return {**{f: getattr(measure, f) for f in fields}, "department_label": measure.get_department_display(),
            "owner": str(measure.owner)}


def plan_out(plan: Plan) -> dict:
    fields = ("id", "case_id", "year", "family_situation", "hardship_causes", "assistance_received", "needs",
              "targets_and_measures", "goals", "version")
    return {**{f: getattr(plan, f) for f in fields}, "household_id": plan.case.household_id,
            "measures": [measure_out(m) for m in measure_list(plan)]}


def followup_out(followup: FollowUp) -> dict:
    return {"id": followup.pk, "case_id": followup.case_id, "household_id": followup.case.household_id,
            "kind": followup.kind, "due_on": followup.due_on, "done_on": followup.done_on,
            "notes": followup.notes, "relapse_seen": followup.relapse_seen}


def mismatches_out(result: dict) -> dict:
    def row(item: dict) -> dict:
        return {**{k: v for k, v in item.items() if k != "measure"}, "measure_id": item["measure"].pk,
                "title": item["measure"].title}

    return {"as_of": result["as_of"], "gone": [row(i) for i in result["gone"]],
            "changed": [row(i) for i in result["changed"]],
            "missing": [{k: b.get(k) for k in ("code", "article", "member", "title", "kind", "amount")}
                        for b in result["missing"]]}
