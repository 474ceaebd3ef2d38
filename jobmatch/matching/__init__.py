"""Matching vacancies and jobseekers: hard constraints, hybrid retrieval, explainable ranking."""
