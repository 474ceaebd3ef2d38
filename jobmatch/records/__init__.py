"""What employers, vacancies and jobseekers share: vocabularies, fields, locations, storage and the service."""
