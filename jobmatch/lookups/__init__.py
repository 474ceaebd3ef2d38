"""Look-ups over the reference tables: the occupation autocoder and type-ahead for occupations, places, skills."""
