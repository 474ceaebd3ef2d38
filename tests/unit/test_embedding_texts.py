"""What vacancies and jobseekers are embedded from, for an English-only and a multilingual model (pure)."""

from jobmatch.jobs.service import embedding_text as job_text
from jobmatch.jobs.service import occupation_info
from jobmatch.workers.service import embedding_text as worker_text

ENGLISH = frozenset({"en"})
MULTILINGUAL = frozenset({"vi", "en"})


def vacancy(**overrides):
    doc = {"title": "Tuyển thợ hàn CO2", "description": "Hàn khung thép nhà xưởng.", "occupation_code": "7212",
           "occupation": occupation_info("7212"), "essential_skills": ["hàn CO2"], "optional_skills": []}
    doc.update(overrides)
    return doc


def test_english_model_reads_the_taxonomy_for_vietnamese_text():
    text = job_text(vacancy(), ENGLISH)
    assert text.startswith("Welders and flamecutters") and "hàn" not in text


def test_multilingual_model_reads_the_posting_itself():
    text = job_text(vacancy(), MULTILINGUAL)
    assert "Tuyển thợ hàn CO2" in text and "Hàn khung thép" in text and "Welders and flamecutters" in text


def test_english_text_is_embedded_as_written():
    text = job_text(vacancy(title="Welder needed", description="MIG welding of steel frames."), ENGLISH)
    assert "Welder needed" in text


def test_jobseeker_via_desired_and_auto_coded_past_occupations():
    person = {"desired_occupations": ["8153"], "skills": ["may công nghiệp"], "certificates": [],
              "work_history": [{"title": "thợ hàn", "from_year": 2015}], "work_history_codes": ["7212"]}
    text = worker_text(person, ENGLISH)
    assert text.startswith("Sewing machine operators") and "Welders and flamecutters" in text
    assert "may công nghiệp" in worker_text(person, MULTILINGUAL)
    uncoded = {**person, "desired_occupations": [], "work_history_codes": [""]}
    assert worker_text(uncoded, ENGLISH) == worker_text(uncoded, MULTILINGUAL)  # nothing better to say


def test_a_vector_of_unread_text_is_marked():
    from jobmatch.embeddings import UNSERVED
    from jobmatch.workers.service import embedding_basis

    uncoded = {"desired_occupations": [], "skills": ["may công nghiệp"], "certificates": [],
               "work_history": [{"title": "làm ruộng", "from_year": 2015}], "work_history_codes": [""]}
    assert embedding_basis(uncoded, ENGLISH) == UNSERVED  # the matcher leaves its similarity out
    assert embedding_basis(uncoded, MULTILINGUAL) == "text"
    assert embedding_basis({**uncoded, "work_history_codes": ["6111"]}, ENGLISH) == "text"  # via the taxonomy
    english = {**uncoded, "skills": ["sewing"], "work_history": [{"title": "farm worker", "from_year": 2015}]}
    assert embedding_basis(english, ENGLISH) == "text"
