"""The WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi ...`."""

from jobmatch import create_app

app = create_app()
