"""Orders over REST (being written)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.rest.shim import Shim


def orders_router(shim: Shim) -> APIRouter:
    """The orders endpoints."""
    return APIRouter(tags=["orders"])
