"""The OpenAPI schema and its Swagger UI page.

Apart from trafficking_cms/api.py, which the REST framework's settings name: drf-spectacular's views import the
REST framework's views, which read those settings.
"""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import renderers


class JsonErrorsMixin:
    """Refuse in JSON, whatever the view renders when it succeeds.

    DRF renders an error with the renderer negotiated for the answer: the schema view refused in YAML
    (`detail: {string: …, code: …}`) and the Swagger UI page in HTML. Found by the malformed-header fuzzer
    (tests/test_fuzz_headers.py): every refusal under /api/v1/ is JSON."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response


class SchemaView(JsonErrorsMixin, SpectacularAPIView):
    """The OpenAPI schema (`/api/v1/schema/`), refusing in JSON."""


class SchemaDocsView(JsonErrorsMixin, SpectacularSwaggerSplitView):
    """Swagger UI (`/api/v1/docs/`), refusing in JSON."""
