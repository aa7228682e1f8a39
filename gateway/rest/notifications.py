"""Notifications over REST (being written)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.rest.shim import Shim


def notifications_router(shim: Shim) -> APIRouter:
    """The notifications endpoints."""
    return APIRouter(tags=["notifications"])
