"""Small pieces shared by the Django apps: domain errors, request context, middleware, ID numbers."""
