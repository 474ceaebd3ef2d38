"""User accounts of the web application: staff and employers who sign in with a username and a password.

API tokens (jobmatch.auth.tokens) stay for machines; users are for people in browsers.
"""
