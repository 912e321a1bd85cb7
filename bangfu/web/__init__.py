"""The Chinese web interface: server-rendered pages with htmx, over the registry's selectors and services."""
