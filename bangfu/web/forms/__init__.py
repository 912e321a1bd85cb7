"""Forms of the web pages: they parse what was typed; the registry's validation and services decide."""
