"""Real-browser tests (Playwright and Debian Chromium); see conftest.py."""
