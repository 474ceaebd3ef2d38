"""Employers: the register of businesses that bring vacancies."""
