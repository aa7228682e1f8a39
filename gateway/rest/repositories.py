"""Repositories over REST (being written)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.rest.shim import Shim


def repositories_router(shim: Shim) -> APIRouter:
    """The repositories endpoints."""
    return APIRouter(tags=["repositories"])
