"""Knowing the families precisely (Article 26, 精准识别): bulk import, other departments' data, verification and alerts."""
