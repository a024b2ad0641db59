"""Template helpers of the referral pages."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from screening.labels import due_in_words

from ..labels import service_labels

register = template.Library()


@register.filter
def services_text(codes) -> str:
    return ", ".join(service_labels(codes or [])) or "—"


@register.simple_tag
def referral_status_badge(referral) -> str:
    """The state of a referral as a word in a chip (never colour alone)."""
    return format_html('<span class="badge status-{}">{}</span>', referral.status, referral.get_status_display())


@register.simple_tag
def referral_due(referral) -> str:
    """When the recipient's answer is due, in words; marked overdue with a word, not only a colour."""
    now = timezone.now()
    overdue = referral.due_at <= now
    return format_html(
        '<time datetime="{}" class="due-in{}">{}</time>',
        referral.due_at.isoformat(),
        " overdue" if overdue else "",
        due_in_words(referral.due_at, now=now),
    )


@register.filter
def service_text(code: str) -> str:
    return service_labels([code])[0]


@register.simple_tag
def category_label(code: str) -> str:
    from ..models import Category

    return str(dict(Category.choices).get(code, code))
