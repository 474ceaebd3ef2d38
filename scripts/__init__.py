"""Launchers for the local development services (stdlib only)."""
