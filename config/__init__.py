"""Configuration of jobmatch: defaults, environment overrides and the gunicorn settings."""

from config.settings import SETTINGS, ConfigError, Setting, es_url, load_settings, redacted, uses_local_node

__all__ = ["SETTINGS", "ConfigError", "Setting", "es_url", "load_settings", "redacted", "uses_local_node"]
