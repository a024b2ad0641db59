"""Indicators of trafficking (DOMAIN §4) and of vulnerability (DOMAIN §5): codes and translatable labels."""

from django.utils.translation import gettext_lazy as _

ADULT_INDICATORS = {
    "dependency_cruelty_vulnerability": _("Depends on the trafficker, is treated cruelly or is vulnerable"),
    "held_against_will": _("Held against their will"),
    "no_documents_or_relatives": _("No access to their own documents or no contact with relatives"),
    "no_access_to_earnings": _("No access to money they earned legally"),
    "unfit_living_place": _("Lives in a place unfit for living"),
}

CHILD_INDICATORS = {
    "dependency_cruelty_vulnerability": _("Depends on the trafficker, is treated cruelly or is vulnerable"),
    "held_against_will": _("Held against their will"),
    "no_contact_with_relatives": _("No contact with relatives"),
    "unfit_living_place": _("Lives in a place unfit for living"),
    "foreign_child_unaccompanied": _("A foreign child under 18 living without an adult legally responsible for them"),
}

VULNERABILITY_CHARACTERISTICS = {
    "financial_hardship": _("Hard financial situation"),
    "young_age": _("Young child or minor"),
    "mental_disorder": _("Mental or behavioural disorder"),
    "poor_education": _("Poor education"),
    "lack_of_social_skills": _("Lack of social skills"),
    "substance_dependency": _("Dependency on drugs or alcohol"),
    "illegal_stay": _("Illegal stay in the country"),
}

VULNERABILITY_PREEXISTING = {
    "poverty": _("Poverty"),
    "disability": _("Disability"),
    "young_or_old_age": _("Young or old age"),
    "gender": _("Gender"),
    "pregnancy": _("Pregnancy"),
    "culture": _("Culture"),
    "language": _("Language"),
    "belief": _("Belief"),
    "family_situation": _("Family situation"),
    "irregular_status": _("Irregular status"),
}

VULNERABILITY_CREATED = {
    "isolation": _("Social, cultural or linguistic isolation"),
    "non_standard_status": _("Non-standard status"),
    "drug_dependency_created": _("Drug dependency created by others"),
}

VULNERABILITY_KINDS = {
    "personal": _("Personal"),
    "situational": _("Situational"),
    "circumstantial": _("Circumstantial"),
}

VULNERABILITY_FACTORS = {
    "economic_hardship": _("Economic hardship and unemployment"),
    "poor_migration_knowledge": _("Poor knowledge of migration law and of jobs abroad"),
    "false_picture_abroad": _("False picture of life abroad"),
    "demand_cheap_labour": _("Demand for cheap labour"),
    "organised_crime": _("Organised crime"),
    "domestic_violence": _("Domestic violence"),
    "weak_prosecution": _("Insufficient prosecution of traffickers"),
}

ALL_VULNERABILITY = {
    **VULNERABILITY_CHARACTERISTICS,
    **VULNERABILITY_PREEXISTING,
    **VULNERABILITY_CREATED,
}


def current_vulnerability_codes(codes: list[str]) -> list[str]:
    """Return the codes of today's vulnerability list for codes as stored, in order, without repeats."""
    current: list[str] = []
    for code in codes:
        if code in ALL_VULNERABILITY and code not in current:
            current.append(code)
    return current
