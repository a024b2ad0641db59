"""The per-user rate limit keeps counting, and the page keeps working, when the shared cache (Redis) is down."""

import pytest
from django.urls import reverse

from accounts.throttle import rate_limit_allows

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_with_the_cache_down_the_limit_is_counted_in_the_process(settings):
    settings.CACHES = DEAD_REDIS

    allowed = [rate_limit_allows(scope="probe", user_id=7, limit=3, window_seconds=600) for _ in range(5)]

    assert allowed == [True, True, True, False, False]


@pytest.mark.django_db
def test_with_the_cache_down_the_duplicate_check_still_answers(settings, client_for, owner, case):
    settings.CACHES = DEAD_REDIS
    settings.DUPLICATE_CHECK_RATE = (2, 600)
    client = client_for(owner)
    client.session.save()  # sessions live in the database, not in the cache
    url = reverse("cases:victim_duplicates", args=[case.pk])

    answers = [client.post(url, {"last_name": "Асанова"}, HTTP_HX_REQUEST="true").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
