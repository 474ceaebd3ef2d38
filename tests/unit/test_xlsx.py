"""XLSX downloads (jobmatch.http.xlsx_bytes): text stays text, nothing becomes a formula (no server)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from jobmatch.http import XLSX_WIDTH, xlsx_bytes

COLUMNS = ("worker_id", "phone", "job_title", "score", "note")


def _sheet(rows, **kwargs):
    return load_workbook(io.BytesIO(xlsx_bytes(rows, COLUMNS, **kwargs))).active


def test_phones_and_ids_are_text_with_their_leading_zeros():
    sheet = _sheet([{"worker_id": "00123", "phone": "0912345678", "job_title": "May", "score": 0.87}],
                   text_columns=("worker_id", "phone"))
    phone, worker = sheet["B2"], sheet["A2"]
    assert (phone.value, phone.data_type, phone.number_format) == ("0912345678", "s", "@")
    assert (worker.value, worker.data_type) == ("00123", "s")
    assert (sheet["D2"].value, sheet["D2"].data_type) == (0.87, "n")  # numbers elsewhere stay numbers


def test_a_number_in_a_text_column_is_written_as_text():
    sheet = _sheet([{"phone": 912345678}], text_columns=("phone",))
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("912345678", "s")


def test_formula_looking_cells_are_escaped_like_the_csv_and_never_formulas():
    titles = ['=HYPERLINK("http://evil.example","Bấm")', "+1+2", "-3", "@SUM(A1)", "\t=1", "\r=1"]
    sheet = _sheet([{"job_title": t} for t in titles])
    for line, title in enumerate(titles, start=2):
        cell = sheet.cell(row=line, column=3)
        assert cell.data_type != "f" and cell.data_type == "s"
        assert cell.value == "'" + title.replace("\r", "\n")  # XML reads a carriage return back as a line feed
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_control_characters_are_dropped_before_the_escaping():
    sheet = _sheet([{"job_title": "\x01=1+2", "note": "ok\x0bok"}])
    assert sheet["C2"].value == "'=1+2" and sheet["E2"].value == "okok"


def test_header_row_missing_values_and_column_widths():
    sheet = _sheet([{"worker_id": "w1", "job_title": "x" * 200}, {"worker_id": "w2"}])
    assert [c.value for c in sheet[1]] == list(COLUMNS) and sheet["A1"].font.bold
    assert sheet.max_row == 3 and sheet["B2"].value is None and sheet.freeze_panes == "A2"
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert widths["C"] == XLSX_WIDTH[1] + 2 and widths["B"] == XLSX_WIDTH[0] + 2 and widths["A"] == len("worker_id") + 2


def test_an_empty_list_still_has_its_header():
    sheet = _sheet([])
    assert sheet.max_row == 1 and [c.value for c in sheet[1]] == list(COLUMNS)
