"""django-simple-history's admin as every admin of the project uses it: a malformed id answers 404, not a 500."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model


class HistoryAdmin(SimpleHistoryAdmin):
    """The history pages check the ids of the address before the lookup: simple-history filters with them as given, so
    `…/recipient/1/history/` (a UUID key) or a version that is not a number raised ValidationError or ValueError."""

    def _refuse_malformed(self, object_id, version_id=None) -> None:
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                get_history_model_for_model(self.model)._meta.pk.to_python(version_id)
        except (ValidationError, ValueError, TypeError) as exc:
            raise Http404 from exc

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_malformed(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._refuse_malformed(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
