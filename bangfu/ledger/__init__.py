"""Ledger: help delivered, append-only, with budgets and totals (issue 4, Article 28)."""
