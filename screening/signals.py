"""Signals of the screening app, for the apps above it (referrals) that act in the same transaction."""

from django.dispatch import Signal

# Sent inside the transaction that added due items to a case after a screening: kwargs case, screening, obligations
# (the new Obligation rows), actor. The referrals app drafts the referrals their routes ask for.
obligations_added = Signal()
