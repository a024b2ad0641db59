"""POST /api/v1/screening/qualify/: the qualification engine as JSON, for officers' sessions and API keys."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import HasOrganisationApiKey

from .qualification import LANGUAGES, QualificationInputError, qualify
from .serializers import QualifyRequestSerializer, QualifyResponseSerializer


class QualifyView(APIView):
    """Qualify facts under Art. 166 / 167 / 159-160 and explain why."""

    permission_classes = [IsAuthenticated | HasOrganisationApiKey]

    @extend_schema(
        request=QualifyRequestSerializer,
        responses={200: QualifyResponseSerializer, 400: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter(
                "language", str, OpenApiParameter.QUERY, enum=list(LANGUAGES), description="Explanation language"
            )
        ],
        summary="Qualify the facts of a case",
    )
    def post(self, request: Request) -> Response:
        language = request.query_params.get("language", "en")
        if language not in LANGUAGES:
            return Response(
                {"language": [f"Unknown language; expected one of: {', '.join(LANGUAGES)}."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if not isinstance(request.data, dict):
            return Response({"non_field_errors": ["Send a JSON object of facts."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            result = qualify(request.data, language)
        except QualificationInputError as exc:
            return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(result)
