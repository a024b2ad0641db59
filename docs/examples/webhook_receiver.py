#!/usr/bin/env python3
"""An example receiver of the Trafficking CMS webhooks, for an NGO's own system.

It verifies each delivery's signature with the `standardwebhooks` package (pip install standardwebhooks), answers at
once, skips a delivery it has already handled (the same `webhook-id` can arrive twice: delivery is at least once),
and then fetches the referral through the API, where consent filtering and the access log apply: the webhook itself
carries no personal data.

    export WEBHOOK_SECRET=whsec_...         # shown once when the endpoint was registered
    export CMS_URL=https://cms.example.kg   # where the API lives
    export CMS_API_KEY=...                  # the organisation's API key
    python webhook_receiver.py --port 9000

Without CMS_API_KEY it only verifies, de-duplicates and prints the events. Standard library only, besides
`standardwebhooks`; put TLS in front of it (the CMS sends only to https addresses in production).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import threading
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

MAX_BODY = 64 * 1024  # the CMS's payloads are a few hundred bytes


class SeenIds:
    """The `webhook-id`s already handled, kept in SQLite so that a restart does not handle one twice."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, at TEXT DEFAULT CURRENT_TIMESTAMP)")
        self._lock = threading.Lock()

    def first_time(self, webhook_id: str) -> bool:
        """Record the id; True when it was not there yet."""
        with self._lock, self._db:
            return self._db.execute("INSERT OR IGNORE INTO seen (id) VALUES (?)", (webhook_id,)).rowcount == 1


def fetch_referral(cms_url: str, api_key: str, referral_id: str) -> dict:
    """Read the referral through the API: only what the person consented to share with this organisation."""
    if not cms_url.startswith(("https://", "http://")):
        raise ValueError("CMS_URL must be an http(s) address")
    request = urllib.request.Request(  # noqa: S310 - an http(s) address, checked above
        f"{cms_url.rstrip('/')}/api/v1/referrals/{referral_id}/",
        headers={"Authorization": f"Api-Key {api_key}", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the configured https address
        return json.load(response)


def make_handler(webhook: Webhook, seen: SeenIds, on_event):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            declared = self.headers.get("Content-Length", "0")
            length = int(declared) if declared.isdigit() else -1
            if not 0 <= length <= MAX_BODY:
                self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
                return
            body = self.rfile.read(length)
            try:
                # Checks the HMAC (any of the signatures, during a key rotation) and that the timestamp is recent.
                event = webhook.verify(body, dict(self.headers.items()))
            except (WebhookVerificationError, ValueError):  # ValueError: a malformed signature header
                self._answer(HTTPStatus.BAD_REQUEST)
                return
            # Answer first (2xx: delivered; anything else is retried for about three days), then handle the event.
            self._answer(HTTPStatus.NO_CONTENT)
            webhook_id = self.headers["webhook-id"]
            if seen.first_time(webhook_id):
                try:
                    on_event(webhook_id, event)
                except Exception as exc:  # the delivery is answered: catch up later with ?updated_since=
                    print(f"{webhook_id} not handled: {type(exc).__name__}", file=sys.stderr, flush=True)

        def _answer(self, status: HTTPStatus) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass  # keep the console for the events

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--seen-db", default="webhooks-seen.sqlite3", help="where handled webhook-ids are kept")
    args = parser.parse_args(argv)

    webhook = Webhook(os.environ["WEBHOOK_SECRET"])
    cms_url, api_key = os.environ.get("CMS_URL", "http://127.0.0.1:8000"), os.environ.get("CMS_API_KEY")

    def on_event(webhook_id: str, event: dict) -> None:
        print(f"{webhook_id} {event['type']} {json.dumps(event.get('data', {}))}", flush=True)
        referral_id = event.get("data", {}).get("referral_id")
        if api_key and referral_id:
            # In a real system: hand this to a background job, and keep the time of the last event handled, to
            # catch up after an outage with GET /api/v1/referrals/?updated_since=<that time>.
            referral = fetch_referral(cms_url, api_key, referral_id)
            print(f"  referral {referral['id']}: {referral['status']}, shared: {', '.join(referral['shared'])}")

    server = ThreadingHTTPServer((args.host, args.port), make_handler(webhook, SeenIds(args.seen_db), on_event))
    print(f"listening on http://{args.host}:{args.port}/", file=sys.stderr)
    server.serve_forever()


if __name__ == "__main__":
    main()
