"""Views of the web interface: thin, each calls the registry's selectors and services."""
