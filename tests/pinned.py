"""Key material pinned in the repository for tests: tests trust these, never the key a server serves."""

# Test-only Ed25519 seed of the log (SHA-256 of "kaiban test ledger key"); a deployment sets its own.
TEST_LEDGER_SEED_B64 = "GAv109q+qwK6KewlfqKvG3T6TpiA70oVVY/6PJ/rbbQ="
# The verifier key of that seed, written down once: tests verify checkpoints with this string.
PINNED_LEDGER_VKEY = "kaiban.huangpu.gov.cn/formation-ledger+00e4c1c3+AQVkpubGWp5HdeDgYKfdyMXxwCxfHocGCrN1MkrxOi3m"
LEDGER_ORIGIN = "kaiban.huangpu.gov.cn/formation-ledger"
