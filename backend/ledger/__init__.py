"""The formation ledger as a pure library: RFC 9162 Merkle tree, proofs, C2SP signed checkpoints, offline verification.

No I/O here: `tiles` computes which stored hashes a store must read, `proofs` and `checkpoint` verify, and `verify`
checks a licence proof bundle without a server.
"""
