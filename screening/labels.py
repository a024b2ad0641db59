"""Translatable labels of obligations and deadline rules."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

OBLIGATION_LABELS = {
    "protective_measures": _(
        "High risk of violence: take immediate special measures — separate the victim from the offender, a safe "
        "shelter when needed (mothers too), e.g. 48-hour detention of a domestic-violence offender; for a child, "
        "together with the child-protection body"
    ),
    "rapport_immediately": _("Violence against a woman: write the rapport and register it in the КБР immediately"),
    "health_information_72h": _(
        "Tell the legal representative about free prevention of STIs, HIV and unwanted pregnancy at a health "
        "organisation: it works only within 72 hours after the assault"
    ),
    "refer_child_social_services": _(
        "Refer the child, with the legal representative and a psychologist, to social-service organisations"
    ),
    "notify_kib": _(
        "КИБ: a child with indicators of trafficking — the criminal investigation department takes up the case"
    ),
    "notify_duty_officer": _(
        "Duty officer: a child with indicators of trafficking — coordinate urgent help and the referral"
    ),
    "refer_child_protection": _(
        "High risk to a child: refer to the child-protection body for immediate special measures, together with "
        "the police"
    ),
    "take_up_report": _("1899 call: the duty unit takes up the report"),
    "inform_ngo": _("Inform the relevant NGO"),
    "intl_cooperation_decision": _(
        "Foreign victim: the head decides on informing the MVD International Cooperation Directorate"
    ),
    "rapport_registration": _("Write the rapport and register it in the КБР without delay"),
    "establish_act": _(
        "Elements not established: establish the act (recruitment, transportation, harbouring, receipt or transfer) "
        "and screen the case again"
    ),
    "establish_means": _(
        "Elements not established: establish the means used on the adult victim (threat, force, coercion, "
        "blackmail, deception, abuse of vulnerability…) and screen the case again"
    ),
    "establish_purpose": _("Elements not established: establish the purpose of exploitation and screen the case again"),
}

DEADLINE_RULE_LABELS = {
    "immediately": _("immediately (handbook)"),
    "same_time": _("at the same time as the referral (handbook), whose deadline is project policy"),
    "hours_after_incident": _("72 hours after the incident (handbook)"),
    "policy_hours": _("deadline set by project policy"),
    "policy_immediately": _("immediately (project policy)"),
}

# The yes/no facts of the wizard, as its questions and the screening page name them.
FACT_LABELS = {
    "vulnerability_evidenced": _(
        "Evidence that the person had no other real and acceptable option, and reasonably believed so"
    ),
    "vulnerability_abuse_evidenced": _(
        "Evidence that the trafficker deliberately abused that vulnerability for exploitation"
    ),
    "moved_across_kr_border": _("The transportation carried the person across the state border of the Kyrgyz Republic"),
    "crossed_border": _("The person crossed a state border"),
    "illegal_border_crossing": _("The border was crossed illegally"),
    "free_consent_prostitution": _(
        "Recruited for prostitution with real voluntary consent, keeping full personal freedom, on pre-agreed terms"
    ),
    "foreseen_slave_like_dependency": _(
        "The recruiter foresaw that the person would end up fully dependent, in a slave-like state"
    ),
    "violence_against_women": _("Violence against a woman was found"),
    "high_risk": _("High risk of further violence"),
}


def due_in_words(due_at: datetime, *, now: datetime) -> str:
    """How long until a deadline, or how long past it, in the active language: "in 5 hours", "2 hours overdue".

    Minutes under an hour, hours under two days, days beyond; always rounded down (at least one minute).
    """
    seconds = abs((due_at - now).total_seconds())
    overdue = due_at < now
    if seconds < 3600:
        count = max(1, int(seconds // 60))
        if overdue:
            text = ngettext("{count} minute overdue", "{count} minutes overdue", count)
        else:
            text = ngettext("in {count} minute", "in {count} minutes", count)
    elif seconds < 48 * 3600:
        count = int(seconds // 3600)
        if overdue:
            text = ngettext("{count} hour overdue", "{count} hours overdue", count)
        else:
            text = ngettext("in {count} hour", "in {count} hours", count)
    else:
        count = int(seconds // 86400)
        if overdue:
            text = ngettext("{count} day overdue", "{count} days overdue", count)
        else:
            text = ngettext("in {count} day", "in {count} days", count)
    return text.format(count=count)
