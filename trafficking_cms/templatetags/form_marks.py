"""Helpers of the project's form templates (templates/django/forms/)."""

from django import template

register = template.Library()


@register.filter
def any_required(fields) -> bool:
    """Whether a form's visible fields (pairs of bound field and errors, as Django's form templates get them) include
    a required one: then the form explains the required-field mark."""
    return any(bound_field.field.required for bound_field, _errors in fields)
