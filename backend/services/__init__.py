"""Use cases: load through the models, call the domain, persist and append to the ledger in one transaction."""
