"""The formats every command can write, apart from the writer (`gigmatch.present.write`):
every command's `--format` option names them, and building the command line, as `--help`
does, should not import the writer and what it imports."""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    """The formats every command can write."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    xlsx = "xlsx"
    md = "md"
    toml = "toml"
