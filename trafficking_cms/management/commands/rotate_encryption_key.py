"""Re-encrypt the encrypted personal data under the first key of FIELD_ENCRYPTION_KEYS, and refresh blind indexes."""

from django.core.management.base import BaseCommand

from accounts import encryption
from accounts.rotation import TableCount, rotate_all
from cases.models import Victim
from cases.probes import document_blind_index, phone_blind_index


def victim_blind_indexes(plain: dict[str, str]) -> dict[str, str]:
    return {
        "phone_key": phone_blind_index(plain.get("phone", "")),
        "document_key": document_blind_index(plain.get("id_document_number", "")),
    }


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value (history tables included) under the first key of FIELD_ENCRYPTION_KEYS, "
        "in batches; idempotent and resumable. Also recomputes the victims' blind indexes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        current = encryption.current_key_id()
        known = ", ".join(k.key_id for k in encryption.field_keys())
        self.stdout.write(f"Encrypting key: {current}; keys known: {known}")
        blind = {
            Victim._meta.db_table: victim_blind_indexes,
            Victim.history.model._meta.db_table: victim_blind_indexes,
        }
        counts = rotate_all(dry_run=dry_run, blind_indexes=blind, report=self._report)
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        total = TableCount(table="total")
        for count in counts:
            for name in ("rows", "values", "current", "reencrypted", "plaintext", "reindexed", "conflicts"):
                setattr(total, name, getattr(total, name) + getattr(count, name))
        self.stdout.write(
            f"Total: {total.rows} rows, {total.values} values; {verb} {total.reencrypted}, encrypted plain "
            f"{total.plaintext}, blind indexes {total.reindexed}, already current {total.current}, "
            f"changed meanwhile {total.conflicts}."
        )
        if total.conflicts:
            self.stdout.write(self.style.WARNING("Some rows changed while rotating: run the command again."))
        elif not dry_run:
            self.stdout.write(self.style.SUCCESS("Every value is now under the first key; older keys may be removed."))

    def _report(self, count: TableCount) -> None:
        keys = ", ".join(f"{key}: {n}" for key, n in sorted(count.by_key.items())) or "none"
        self.stdout.write(
            f"{count.table}: {count.rows} rows, {count.values} values (by key {keys}); re-encrypted "
            f"{count.reencrypted}, plain encrypted {count.plaintext}, blind indexes {count.reindexed}, "
            f"conflicts {count.conflicts}"
        )
