"""The packaged model, loaded offline: dimensions, normalisation, batching, name."""

import math

from jobmatch.embeddings import Embedder, model_identity, resolve_model_path


def test_packaged_model_resolves_to_site_packages():
    path = resolve_model_path("sentence-transformers/all-MiniLM-L6-v2")
    assert "site-packages" in path and path.endswith("model")


def test_local_paths_are_recorded_by_folder_name(tmp_path):
    assert model_identity(str(tmp_path / "my-model")) == "my-model"
    assert model_identity("intfloat/multilingual-e5-small") == "intfloat/multilingual-e5-small"


def test_embeddings_are_normalised_and_batch_independent(embedder: Embedder):
    texts = ["thợ hàn điện - electric welder", "công nhân may - sewing machine operator", "kế toán"]
    batch = embedder.embed_documents(texts)
    assert embedder.dimension == 384 and len(batch) == 3
    for vector in batch:
        assert math.isclose(math.sqrt(sum(x * x for x in vector)), 1.0, rel_tol=1e-4)
    single = embedder.embed_query(texts[1])
    assert max(abs(a - b) for a, b in zip(single, batch[1], strict=True)) < 1e-4


def test_related_texts_are_closer_than_unrelated(embedder: Embedder):
    welder, welding, sewing = embedder.embed_documents(["welder", "welding metal", "sewing clothes"])
    def cos(a, b):
        return sum(x * y for x, y in zip(a, b, strict=True))
    assert cos(welder, welding) > cos(welder, sewing)


def test_info_reports_name_and_dims(embedder: Embedder):
    assert embedder.info() == {"name": "sentence-transformers/all-MiniLM-L6-v2", "dims": 384, "loaded": True}


def test_other_precisions_load_and_stay_close_to_fp32(embedder: Embedder):
    texts = ["Thợ hàn / Welders and flamecutters. Skills: hàn hồ quang", "Nhân viên bán hàng / Shop sales assistants"]
    reference_vectors = embedder.embed_documents(texts)
    for precision, floor in (("bf16", 0.999), ("int8", 0.8)):
        other = Embedder(embedder.model_setting, precision=precision).embed_documents(texts)
        for a, b in zip(reference_vectors, other, strict=True):
            assert sum(x * y for x, y in zip(a, b, strict=True)) > floor, precision
