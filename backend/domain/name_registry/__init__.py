"""The registry of names in the registration area (Guangzhou): conflict search, suggestions, CSV and synthetic data."""
from backend.domain.name_registry.conflicts import brute_force_conflicts
from backend.domain.name_registry.search import SHOWN_CONFLICTS, ConflictSearch, find_conflicts, search_conflicts
from backend.domain.name_registry.generator import generate_registry, generate_rows
from backend.domain.name_registry.loader import RegistryFileError, dump_csv, load_csv, write_csv
from backend.domain.name_registry.model import ENDED, MATCHES, STATUSES, Conflict, Entry, blocking_since
from backend.domain.name_registry.registry import NameRegistry, trade_sound
from backend.domain.name_registry.suggest import suggest

__all__ = [
    "ENDED", "MATCHES", "SHOWN_CONFLICTS", "STATUSES", "Conflict", "ConflictSearch", "Entry", "NameRegistry", "RegistryFileError", "blocking_since",
    "brute_force_conflicts", "dump_csv", "find_conflicts", "generate_registry", "generate_rows", "load_csv",
    "search_conflicts", "suggest", "trade_sound", "write_csv",
]
