"""Forms of the case panel: one per move, each carrying the case's version (optimistic concurrency)."""

from __future__ import annotations

import datetime

from django import forms

from bangfu.cases.workflow import TRANSITIONS
from bangfu.common import clock
from bangfu.registry import choices as c

from .base import StyledForm, date_input

CATEGORIES = [(c.Category.HARDSHIP, "困难职工家庭"), (c.Category.EXTREME_HARDSHIP, "特困职工家庭")]


class MoveForm(StyledForm):
    """A move with an optional note; `version` is the case's version as the user saw it (0: no case yet)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(label="说明(可选)", max_length=500, required=False)

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class ReasonMoveForm(MoveForm):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(MoveForm):
    reason = None
    visited_on = forms.DateField(label="入户核查日期", widget=date_input())
    notes = forms.CharField(label="入户核查记录", widget=forms.Textarea(attrs={"rows": 3}))
    authorisation_signed_on = forms.DateField(label="经济状况核对授权书签署日期", required=False, widget=date_input())
    authorisation_document = forms.TypedChoiceField(label="授权书材料", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {d.pk: d for d in documents}
        field = self.fields["authorisation_document"]
        if documents:
            # An uploaded authorisation is offered, the newest chosen: "未上传" would deny what the file shows.
            field.choices = [("", "不关联材料")] + [
                (d.pk, f"{d.original_name}(已上传 {clock.local_date(d.uploaded_at):%Y-%m-%d})") for d in documents]
            self.initial.setdefault("authorisation_document", max(self.documents))
        else:
            field.choices = [("", "未上传(请先在「材料」中上传授权书)")]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"visited_on": data["visited_on"], "notes": data["notes"],
                "authorisation_signed_on": data["authorisation_signed_on"],
                "authorisation_document": self.documents.get(data["authorisation_document"])}


class NoticeForm(MoveForm):
    reason = None
    start = forms.DateField(label="公示开始日期", widget=date_input())
    end = forms.DateField(label="公示结束日期", widget=date_input())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "公示结束日期不能早于开始日期")
        return data

    def service_kwargs(self) -> dict:
        return {"start": self.cleaned_data["start"], "end": self.cleaned_data["end"]}


class ArchiveForm(MoveForm):
    """The approval of the archive. With open disagreements from other departments' data it carries
    the approver's 覆盖理由: required in the page, while the service has the last word (and its refusal message)."""

    category = forms.ChoiceField(label="核定类别", choices=CATEGORIES)
    override_reason = forms.CharField(
        label="覆盖理由", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="该户有尚未处理的部门核对不一致;如经核实仍应建档,请填写理由,审批后这些不一致记为已覆盖。")

    def __init__(self, *args, open_disagreements: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_disagreements = open_disagreements
        if open_disagreements:
            field = self.fields["override_reason"]
            field.label = "覆盖理由(必填)"
            field.widget.attrs.update(required="required", maxlength="500")
        else:
            del self.fields["override_reason"]

    def service_kwargs(self) -> dict:
        return {"category": self.cleaned_data["category"], "reason": self.cleaned_data["reason"],
                "override_reason": self.cleaned_data.get("override_reason", "")}


class FollowUpForm(StyledForm):
    done_on = forms.DateField(label="回访日期", widget=date_input())
    notes = forms.CharField(label="回访情况", widget=forms.Textarea(attrs={"rows": 2}))
    relapse_seen = forms.BooleanField(label="发现返贫", required=False)


# The form of each kind of move input (`Move.form` of the workflow table); a new episode takes a reason.
FORMS = {"note": MoveForm, "reason": ReasonMoveForm, "visit": VisitForm, "notice": NoticeForm, "archive": ArchiveForm}
OPEN_REASON_LABEL = "重新申请的原因"


def move_form(name: str, *, version: int, data=None, household=None, prefix: str | None = None,
              open_disagreements: int = 0):
    """The form of a move, bound to `data` or with its initial values; `open_disagreements` (the archive only):
    how many flags from other departments' data are open on the household."""
    today = clock.today()
    initial = {"version": version}
    if name == "record_visit":
        initial.update(visited_on=today, authorisation_signed_on=today)
    elif name == "start_notice":
        initial.update(start=today, end=today + datetime.timedelta(days=7))
    elif name == "archive" and household is not None:
        initial["category"] = household.proposed_category
    move = TRANSITIONS.get(name)
    form_class = FORMS[move.form] if move else ReasonMoveForm
    kwargs = {"initial": initial, "prefix": prefix or name}
    if form_class is VisitForm:
        kwargs["documents"] = [d for d in household.documents.all() if d.doc_type == c.DocumentType.AUTHORISATION]
    elif form_class is ArchiveForm:
        kwargs["open_disagreements"] = open_disagreements
    form = form_class(data, **kwargs)
    reason_label = move.reason_label if move else OPEN_REASON_LABEL
    if reason_label and "reason" in form.fields:
        form.fields["reason"].label = reason_label
    return form
