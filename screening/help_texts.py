"""Short help texts from the law for the screening wizard (DOMAIN §2), translatable."""

from django.utils.translation import gettext_lazy as _

ACT_HELP = {
    "recruitment": _(
        "Any action aimed at getting the person's consent — online, through friends or family, through job ads. "
        "Complete once such an action is done, whether or not consent was obtained."
    ),
    "transportation": _(
        "Planned moving of the person: escorting them, or buying the tickets for a trip they make alone. "
        "A trip the person organised alone, not planned by traffickers, is not transportation."
    ),
    "harbouring": _(
        "Hiding the person from relatives, others or the police, or holding them until a convenient moment for "
        "transfer: flats, brothels, basements, fields."
    ),
    "receipt": _("Taking possession of the person after a transfer."),
    "transfer": _("Handing the person over to another."),
}

MEANS_HELP = {
    "threat": _("The threat must be real. Not charged separately under Art. 139 when it was the means."),
    "abduction": _("Not charged separately under Art. 165 when it was the means."),
    "blackmail": _("Threatening to reveal information the person wants kept secret."),
    "deception": _("Misleading the person about the work, the pay, the conditions or the purpose."),
    "abuse_of_vulnerability": _(
        "Includes material or other dependency on the offender. Evidence is needed of the vulnerability (no other "
        "real and acceptable option) and of its deliberate abuse by the trafficker."
    ),
    "payment_to_controller": _(
        "Giving or receiving payments or benefits to get the consent of a person who has control over the victim "
        "(Law No. 55 of 17 March 2005)."
    ),
}

PURPOSE_HELP = {
    "sexual_exploitation": _("Including the prostitution of others."),
    "organ_removal": _(
        "The offender's own purpose, or knowledge of accomplices' purpose, must be shown; consent obtained by "
        "criminal means does not make removal lawful."
    ),
    "child_pornography": _("Use of a child in pornographic materials or shows."),
    "other": _("The list is open: describe the purpose in the notes."),
}

CHILD_MEANS_NOTE = _(
    "The person is treated as a child: for a child, an act and a purpose of exploitation are enough (Art. 167). "
    "The means and the child's consent do not matter, so they are not asked."
)
