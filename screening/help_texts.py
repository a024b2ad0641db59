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
