"""Bulk import from CSV and JSON Lines against the real node: rejects, idempotence, batch embedding."""

import csv
import json

from jobmatch.imports import import_file
from tests import factories
from tests.conftest import RUN_PREFIX


def run(path, kind, es, embedder, **kwargs):
    return import_file(path, kind, es=es, prefix=RUN_PREFIX, embedder=embedder, progress=False, **kwargs)


def write_csv(path, rows):
    columns = sorted({key for row in rows for key in row})
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def employer_row(ext, **overrides):
    row = {"external_id": ext, "source": "excel", "name": f"Hợp tác xã Tôm {ext}", "tax_code": "2200111222",
           "industry": "A", "address.commune_code": "xa-tran-de"}
    row.update(overrides)
    return row


def test_csv_import_rejects_bad_rows_and_is_idempotent(tmp_path, es, indices, embedder):
    tag = factories.unique()
    path = tmp_path / "employers.csv"
    write_csv(path, [employer_row(f"{tag}-1"), employer_row(f"{tag}-2", tax_code="abc"),
                     employer_row(f"{tag}-3"), employer_row("", name="no id"),
                     employer_row(f"{tag}-5", **{"address.commune_code": "xa-khong-co"}),
                     employer_row(f"{tag}-1", name="duplicate")])
    first = run(path, "employers", es, embedder)
    assert (first.read, first.created, first.rejected) == (6, 2, 4)
    rejects = [json.loads(line) for line in (tmp_path / "employers.csv.rejects.jsonl").read_text().splitlines()]
    assert [r["row"] for r in rejects] == [3, 5, 6, 7]  # header is row 1
    assert "tax_code" in rejects[0]["reasons"] and "external_id" in rejects[1]["reasons"]
    assert "address" in rejects[2]["reasons"] and "repeats row 2" in rejects[3]["reasons"]["external_id"][0]
    assert all("name" not in r for r in rejects)  # the row's content is not copied into the rejects file

    alias = f"{RUN_PREFIX}employers"
    ids = [hit["_id"] for hit in es.search(index=alias, query={"prefix": {"external_id": tag}})["hits"]["hits"]]
    versions = {i: es.get(index=alias, id=i)["_seq_no"] for i in ids}
    again = run(path, "employers", es, embedder)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 4)
    assert {i: es.get(index=alias, id=i)["_seq_no"] for i in ids} == versions


def test_jsonl_jobs_are_embedded_in_batches_and_updates_reuse_vectors(tmp_path, es, indices, embedder):
    tag = factories.unique()
    employers = tmp_path / "e.csv"
    write_csv(employers, [employer_row(f"{tag}-e")])
    run(employers, "employers", es, embedder)
    employer_id = es.search(index=f"{RUN_PREFIX}employers",
                            query={"term": {"external_id": f"{tag}-e"}})["hits"]["hits"][0]["_id"]

    jobs = [factories.job(employer_id, external_id=f"{tag}-j{n}", source="excel", title=f"Công nhân nuôi tôm {n}",
                          occupation_code="6221") for n in range(5)]
    path = tmp_path / "jobs.jsonl"
    lines = [json.dumps(job, ensure_ascii=False) for job in jobs]
    lines.insert(2, "{not json")
    lines.append(json.dumps(factories.job("emp-missing", external_id=f"{tag}-x", source="excel")))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = run(path, "jobs", es, embedder, batch_size=2)
    assert (first.created, first.embedded, first.rejected) == (5, 5, 2)

    jobs[0]["salary_max"] = 12_000_000  # not part of the embedded text
    # part of it: the default model embeds a Vietnamese vacancy through its occupation's English taxonomy
    jobs[1]["occupation_code"] = "3142"
    path.write_text("\n".join(json.dumps(job, ensure_ascii=False) for job in jobs) + "\n", encoding="utf-8")
    second = run(path, "jobs", es, embedder)
    assert (second.updated, second.unchanged, second.embedded) == (2, 3, 1)


def test_csv_workers_with_lists_and_nested_cells(tmp_path, es, indices, embedder):
    tag = factories.unique()
    row = {"external_id": f"{tag}-w", "source": "excel", "personal.full_name": "Lâm Văn Tài",
           "birth_year": "1990", "gender": "male", "ethnicity": "hoa", "residence.legacy_ward_code": "31498",
           "training_level": "trung_cap", "skills": "lái xe tải; bốc xếp hàng",
           "desired_occupations": "8332", "priority_groups": "returning_migrant",
           "certificates": json.dumps([{"name": "Giấy phép lái xe hạng C", "year": 2012}], ensure_ascii=False),
           "consent.show_to_employers": "true"}
    path = tmp_path / "workers.csv"
    write_csv(path, [row])
    stats = run(path, "workers", es, embedder)
    assert (stats.created, stats.rejected) == (1, 0), stats.first_rejects
    hit = es.search(index=f"{RUN_PREFIX}workers", query={"term": {"external_id": f"{tag}-w"}})["hits"]["hits"][0]
    source = hit["_source"]
    assert source["skills"] == ["lái xe tải", "bốc xếp hàng"]
    assert source["certificates"][0]["name"] == "Giấy phép lái xe hạng C"
    assert source["residence"]["commune_code"] == "phuong-soc-trang" and source["consent"]["show_to_employers"]
