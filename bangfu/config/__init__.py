"""Django configuration of the case-management service: settings, URLs, the API and the WSGI entry point."""
