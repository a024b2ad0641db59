"""A URLconf for the API-authentication tests: the project's API plus a probe that answers what `request.auth` holds."""

from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class AuthProbe(APIView):
    """Answer which key and organisation the authentication put on request.auth (as the NGO endpoints will read it)."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        auth = request.auth
        return Response(
            {
                "key_prefix": getattr(getattr(auth, "key", None), "prefix", None),
                "organisation": getattr(getattr(auth, "organisation", None), "name", None),
            }
        )


urlpatterns = [
    path("api/v1/", include("trafficking_cms.api_urls")),
    path("probe/", AuthProbe.as_view()),
]
