"""Ledger: help delivered, append-only, with budgets and totals (Article 28)."""
