"""Settings split by environment: `base` (local and `bangfu run`), `test`, `production`."""
