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

# Vulnerability (аялуулук): the handbook describes it by characteristics, then says it may have existed before or
# been created later (by the trafficker: dependency on the trafficker), listing each kind. Its lists repeat one another
# (hard financial situation / poverty, a minor / young or old age, illegal stay / irregular status, a dependency /
# a drug dependency created): here each item is listed once, under when it arose.
VULNERABILITY_EXISTING = {
    "financial_hardship": _("Hard financial situation or poverty"),
    "age": _("Young or old age: a young child, a minor, an elderly person"),
    "disability": _("Intellectual or physical disability"),
    "mental_disorder": _("Mental or behavioural disorder"),
    "substance_dependency": _("Dependency on drugs or alcohol that existed before"),
    "poor_education": _("Poor education"),
    "lack_of_social_skills": _("Lack of social skills"),
    "gender": _("Gender"),
    "pregnancy": _("Pregnancy"),
    "culture": _("Culture"),
    "language": _("Language"),
    "belief": _("Belief"),
    "family_situation": _("Family situation"),
    "irregular_status": _("Illegal stay or irregular status in the country"),
}

VULNERABILITY_CREATED = {
    "isolation": _("Social, cultural or linguistic isolation"),
    "non_standard_status": _("Non-standard status"),
    "drug_dependency_created": _("Drug dependency created later, e.g. by the trafficker"),
}

VULNERABILITY_GROUPS = {
    "existing": {"legend": _("Vulnerability that existed before"), "items": VULNERABILITY_EXISTING},
    "created": {"legend": _("Vulnerability created later"), "items": VULNERABILITY_CREATED},
}

# Codes of the earlier, overlapping lists, as screenings stored before issue 8 hold them: read as today's item.
OLD_VULNERABILITY_CODES = {
    "poverty": "financial_hardship",
    "young_age": "age",
    "young_or_old_age": "age",
    "illegal_stay": "irregular_status",
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

ALL_VULNERABILITY = {**VULNERABILITY_EXISTING, **VULNERABILITY_CREATED}


def current_vulnerability_codes(codes: list[str]) -> list[str]:
    """Return today's codes for vulnerability codes as stored (old ones mapped), in order, without repeats."""
    current: list[str] = []
    for code in (OLD_VULNERABILITY_CODES.get(code, code) for code in codes):
        if code in ALL_VULNERABILITY and code not in current:
            current.append(code)
    return current
