"""Organisations (the union hierarchy), users with roles, API tokens, and area-based access."""
