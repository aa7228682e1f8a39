"""The `/api/v1` REST shims: each endpoint validates its request, runs one named GraphQL
operation through the gateway's own pipeline (`OperationRunner`, given by the app), and maps the
answer into the original services' envelope. Nothing here imports `gateway.app`."""

from gateway.rest.envelope import failure, success
from gateway.rest.idempotency import idempotency_store
from gateway.rest.router import Idempotency, OperationRunner, install_rest
from gateway.rest.runner import CallerScope

__all__ = [
    "CallerScope",
    "Idempotency",
    "OperationRunner",
    "failure",
    "idempotency_store",
    "install_rest",
    "success",
]
