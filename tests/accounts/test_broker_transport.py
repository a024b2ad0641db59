"""The broker transport (trafficking_cms/broker.py) against a Redis of the test's own, without a worker.

The state Celery's consumer leaves when it loses Redis: the connection collected (kombu detaches its transport) while
a channel that holds unacknowledged messages is still open. Closing that channel restores the messages; with kombu's
own Redis transport that raised AttributeError ('NoneType' object has no attribute 'hostname'), which the worker does
not treat as a connection error, and the worker process exited.
"""

import pytest
from kombu import Connection, Exchange, Queue

from trafficking_cms.broker import Transport

OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 3}
QUEUES = [Queue(f"broker-test-{n}", Exchange(f"broker-test-{n}", type="direct"), f"broker-test-{n}") for n in range(3)]
PER_QUEUE = 2


def _open_channels_with_unacked_messages(url: str, transport) -> tuple[Connection, list]:
    """Three channels of one connection, each holding PER_QUEUE messages received from its own queue, not acked."""
    with Connection(url, transport_options=OPTIONS) as publisher:
        producer = publisher.Producer()
        for queue in QUEUES:
            for n in range(PER_QUEUE):
                producer.publish({"n": n}, exchange=queue.exchange, routing_key=queue.routing_key, declare=[queue])
    connection = Connection(url, transport_options=OPTIONS, transport=transport)
    channels = [connection.default_channel, connection.channel(), connection.channel()]
    for channel, queue in zip(channels, QUEUES, strict=True):
        connection.Consumer(queue, channel=channel, callbacks=[lambda body, message: None]).consume()
    for _ in range(len(QUEUES) * PER_QUEUE):
        connection.drain_events(timeout=2)
    assert [len(channel.qos._delivered) for channel in channels] == [PER_QUEUE] * len(QUEUES)
    return connection, channels


def _close_after_the_connection_was_collected(redis, transport) -> list[BaseException]:
    connection, channels = _open_channels_with_unacked_messages(redis.url, transport)
    redis.stop()
    connection.collect(socket_timeout=5)  # what the consumer does when the broker is lost
    errors = []
    for channel in channels:
        try:
            channel.close()
        except Exception as exc:  # which errors a late close raises is the point
            errors.append(exc)
    return errors


def test_kombus_own_transport_raises_attribute_error_closing_a_channel_of_a_collected_connection(private_redis):
    errors = _close_after_the_connection_was_collected(private_redis, None)  # redis:// → kombu's transport

    assert any(isinstance(error, AttributeError) and "hostname" in str(error) for error in errors)


def test_a_channel_of_a_collected_connection_closes_with_at_most_a_connection_error(private_redis):
    errors = _close_after_the_connection_was_collected(private_redis, Transport)

    assert all(isinstance(error, Transport.connection_errors) for error in errors), errors


def test_the_settings_use_this_transport_for_a_redis_broker():
    from django.conf import settings

    if not settings.REDIS_URL:
        pytest.skip("without REDIS_URL the broker is in memory")
    assert settings.CELERY_BROKER_TRANSPORT == "trafficking_cms.broker:Transport"
