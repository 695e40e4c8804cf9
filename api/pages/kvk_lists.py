"""A list of KvK numbers as a buyer brings it: pasted (one a line, or separated by commas,
semicolons or spaces) or a CSV file (a column of KvK numbers, with or without a header row,
separated by ``;`` as Dutch Excel writes it or by ``,`` or tabs, UTF-8 with or without a BOM,
or Windows-1252 as Excel's plain "CSV" saves it). Each entry keeps the line it came from, so an
answer can point at it; what an entry is worth is for the register's question to say."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from api.pages.forms import FieldError, FormError
from api.pages.labels import N_
from api.schemas import MAX_VERIFY_ITEMS

#: at most as many numbers as one verify request takes
MAX_ENTRIES = MAX_VERIFY_ITEMS
#: the largest file taken (1000 lines of a spreadsheet with a few columns fit in it many times)
MAX_FILE_BYTES = 512 * 1024
#: what a pasted list is separated by
SEPARATORS = re.compile(r"[\s,;]+")
#: the start of files that are spreadsheets or documents, not CSV text
NOT_TEXT = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DIGIT = re.compile(r"[0-9]")

NOTHING = N_("Vul ten minste één KvK-nummer in, of kies een CSV-bestand.")
BOTH = N_("Plak de KvK-nummers óf kies een CSV-bestand, niet allebei.")
TOO_MANY = N_(
    "De lijst heeft %(count)s KvK-nummers; het register controleert er ten hoogste %(max)s "
    "tegelijk. Verdeel de lijst over meer controles."
)
TOO_BIG = N_("Het bestand is groter dan %(max)s kB. Een lijst van %(lines)s KvK-nummers past ruim.")
NOT_CSV = N_(
    "Het bestand is geen CSV-bestand. Sla een spreadsheet op als ‘CSV (gescheiden door "
    "lijstscheidingsteken)’ of ‘CSV UTF-8’ en kies dat bestand."
)


@dataclass(frozen=True)
class Entry:
    """One KvK number as written, and where: its line in the file, or its place in the list."""

    line: int
    text: str


def entries_of(pasted: str, upload: bytes | None) -> list[Entry]:
    """The entries of a pasted list or of an uploaded file (one of the two), bounded;
    ``FormError`` naming the field when there are none, both, too many, or the file is no CSV."""
    if pasted.strip() and upload is not None:
        raise FormError([FieldError("kvks", BOTH)])
    found = read_csv(upload) if upload is not None else read_pasted(pasted)
    if not found:
        raise FormError([FieldError("file" if upload is not None else "kvks", NOTHING)])
    if len(found) > MAX_ENTRIES:
        where = "file" if upload is not None else "kvks"
        raise FormError([FieldError(where, TOO_MANY, {"count": len(found), "max": MAX_ENTRIES})])
    return found


def read_pasted(text: str) -> list[Entry]:
    """The numbers of a pasted list, numbered in order."""
    words = [w for w in SEPARATORS.split(text) if w]
    return [Entry(place, word) for place, word in enumerate(words, 1)]


def read_csv(data: bytes) -> list[Entry]:
    """The KvK column of a CSV file: the column a header row names ``KvK...``, else the first
    column that holds a KvK number in the first row, else the first column. A header row is a
    first row without a digit. Blank rows are skipped; a row with an empty KvK cell is kept."""
    if len(data) > MAX_FILE_BYTES:
        params = {"max": MAX_FILE_BYTES // 1024, "lines": MAX_ENTRIES}
        raise FormError([FieldError("file", TOO_BIG, params)])
    text = _text(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = next((d for d in (";", "\t", ",") if d in first), ";")
    rows = [(number, row) for number, row in enumerate(csv.reader(lines, delimiter=delimiter), 1)]
    rows = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return []
    column = 0
    head = [cell.strip() for cell in rows[0][1]]
    if not any(DIGIT.search(cell) for cell in head):
        column = next((i for i, cell in enumerate(head) if "kvk" in cell.casefold()), 0)
        rows = rows[1:]
    else:
        column = next((i for i, cell in enumerate(head) if re.fullmatch("[0-9]{8}", cell)), 0)
    return [Entry(number, row[column].strip() if column < len(row) else "") for number, row in rows]


def _text(data: bytes) -> str:
    """The file as text: UTF-8 (a BOM dropped), else Windows-1252; never a binary file."""
    if data.startswith(NOT_TEXT) or b"\x00" in data:
        raise FormError([FieldError("file", NOT_CSV)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FormError([FieldError("file", NOT_CSV)]) from None
    if CONTROL.search(text):
        raise FormError([FieldError("file", NOT_CSV)])
    return text
