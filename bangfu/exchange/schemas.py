"""Input and output schemas of the exchange API."""

from __future__ import annotations

import datetime

from ninja import Schema


class JobOut(Schema):
    id: int
    kind: str
    department: str
    state: str
    state_label: str
    mode: str
    original_name: str
    total: int
    processed: int
    percent: int
    error_rows: int
    written: int | None
    skipped: int
    unmatched: int | None
    flagged: int | None
    message: str
    summary: str | None
    has_result: bool
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class NoteIn(Schema):
    note: str


class FactOut(Schema):
    id: int
    member_id: int
    member: str
    department: str
    department_label: str
    kind: str
    label: str
    key: str
    reported: dict
    declared: dict | None
    source_date: datetime.date


class DisagreementOut(Schema):
    id: int
    household_id: int
    member: str
    kind: str
    message: str
    state: str
    note: str
    declared: dict | None
    reported: dict | None
    created_at: datetime.datetime


class AlertOut(Schema):
    id: int
    household_id: int
    member: str
    kind: str
    kind_label: str
    message: str
    state: str
    note: str
    created_at: datetime.datetime


def job_out(job, *, for_officer: bool = False) -> dict:
    """A job as its viewer may see it. `for_officer`: a department data officer's view of their upload, without
    what the matching found (written, unmatched, flagged, `summary`: null), which would tell them who is in the
    registry; `message` is the neutral one every viewer may read."""
    percent = int(100 * job.processed / job.total) if job.total else (100 if job.finished_at else 0)
    out = {**{f: getattr(job, f) for f in ("id", "kind", "department", "state", "mode", "original_name", "total",
                                           "processed", "error_rows", "written", "skipped", "unmatched",
                                           "flagged", "message", "summary", "created_at", "finished_at")},
           "state_label": job.get_state_display(), "percent": min(percent, 100), "has_result": bool(job.result_file)}
    if for_officer:
        out.update(written=None, unmatched=None, flagged=None, summary=None)
    return out


def fact_out(f) -> dict:
    return {"id": f.pk, "member_id": f.member_id, "member": f.member.name, "department": f.department,
            "department_label": f.get_department_display(), "kind": f.kind, "label": f.get_kind_display(),
            "key": f.key, "reported": f.value, "declared": f.declared, "source_date": f.source_date}


def disagreement_out(d) -> dict:
    return {"id": d.pk, "household_id": d.household_id, "member": d.member.name, "kind": d.kind,
            "message": d.message, "state": d.state, "note": d.note, "declared": d.declared, "reported": d.reported,
            "created_at": d.created_at}


def alert_out(a) -> dict:
    return {"id": a.pk, "household_id": a.household_id, "member": a.member.name if a.member else "",
            "kind": a.kind, "kind_label": a.get_kind_display(), "message": a.message, "state": a.state,
            "note": a.note, "created_at": a.created_at}
