"""The wire side of webhooks, without the database: which URLs are allowed, the Standard Webhooks signature, and one
HTTP POST to an address checked and pinned (so that a DNS answer changed after the check cannot redirect it).

Nothing here logs or raises a URL: it may carry the organisation's token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, urlsplit

import urllib3
from django.conf import settings

from accounts.validators import HIDDEN_CHARACTERS

USER_AGENT = "TraffickingCMS-Webhooks/1"
MAX_URL_LENGTH = 500
# A Retry-After further away than this is taken as this: the schedule's own longest wait is 16 hours.
MAX_RETRY_AFTER_SECONDS = 24 * 3600


class UrlRefused(Exception):
    """The URL may not receive webhooks; the message says why (English, for the API; the URL is never in it)."""


@dataclass(frozen=True)
class Target:
    """A URL checked for delivery: the address to connect to, and the name the server must prove it is."""

    scheme: str
    host: str  # the name in the URL (or an address literal)
    port: int
    address: str  # the checked address the connection goes to
    path: str  # path and query

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True)
class Response:
    status: int
    retry_after: float | None
    duration_ms: int


def resolve(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to (an address literal resolves to itself); empty when it does not."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return list(dict.fromkeys(answer[4][0] for answer in answers))


def address_is_public(address: str) -> bool:
    """A globally routable unicast address: not private, loopback, link-local, reserved, multicast or unspecified."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


def check_url(url: str) -> Target:
    """Check a webhook URL as the settings ask (https, public addresses) and resolve it; raise UrlRefused."""
    parts = _split(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or ""
    addresses = resolve(host, port)
    if not addresses:
        raise UrlRefused("The host name does not resolve.")
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES and not all(map(address_is_public, addresses)):
        # Every answer must be public: one private answer among public ones would be tried by some clients.
        raise UrlRefused("The URL points at a private, loopback, link-local or reserved address.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=parts.scheme, host=host, port=port, address=addresses[0], path=path)


def _split(url: str) -> SplitResult:
    if not isinstance(url, str) or not url:
        raise UrlRefused("Give the URL.")
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    if any(character in HIDDEN_CHARACTERS for character in url) or any(
        ord(character) < 0x21 or ord(character) == 0x7F for character in url
    ):
        raise UrlRefused("The URL contains spaces, control characters or text-direction overrides.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise UrlRefused("The URL is not valid.") from exc
    allowed = ("https",) if settings.WEBHOOK_REQUIRE_HTTPS else ("https", "http")
    if parts.scheme not in allowed:
        raise UrlRefused("The URL must start with https://." if parts.scheme == "http" else "Use an https:// URL.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UrlRefused("The URL may not contain a user name or password: authenticate with the signature.")
    if not parts.hostname:
        raise UrlRefused("The URL has no host.")
    if parts.fragment:
        raise UrlRefused("The URL may not contain a fragment (#...).")
    return parts


def sign(*, secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per secret, space-separated
    (two while a rotation lasts). The one function that signs."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    signatures = []
    for secret in secrets:
        key = base64.b64decode(secret.removeprefix("whsec_"))
        digest = hmac.new(key, signed, hashlib.sha256).digest()
        signatures.append(f"v1,{base64.b64encode(digest).decode()}")
    return " ".join(signatures)


def post(target: Target, *, body: bytes, headers: dict[str, str]) -> Response:
    """POST the body to the checked address (never following a redirect); raise urllib3's errors on failure."""
    timeout = urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT_SECONDS)
    if target.scheme == "https":
        is_literal = _is_address(target.host)
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            host=target.address, port=target.port, timeout=timeout, retries=False, maxsize=1,
            cert_reqs="CERT_REQUIRED", server_hostname=None if is_literal else target.host,
            assert_hostname=target.host,
        )  # fmt: skip
    else:
        pool = urllib3.HTTPConnectionPool(
            host=target.address, port=target.port, timeout=timeout, retries=False, maxsize=1
        )
    started = time.monotonic()
    try:
        response = pool.urlopen(
            "POST", target.path, body=body, headers={**headers, "Host": target.host_header}, redirect=False,
            retries=False, preload_content=False, assert_same_host=False,
        )  # fmt: skip
        duration_ms = int((time.monotonic() - started) * 1000)
        response.release_conn()  # the body is not read: nothing of it is kept
        return Response(
            status=response.status, retry_after=parse_retry_after(response.headers), duration_ms=duration_ms
        )
    finally:
        pool.close()


def elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def parse_retry_after(headers) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), at most MAX_RETRY_AFTER_SECONDS; None if absent."""
    value = (headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment is None or moment.tzinfo is None:
            return None
        seconds = moment.timestamp() - time.time()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
