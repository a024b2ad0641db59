"""Cells of the exports: what could run as a spreadsheet formula is quoted, hidden characters go, numbers and dates
stay numbers and dates; in CSV and in XLSX (read back with openpyxl)."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from reports.exports import csv_stream, neutralise, xlsx_file

FORMULAS = [
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(A1)",
    "\t=1+2",
    "\r=1+2",
    '  =HYPERLINK("http://x")',
    "\u3000=1",  # an ideographic space before it
    "\uff1d1+2",  # full-width equals sign
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_that_starts_like_a_formula_gets_a_leading_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Асанова", "166, 166.2.5", "a=b", "1-2", "", "Ош +996"])
def test_ordinary_text_is_left_as_it_is(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-5, 0, 3.5, date(2026, 5, 1), datetime(2026, 5, 1, 14, 30), None])
def test_numbers_dates_and_empty_cells_are_kept_as_they_are(value):
    assert neutralise(value) == value
    assert type(neutralise(value)) is type(value)


def test_nul_other_controls_and_bidi_controls_are_removed():
    assert neutralise("Ас\x00ан\u202eова\u2066\x07\u200f") == "Асанова"


def test_a_formula_hidden_behind_a_removed_character_is_still_quoted():
    assert neutralise("\x00=1+2") == "'=1+2"
    assert neutralise("\u202e=1+2") == "'=1+2"


def _rows():
    return [[text, -5, date(2026, 5, 1), datetime(2026, 5, 1, 14, 30)] for text in FORMULAS]


def test_the_csv_file_neutralises_every_cell_and_starts_with_a_byte_order_mark():
    content = b"".join(csv_stream(["=header", "n", "d", "t"], ([neutralise(v) for v in row] for row in _rows())))

    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "'=header"
    for row, text in zip(rows[1:], FORMULAS, strict=True):
        assert row == ["'" + text, "-5", "2026-05-01", "2026-05-01 14:30"]


def test_the_xlsx_file_keeps_neutralised_text_as_text_and_numbers_and_dates_as_such():
    output = xlsx_file(["=header", "n", "d", "t"], ([neutralise(v) for v in row] for row in _rows()), title="=Cases")
    sheet = load_workbook(output).active
    output.close()

    assert sheet.title == "'=Cases"
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("'=header", "s")
    for index, text in enumerate(FORMULAS, start=2):
        cell = sheet.cell(row=index, column=1)
        # XML reads a carriage return back as a line feed; the apostrophe stays in front.
        assert (cell.value, cell.data_type) == (("'" + text).replace("\r", "\n"), "s")
        assert (sheet.cell(row=index, column=2).value, sheet.cell(row=index, column=2).data_type) == (-5, "n")
        assert sheet.cell(row=index, column=3).value == datetime(2026, 5, 1)
        assert sheet.cell(row=index, column=3).is_date
        assert sheet.cell(row=index, column=4).value == datetime(2026, 5, 1, 14, 30)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
