"""POST /api/v1/screening/qualify/: the qualification engine as JSON, for officers' sessions and API keys."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import HasOrganisationApiKey

from .qualification import LANGUAGES, QualificationInputError, qualify
from .serializers import QualifyRequestSerializer, QualifyResponseSerializer


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(OpenApiTypes.OBJECT, description=f'{description}: `{{"detail": "…"}}`.')


# Every answer the endpoint gives besides 200 and 400, so that a client generated from the schema knows them (the
# schema fuzzer, tests/test_fuzz_api.py, found 401 missing).
ERRORS = {
    401: _error("No credentials, or an unusable API key (with `WWW-Authenticate: Api-Key`)"),
    403: _error("A signed-in session without its CSRF token"),
    413: _error("The body is larger than the upload limit"),
    415: _error("A body that is not JSON"),
    429: _error("Too many requests for this key, user or address: see Retry-After"),
}


class QualifyView(APIView):
    """Qualify facts under Art. 166 / 167 / 159-160 and explain why."""

    permission_classes = [IsAuthenticated | HasOrganisationApiKey]

    @extend_schema(
        request=QualifyRequestSerializer,
        responses={200: QualifyResponseSerializer, 400: OpenApiTypes.OBJECT, **ERRORS},
        parameters=[
            OpenApiParameter(
                "language", str, OpenApiParameter.QUERY, enum=list(LANGUAGES), description="Explanation language"
            )
        ],
        summary="Qualify the facts of a case",
        examples=[
            OpenApiExample(
                "A child recruited for sexual exploitation",
                request_only=True,
                value={"act_date": "2026-11-01", "victim_age": 17, "acts": ["recruitment"],
                       "purposes": ["sexual_exploitation"]},
            ),
            OpenApiExample(
                "Art. 167",
                response_only=True,
                value={
                    "verdict": "art_167", "articles": ["167"], "child": True, "missing": [], "warnings": [],
                    "explanation": "Qualification: Art. 167 of the Criminal Code of the KR (trafficking in children)…",
                    "age": 17, "policy_rules": [],
                },
            ),
        ],
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        language = request.query_params.get("language", "en")
        if language not in LANGUAGES:
            return Response(
                {"language": [f"Unknown language; expected one of: {', '.join(LANGUAGES)}."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        facts = _json_body(request)
        if not isinstance(facts, dict):
            return Response({"non_field_errors": ["Send a JSON object of facts."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            result = qualify(facts, language)
        except QualificationInputError as exc:
            return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(result)


def _json_body(request: Request):
    """The parsed JSON body; never an empty form standing in for facts nobody sent.

    DRF hands an empty body, or a form the CSRF check of a signed-in session has already read, to the view as empty
    data without asking a parser: both are refused here, 400 for no body at all and 415 for anything but JSON.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0  # as Django and DRF read it
    if length == 0:
        raise exceptions.ParseError("The request body is empty: send the facts as a JSON object ({} for none).")
    media_type = request.content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise exceptions.UnsupportedMediaType(media_type or "none")
    return request.data
