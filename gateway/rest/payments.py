"""Payments over REST (being written)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.rest.shim import Shim


def payments_router(shim: Shim) -> APIRouter:
    """The payments endpoints."""
    return APIRouter(tags=["payments"])
