"""A C2SP tlog-witness: its own process, key and SQLite state, cosigning checkpoints of the logs it trusts.

`protocol` holds the pure request format and verdict, `state` the SQLite store, `app` the aiohttp application,
`client` the log side (`add_checkpoint`), and `python -m backend.witness` runs it.
"""
