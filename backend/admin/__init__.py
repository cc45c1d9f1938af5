"""Operator commands (`python -m backend.admin ...`), run against the configured database."""
