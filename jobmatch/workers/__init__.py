"""Jobseekers (workers) registered by counsellors."""
