"""Knowing the families precisely (issue 5): bulk import, other departments' data, verification and alerts."""
