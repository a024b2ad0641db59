"""B1 request floor: the sign-in page through the whole middleware stack vs a bare Django view, same process.

Both go through django.test.Client (the full WSGI handler). The bare view answers a fixed text with no middleware and
no template; the sign-in page runs every middleware, the session, CSRF, the language and renders its template.
Target: the sign-in page serves at least 0.6× the bare view's requests per second.
"""

from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse

from bench.core import Context, Result, median_seconds


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bare/", bare)]


def run(ctx: Context) -> list[Result]:
    repeat = 50 if ctx.smoke else 300
    client = Client()
    login = reverse("login")
    assert client.get(login).status_code == 200
    login_time = median_seconds(lambda: client.get(login), repeat=repeat, warmup=5)
    with override_settings(ROOT_URLCONF=__name__, MIDDLEWARE=[]):
        bare_client = Client()
        assert bare_client.get("/bare/").status_code == 200
        bare_time = median_seconds(lambda: bare_client.get("/bare/"), repeat=repeat, warmup=5)
    ratio = bare_time / login_time
    return [
        Result(
            "B1",
            "login_page_vs_bare_view_rps",
            ratio,
            ">=",
            0.6,
            f"login {1 / login_time:.0f} req/s (median {login_time * 1000:.2f} ms), "
            f"bare {1 / bare_time:.0f} req/s (median {bare_time * 1000:.2f} ms)",
        )
    ]
