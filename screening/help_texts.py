"""Short help texts from the law for the screening wizard (DOMAIN §2), translatable.

Each says what the handbook says of the act, means or purpose, in its words (see the Kyrgyz catalogue for its terms).
"""

from django.utils.translation import gettext_lazy as _

ACT_HELP = {
    "recruitment": _(
        "Any action aimed at getting the person's consent — online, through friends or family, through job ads. "
        "Complete once such an action is done, whether or not consent was obtained."
    ),
    "transportation": _(
        "Planned moving of the person from one place to another: escorting them, or obtaining the travel documents "
        "for a trip they make alone to the destination. Complete once begun. A trip the person organised alone, not "
        "planned by traffickers, is not transportation."
    ),
    "harbouring": _(
        "Hiding the person from relatives, close ones, others interested in their fate and law-enforcement bodies, or"
        " holding them until a convenient moment for transportation or transfer: in flats, brothels, production or "
        "living premises, basements, attics, or in the fields where they are exploited."
    ),
    "receipt": _("Taking possession of the person after a transfer."),
    "transfer": _(
        "Handing the person over to others: the acts of an intermediary, or handing the victim over after the "
        "recruitment, e.g. to a “buyer” who takes them away to exploit or house them."
    ),
}

MEANS_HELP = {
    "threat": _(
        "Announcing physical violence — beating, injury, killing, leaving without food or water — if the person does "
        "not obey. The threat must be real. Not charged separately under Art. 139 when it was the means."
    ),
    "force": _(
        "Physical harm that makes the person easier to control: beating, torture, unlawful deprivation of liberty, "
        "light or less serious harm to health."
    ),
    "abduction": _(
        "Seizing the person — secretly, openly, by deception or by abusing their trust — and taking them from where "
        "they live to where the offender wants, to be handed on. Not charged separately under Art. 165 when it was "
        "the means."
    ),
    "blackmail": _(
        "Forcing the person to obey by threatening violence against their close relatives, destroying or damaging "
        "their property, or revealing information they want kept secret and whose disclosure could seriously harm "
        "them (e.g. the secret of an adoption)."
    ),
    "deception": _(
        "Knowingly giving false or misleading information about, or hiding, facts that matter for the person's "
        "decision: the kind of work, the living conditions, the pay."
    ),
    "abuse_of_vulnerability": _(
        "Includes material dependency on the offender (kept by them, living in their housing) and other dependency "
        "(at work, in service or study, in the family). Evidence is needed of the vulnerability (no other real and "
        "acceptable option) and of its deliberate abuse by the trafficker."
    ),
    "payment_to_controller": _(
        "Giving or receiving payments or benefits to get the consent of a person who has control over the victim "
        "(Law No. 55 of 17 March 2005)."
    ),
}

PURPOSE_HELP = {
    "sexual_exploitation": _("Including the prostitution of others."),
    "forced_labour": _(
        "Work or services forced out of the person. Tell it apart from merely poor working conditions: the purpose of"
        " exploitation must be shown."
    ),
    "organ_removal": _(
        "The offender's own purpose, or knowledge of accomplices' purpose, must be shown; consent obtained by "
        "criminal means does not make removal lawful."
    ),
    "forced_begging": _(
        "Forcing the person, a child too, to beg against their will and handing the money or other gain, or part of "
        "it, to the exploiters."
    ),
    "child_pornography": _("Use of a child in pornographic materials or shows."),
    "other": _("The list is open: describe the purpose in the notes."),
}

CHILD_MEANS_NOTE = _(
    "The person is treated as a child: for a child, an act and a purpose of exploitation are enough (Art. 167). "
    "The means and the child's consent do not matter, so they are not asked."
)

# Vulnerability (DOMAIN §5): the handbook's characteristics, each in a line; what existed before and what arose later.
VULNERABILITY_HELP = {
    "financial_hardship": _(
        "No money, work or means to live on, or debts: the person accepts the trafficker's offer for lack of another "
        "real option."
    ),
    "age": _(
        "A young child or a minor (under 18), or an elderly person: easier to deceive, control or make dependent."
    ),
    "disability": _("A lasting intellectual or physical impairment."),
    "mental_disorder": _("Any mental or behavioural disorder, diagnosed or evident."),
    "substance_dependency": _(
        "A dependency on drugs or alcohol the person had before; a drug dependency created later is ticked below."
    ),
    "poor_education": _("Little or no schooling: less able to check an offer of work or travel."),
    "lack_of_social_skills": _("Little experience of dealing with strangers, employers or officials."),
    "gender": _("Vulnerability that comes with the person's sex, e.g. discrimination against women."),
    "pregnancy": _("The person is or was pregnant."),
    "culture": _("Cultural customs that make exploitation easier, e.g. traditional practices similar to slavery."),
    "language": _("The person does not speak, or hardly speaks, the language of the place."),
    "belief": _("Religious or other beliefs the trafficker can use to control the person."),
    "family_situation": _("E.g. domestic violence, no family support, or a family that sends the person away."),
    "irregular_status": _(
        "The person stays in the country illegally or without a settled legal status (no residence or work permit)."
    ),
    "isolation": _(
        "Cut off from family, community or language, e.g. in a foreign country whose language the person does not "
        "speak."
    ),
    "non_standard_status": _(
        "A status outside the usual that arose later, e.g. the person's documents were taken away or their right to "
        "stay ran out."
    ),
    "drug_dependency_created": _(
        "A drug dependency created after the recruitment, e.g. by the trafficker to control the person: dependency "
        "on the trafficker."
    ),
}

VULNERABILITY_KIND_HELP = {
    "personal": _("E.g. a physical or mental disability of the person."),
    "situational": _("E.g. being in a foreign country where the person is socially or linguistically isolated."),
    "circumstantial": _("E.g. unemployment or financial hardship."),
}

VULNERABILITY_INTRO = _(
    "Vulnerability: the person had no other real and acceptable option but to accept the trafficker's terms. Tick "
    "each item once, under whether it existed before or arose later."
)
VULNERABILITY_CREATED_HELP = _("Created by the trafficker, it is called dependency on the trafficker.")
VULNERABILITY_FACTORS_HELP = _(
    "The main causes of trafficking in persons in Kyrgyzstan that the handbook names: recorded for statistics."
)

SEXUAL_VIOLENCE_HELP = _(
    "If yes, the legal representative must be told at once about free prevention of STIs, HIV and unwanted "
    "pregnancy at a health organisation: it works only within 72 hours after the assault."
)
