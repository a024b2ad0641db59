"""What the rapport's PDF panel shows, for any page that includes templates/reports/_rapport_pdf_panel.html."""

from django import template

from accounts.roles import Role

from ..models import Rapport, RapportPdf
from ..pdf_selectors import rapport_pdfs_current
from ..pdf_services import PRINTABLE

register = template.Library()


@register.simple_tag(takes_context=True)
def rapport_pdf_state(context, rapport: Rapport) -> dict:
    """For each language the PDF of the present content (or none yet); whether one is being made (the panel then
    polls); whether the user may mark the rapport printed."""
    user = context["request"].user
    rows = [{"code": code, "name": name, "pdf": pdf} for code, name, pdf in rapport_pdfs_current(rapport=rapport)]
    return {
        "rows": rows,
        "pending": any(row["pdf"] and row["pdf"].status == RapportPdf.Status.PENDING for row in rows),
        "can_mark_printed": rapport.status in PRINTABLE
        and rapport.printed_at is None
        and (user.is_superuser or user.has_role(Role.SUPERVISOR)),
    }
