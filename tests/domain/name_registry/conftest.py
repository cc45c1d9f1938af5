"""Shared helpers for the name registry tests."""
from __future__ import annotations

import datetime as dt

import pytest

from backend.domain.name_registry import NameRegistry

TODAY = dt.date(2025, 12, 1)


@pytest.fixture
def registry() -> NameRegistry:
    """An empty registry."""
    return NameRegistry()
