"""The audit trail: one append-only row per create, change, delete, state change or sensitive read."""
