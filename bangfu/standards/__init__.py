"""Administrators' dated values of the engine's parameters: confirmed local figures and new standards (Article 24)."""
