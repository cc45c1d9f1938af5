"""Route modules, one per resource; each exposes `operations() -> list[Operation]`."""
