"""Money: Decimal yuan, rounded once at the end, half-up to the fen."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")
