"""The Redis broker transport, with one fix: a channel closed after its connection keeps its address.

When a worker loses Redis, Celery's consumer calls `Connection.collect()` (celery/worker/consumer/consumer.py,
`on_connection_error_after_connected`), and kombu's `Connection._do_close_transport()` then sets the transport's
`client` to None (kombu/connection.py). Closing the connection's channels stops at the first channel whose close
raises (Redis is down: restoring its unacknowledged messages fails), so other channels stay open. A channel closed
afterwards drops its connection pools first and then restores its unacknowledged messages (kombu/transport/redis.py
`Channel.close` → `QoS.restore_unacked` → `conn_or_acquire` → `pool` → `_connparams`), which reads
`self.connection.client.hostname` and raises `AttributeError: 'NoneType' object has no attribute 'hostname'`, not a
connection error: the worker process exited (kombu 5.7.0 with redis 8.1.0; the same trace as celery/kombu#582 and
celery/kombu#970). This channel remembers the connection parameters it was opened with and uses them when the
transport was detached, so the late restore (or a late acknowledgement) talks to Redis, or fails with a connection
error that the caller ignores.

Selected by CELERY_BROKER_TRANSPORT in the settings (broker URLs stay redis://).
"""

from types import SimpleNamespace

from kombu.transport import redis


class Channel(redis.Channel):
    def __init__(self, connection, *args, **kwargs):
        # Before the parent's __init__, which already connects (PING) through _connparams.
        self._opened_with = SimpleNamespace(client=connection.client, default_port=connection.default_port)
        super().__init__(connection, *args, **kwargs)

    def _connparams(self, asynchronous=False):
        transport = self.connection
        if transport is not None and transport.client is not None:
            return super()._connparams(asynchronous=asynchronous)
        # The connection was collected or closed: build the pool from the parameters the channel was opened with.
        self.connection = self._opened_with
        try:
            return super()._connparams(asynchronous=asynchronous)
        finally:
            self.connection = transport


class Transport(redis.Transport):
    Channel = Channel
