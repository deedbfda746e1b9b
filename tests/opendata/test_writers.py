"""The shared writers of `ogp_platform.opendata`: how values are written, formula
neutralisation, and JSON written in pieces that still make one valid document."""

import csv
import datetime
import io
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ogp_platform import opendata
from ogp_platform.opendata import Column


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example/","Click")',
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1:A2)",
        "\tindented",
        "\rcarriage return",
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_get_an_apostrophe(cell):
    assert opendata.csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "1", "a=b", "AP_LVA05", "'already text", " =spaced", "ā"])
def test_other_cells_are_left_alone(cell):
    assert opendata.csv_cell(cell) == cell


def test_values_are_written_as_documented():
    riga = ZoneInfo("Europe/Riga")
    assert opendata.csv_cell(None) == ""
    assert opendata.csv_cell(True) == "true"
    assert opendata.csv_cell(False) == "false"
    assert opendata.csv_cell(0) == "0"
    assert opendata.csv_cell(datetime.date(2026, 11, 27)) == "2026-11-27"
    moment = datetime.datetime(2026, 11, 27, 12, 30, 5, 123, tzinfo=riga)
    assert opendata.csv_cell(moment) == "2026-11-27T10:30:05+00:00"
    assert opendata.csv_cell(Decimal("1250.50")) == "1250.50"
    assert opendata.csv_cell(["Open Data", "Ūdens"]) == "Open Data; Ūdens"
    assert opendata.csv_cell(["-minus first", "b"]) == "'-minus first; b"
    assert opendata.json_value(moment) == "2026-11-27T10:30:05+00:00"
    assert opendata.json_value(Decimal("1250.50")) == 1250.5
    assert opendata.json_value(Decimal("1250.00")) == 1250
    assert opendata.json_value([datetime.date(2026, 1, 2)]) == ["2026-01-02"]
    assert opendata.json_value(None) is None


COLUMNS = [
    Column("name", "The name.", lambda row, context: row["name"]),
    Column("tags", "Tags.", lambda row, context: row["tags"]),
]
ROWS = [{"name": f'Rinda {n}: ģ, ķ, ļ, ņ, "quoted", comma', "tags": ["a", "b"]} for n in range(300)]


def test_csv_is_written_in_chunks_with_a_bom_and_reads_back(monkeypatch):
    monkeypatch.setattr(opendata, "CHUNK_CHARACTERS", 1000)
    chunks = list(opendata.csv_stream(COLUMNS, ROWS))
    assert len(chunks) > 5
    assert chunks[0].startswith("\ufeffname,tags\r\n")
    data = "".join(chunks).encode()
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert table[0] == ["name", "tags"]
    assert table[1:] == [[row["name"], "a; b"] for row in ROWS]


@pytest.mark.parametrize("rows", [[], ROWS[:1], ROWS])
def test_json_is_written_in_chunks_and_is_one_valid_document(monkeypatch, rows):
    monkeypatch.setattr(opendata, "CHUNK_CHARACTERS", 1000)
    meta = opendata.metadata(source_url="https://example.org/x", documentation_url="https://d")
    records = (opendata.record(COLUMNS, row) for row in rows)
    chunks = list(opendata.json_stream(meta, "rows", records))
    data = json.loads("".join(chunks))
    assert list(data) == [
        "licence",
        "source_url",
        "documentation_url",
        "generated_at",
        "rows",
    ]
    assert data["licence"]["url"] == opendata.LICENCE_URL
    assert data["rows"] == [{"name": row["name"], "tags": ["a", "b"]} for row in rows]
    if len(rows) > 100:
        assert len(chunks) > 5
