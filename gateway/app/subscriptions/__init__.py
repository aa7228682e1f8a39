"""Subscriptions through the gateway (docs/subscriptions.md).

The planner plans a subscription as a query: its root fetch goes to the subgraph that resolves
the root field, over a WebSocket (`upstream.py`, graphql-transport-ws); for every event the
subgraph sends, the rest of the plan runs through the normal executor, batched and behind the
breakers (`stream.py`). Clients connect with graphql-transport-ws on `/graphql` (`websocket.py`)
or with GraphQL over Server-Sent Events (`sse.py`); `registry.py` keeps the limits per connection
and per client and closes what runs on a supergraph that was replaced.
"""

from gateway.app.subscriptions.registry import SubscriptionLimits, SubscriptionRegistry
from gateway.app.subscriptions.session import Subscriber
from gateway.app.subscriptions.sse import sse_response, wants_event_stream
from gateway.app.subscriptions.websocket import serve_websocket

__all__ = [
    "Subscriber",
    "SubscriptionLimits",
    "SubscriptionRegistry",
    "serve_websocket",
    "sse_response",
    "wants_event_stream",
]
