"""Spreadsheets as downloads (the risk overviews, a course's participants): CSV as the language's
spreadsheet programs open it, or XLSX (openpyxl, imported only when one is made)."""

import base64
import csv
import io
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from portal.adapters.files import content_disposition
from portal.i18n import Language, decimal_mark, number
from portal.routes.schemas import FAILURES

Format = Annotated[Literal["csv", "xlsx"], Query()]
# A download link cannot set Accept-Language: the page says which language the file is in.
FileLanguage = Annotated[
    Literal["nb", "en"] | None, Query(description="The file's language (default: Accept-Language)")
]
# How each language writes a date and time in a cell: what Excel shows with that locale.
DATETIME_FORMATS: dict[Language, tuple[str, str]] = {
    "nb": ("%d.%m.%Y %H:%M", "dd.mm.yyyy hh:mm"),
    "en": ("%Y-%m-%d %H:%M", "yyyy-mm-dd hh:mm"),
}


class FileResponse(Response[str]):
    """A file as the body: base64 text, marked so that API Gateway sends the bytes. (Powertools
    validates a route's body against its return type; a bytes body would be read as UTF-8.)"""

    def __init__(self, content: bytes, content_type: str, filename: str) -> None:
        super().__init__(
            status_code=200,
            content_type=content_type,
            body=base64.b64encode(content).decode("ascii"),
            headers={
                "Content-Disposition": content_disposition(filename),
                "Cache-Control": "no-store",
            },
        )
        self.base64_encoded = True


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEET = {
    **FAILURES,
    200: {
        "description": "The spreadsheet as an attachment (`format`: csv or xlsx)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    },
}


def _csv_cell(value: Any, language: Language) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return number(value, language, grouping=False)
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMATS[language][0])
    return value


def csv_file(header: list[str], rows: list[list[Any]], language: Language) -> bytes:
    """CSV the way the language's spreadsheet programs open it: UTF-8 with a byte-order mark (so
    they read æ, ø and å), numbers and times as the language writes them, and where the decimal mark
    is a comma (Norwegian), a semicolon between the fields, as Excel expects with a Norwegian locale."""
    mark = decimal_mark(language)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if mark == "," else ",")
    writer.writerow(header)
    for row in rows:
        writer.writerow(_csv_cell(v, language) for v in row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_file(header: list[str], rows: list[list[Any]], language: Language, sheet_title: str) -> bytes:
    """An XLSX workbook (openpyxl, imported only here): numbers as numeric cells, scores shown with
    one decimal, times as date cells, a bold header that stays in view and filters on every column."""
    # openpyxl costs 85 ms at import (python -X importtime): only an .xlsx export pays for it
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", sheet_title)[:31].strip() or "1"  # what Excel allows
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
            elif isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMATS[language][1]
            elif isinstance(cell.value, str) and len(cell.value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(
    name: str,
    fmt: str,
    header: list[str],
    rows: list[list[Any]],
    language: Language,
    sheet_title: str | None = None,
) -> Response[str]:
    """A spreadsheet of the rows as a download: CSV or XLSX, in the file's language."""
    filename = f"{name}-{date.today().isoformat()}.{fmt}"
    if fmt == "csv":
        return FileResponse(csv_file(header, rows, language), "text/csv; charset=utf-8", filename)
    title = sheet_title or ("Risiko" if language == "nb" else "Risk")
    return FileResponse(xlsx_file(header, rows, language, title), XLSX, filename)
