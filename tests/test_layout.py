"""What every page shares: the favicon, and an administration titled as this system, not as Django."""

import re

import pytest
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FAVICON = "favicon.svg"


@pytest.fixture
def superuser(ministry):
    return UserFactory(unit=ministry, is_staff=True, is_superuser=True)


def _icon_links(body: str) -> list[str]:
    return re.findall(r'<link rel="icon"[^>]*href="([^"]+)"', body)


@pytest.mark.parametrize("page", ["login", "cases:list", "notifications"])
def test_every_page_links_the_favicon(client_for, owner, page):
    body = client_for(owner).get(reverse(page)).content.decode()

    assert _icon_links(body) == [static(FAVICON)]


def test_the_favicon_is_served_by_the_project(client):
    response = client.get(static(FAVICON))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(response.streaming_content)


def test_the_administration_links_the_favicon_too(client_for, superuser):
    body = client_for(superuser).get(reverse("admin:index")).content.decode()

    assert _icon_links(body) == [static(FAVICON)]


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Trafficking case management"),
        ("ru", "Ведение дел о торговле людьми"),
        ("ky", "Адамдарды сатуу боюнча иштерди жүргүзүү"),
    ],
)
def test_the_administration_is_titled_as_this_system_in_the_readers_language(client_for, superuser, language, title):
    client = client_for(superuser)
    client.cookies["cms_language"] = language

    body = client.get(reverse("admin:index")).content.decode()

    page_title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert title in page_title
    assert not re.search(r"Django|Жанго|Джанго", page_title)
    assert re.search(r'<div id="site-name"><a [^>]*>\s*' + re.escape(title), body)
    assert "Django administration" not in body and "Django site admin" not in body


def test_the_admin_login_page_is_titled_as_this_system_too():
    body = Client().get(reverse("admin:login")).content.decode()  # Kyrgyz, the default language

    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert "Адамдарды сатуу боюнча иштерди жүргүзүү" in title
    assert not re.search(r"Django|Жанго|Джанго", title)
