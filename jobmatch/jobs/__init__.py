"""Vacancies (jobs) employers bring to the centre."""
