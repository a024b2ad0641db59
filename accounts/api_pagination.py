"""The API's one way of paging lists: `limit` (default 50, at most 200) and `offset`."""

from rest_framework.pagination import LimitOffsetPagination


class LimitOffsetPages(LimitOffsetPagination):
    """`limit` and `offset`; the answer holds `count`, `next` and `previous` (the URLs of the pages beside) and
    `results`. A client follows `next` until it is null."""

    default_limit = 50
    max_limit = 200

    def get_paginated_response_schema(self, schema: dict) -> dict:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["next"]["example"] = "https://cms.example.kg/api/v1/referrals/?limit=50&offset=100"
        described["properties"]["previous"]["example"] = "https://cms.example.kg/api/v1/referrals/?limit=50&offset=0"
        return described
