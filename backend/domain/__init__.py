"""Pure domain rules of Kaiban: identifiers, addresses, company names; no I/O beyond reading shipped data."""
