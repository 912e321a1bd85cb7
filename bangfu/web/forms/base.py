"""Bootstrap classes on every widget, and domain errors placed on the field they name."""

from __future__ import annotations

import copy
import functools
import html

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe

from bangfu.common.errors import DomainError


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()

    def add_domain_error(self, exc: DomainError) -> None:
        """The service's Chinese message, on its field when this form has that field."""
        # On a hidden field (the version) the message would never be seen: it goes to the top instead.
        field = exc.field if exc.field in self.fields and not self.fields[exc.field].widget.is_hidden else None
        self.add_error(field, exc.message)


def select_html(name: str, attrs: str, choices, selected: str) -> str:
    """A <select> rendered in Python, options and all (flat choices; `attrs` rendered already): Django renders each
    option through a template, slow for a long list (a province's unions: 9 ms for 109 of them). Each text escaped
    as format_html would (html.escape, what Django's escape runs; safe text as it is); the options of the same
    each option made once per process (issue 19), only the chosen one marked per request."""
    options = "".join(chosen if value == selected else plain for value, plain, chosen in _options(choices))
    return format_html('<select name="{}"{}>{}</select>', name, attrs, mark_safe(options))


def _options(choices) -> list[tuple[str, str, str]]:
    # Kept option by option, not list by list: a list with one more union (a report's drill link) is another list
    # but the same options (a province's list is ~200 KB). Whether each text is safe is part of the key: a str and a
    # SafeString of the same characters are equal keys, and a plain label must not get a safe one's HTML.
    out = []
    for value, label in choices:
        key = (value, label, isinstance(value, SafeData), isinstance(label, SafeData))
        try:
            out.append(_option(*key))
        except TypeError:  # a choice that cannot be a key (a group as a list): made each time
            out.append(_option.__wrapped__(*key))
    return out


@functools.lru_cache(maxsize=8192)  # the options of a few pages' filters: the areas' unions, about 1 MB
def _option(value, label, safe_value: bool, safe_label: bool) -> tuple[str, str, str]:
    """(value, the option, the option chosen)."""
    shown, text = _escaped(value, safe_value), _escaped(label, safe_label)
    return str(value), f'<option value="{shown}">{text}</option>', f'<option value="{shown}" selected>{text}</option>'


def _escaped(text, safe: bool) -> str:
    return str(text) if safe else html.escape(str(text))


class QuickSelect(forms.Select):
    """A Select of flat choices rendered by `select_html`, with the attributes Django gives its own (id, required,
    aria-invalid and aria-describedby of a field in error) in Django's order."""

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        given = self.build_attrs(self.attrs, attrs).items()
        rendered = format_html_join("", " {}{}", ((key, "" if value is True else format_html('="{}"', value))
                                              for key, value in given if value is not False and value is not None))
        return select_html(name, rendered, self.choices, values[0] if values else "")


def date_input(**attrs) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def blank(label: str, choices) -> list:
    return [("", label), *choices]


class SharedChoices:
    """For a choice field whose choices are fixed on the form class: every form made from the class shares them.

    Django deep-copies each field's choices, twice normalised (field and widget), for every form it makes; for a
    page of many small forms that is most of the work of answering. The choices here are only ever replaced, never
    changed in place, so a form's copy of the field and of its widget can share them (attrs and error messages are
    still the form's own)."""

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class FixedChoiceField(SharedChoices, forms.ChoiceField):
    pass


class FixedTypedChoiceField(SharedChoices, forms.TypedChoiceField):
    pass


class FixedMultipleChoiceField(SharedChoices, forms.MultipleChoiceField):
    pass
