"""Products over REST (being written)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.rest.shim import Shim


def products_router(shim: Shim) -> APIRouter:
    """The products endpoints."""
    return APIRouter(tags=["products"])
