"""Reading downloaded files the way their users do: a spreadsheet program (UTF-8 with a
byte-order mark, parsed by the csv module) and a JSON parser."""

import csv
import io
import json

from django.http import StreamingHttpResponse

BOM = b"\xef\xbb\xbf"


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse), type(response)
    return b"".join(response.streaming_content)


def csv_table(response) -> list[list[str]]:
    """The CSV file's lines as lists of cells, the header first."""
    data = body(response)
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_records(response) -> list[dict]:
    header, *rows = csv_table(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def json_file(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(body(response).decode("utf-8"))
