"""Name search: a name folded to the words people type (accents, case, punctuation and legal
forms ignored), and the full-text index that finds organisations by them.

The folding is done here, in Python, for the names stored and for the words asked, so SQLite and
PostgreSQL find exactly the same organisations: SQLite keeps the words in an FTS5 table
(``unicode61 remove_diacritics 2``), PostgreSQL in a plain table with the words' stored
``to_tsvector('simple', words)`` under a GIN index. A search matches when every word asked
begins a word of the name ("de korf" finds "Bakkerij De Korf B.V.", "cafe" finds "Café de Zon").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Computed,
    Index,
    String,
    Table,
    Text,
    bindparam,
    func,
    literal_column,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateTable

from projections.projection import Projection

#: Dutch legal forms as their letters (B.V., BV, N.V., V.O.F., C.V., coöperatie U.A./W.A./B.A.):
#: left out of names and of searches
LEGAL_FORMS = frozenset({"bv", "nv", "vof", "cv", "ua", "wa", "ba"})
#: letters NFKD does not take apart into a base letter and a mark
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "\u0131": "i"}  # dotless i
)
#: an abbreviation written with dots: b.v. / n.v / v.o.f.
_DOTTED = re.compile(r"(?<![^\W_])[^\W\d_](?:\.[^\W\d_])+\.?(?![^\W_])")
_WORD = re.compile(r"[^\W_]+")
#: the text search configuration of PostgreSQL's index: words as they are (folded already)
CONFIG = "simple"
#: the tokenizer of the SQLite table (the words are folded already; it folds what is left)
FTS5_TOKENIZE = "unicode61 remove_diacritics 2"
#: the tables SQLite keeps for an FTS5 table ``t`` (``t_data`` ...), renamed and dropped with it
FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")


def words(text: str) -> list[str]:
    """The words of a name or a search as the index keeps them: lower case, without accents,
    without punctuation and without legal forms."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    plain = _DOTTED.sub(lambda found: found.group().replace(".", ""), plain)
    return [w for w in _WORD.findall(plain) if w not in LEGAL_FORMS]


def names_table(projection: Projection) -> Table:
    """Declare a projection's table of organisation names as words, with its full-text index.

    SQLite: an FTS5 table. PostgreSQL: the words' ``tsvector`` stored beside them (a generated
    column, so the planner has statistics of the words) with a GIN index, and an index in rowid
    order: with both, a common word walks the names in rowid order and stops at the end of the
    page, a rare one asks the GIN index (at 100,000 names, ``de`` took 9-16 ms as a GIN scan of
    its 25,000 matches over the computed expression, 0.1 ms now).
    """
    table = projection.table(
        "names",
        Column("organisation_id", String(36), primary_key=True),
        #: the main KvK number as an integer (8 digits: the same order as the text): FTS5 keeps
        #: matches in rowid order, so a page in KvK order stops after its last row
        Column("rowid", BigInteger, nullable=False),
        Column("words", Text, nullable=False),
        #: PostgreSQL computes it; SQLite's FTS5 table keeps it empty (unindexed)
        Column("vector", TSVECTOR, Computed(f"to_tsvector('{CONFIG}', words)", persisted=True)),
    )
    table.info["fts5"] = FTS5_TOKENIZE
    Index(f"{table.name}_vector", table.c.vector, postgresql_using="gin").ddl_if(
        dialect="postgresql"
    )
    Index(f"{table.name}_rowid", table.c.rowid).ddl_if(dialect="postgresql")
    return table


def name_row(organisation_id: str, main_kvk: str, name: str) -> dict[str, Any]:
    """The row of the names table for an organisation."""
    return {
        "organisation_id": organisation_id,
        "rowid": int(main_kvk),
        "words": " ".join(words(name)),
    }


def shadow_tables(table: Table, dialect: str) -> list[str]:
    """The tables the database keeps beside a declared one (SQLite's FTS5 shadow tables)."""
    if dialect != "sqlite" or "fts5" not in table.info:
        return []
    return [f"{table.name}_{shadow}" for shadow in FTS5_SHADOWS]


def matching(table: Table, dialect: str) -> ColumnElement[bool]:
    """The names table's rows that match the bind parameter ``match`` (see ``match_text``)."""
    if dialect == "postgresql":
        asked = func.to_tsquery(literal_column(f"'{CONFIG}'"), bindparam("match", type_=Text))
        return table.c.vector.op("@@")(asked)
    return literal_column(table.name).op("MATCH")(bindparam("match", type_=Text))


def match_text(asked: list[str], dialect: str) -> str:
    """The full-text query in which every asked word begins a word of the name (``asked`` from
    ``words``: letters and digits only, so nothing needs quoting)."""
    if dialect == "postgresql":
        return " & ".join(f"{word}:*" for word in asked)
    return " ".join(f'"{word}"*' for word in asked)


@compiles(CreateTable, "sqlite")
def _create_fts5(create: CreateTable, compiler: Any, **kw: Any) -> str:
    """A table declared with ``info["fts5"]`` is an FTS5 virtual table on SQLite (its first
    column and computed ones are kept but not indexed; a ``rowid`` column is the table's own
    rowid)."""
    table = create.element
    tokenize = table.info.get("fts5")
    if tokenize is None:
        return str(compiler.visit_create_table(create, **kw))
    quote = compiler.preparer.quote
    first, *rest = (c for c in table.columns if c.name != "rowid")
    columns = ", ".join(
        f"{quote(c.name)} UNINDEXED" if c is first or c.computed is not None else quote(c.name)
        for c in [first, *rest]
    )
    return f"CREATE VIRTUAL TABLE {quote(table.name)} USING fts5({columns}, tokenize='{tokenize}')"
