"""Audit over REST (being written)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.rest.shim import Shim


def audit_router(shim: Shim) -> APIRouter:
    """The audit endpoints."""
    return APIRouter(tags=["audit"])
