"""Who reads personal data and from which address, for the access log (ARCHITECTURE §3)."""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from .api_auth import ApiKeyAuth
from .models import ApiKey, User


@dataclass(frozen=True)
class Reader:
    """Who is behind a request: the signed-in user, or an organisation's API key (the user then is anonymous); the
    client's address and browser."""

    user: User
    ip_address: str | None = None
    user_agent: str = ""
    api_key: ApiKey | None = None


def reader_from(request: HttpRequest) -> Reader:
    """Return the reader of a request (a browser's, or an API call's with its key), with the client's address seen
    through the trusted proxies."""
    auth = getattr(request, "auth", None)  # set by the API's authentication (a DRF request) only
    return Reader(
        user=request.user,  # type: ignore[arg-type]
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        api_key=auth.key if isinstance(auth, ApiKeyAuth) else None,
    )


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address: the peer, or behind TRUSTED_PROXY_COUNT proxies the address the outermost one saw.

    Each trusted proxy appends its peer to X-Forwarded-For, so the client is the N-th entry from the right; anything
    further left was written by the client and is not trusted. A header with fewer entries than trusted proxies, or
    an entry that is not an address, falls back to the peer.
    """
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return peer
    return _address(hops[-proxies]) or peer


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
