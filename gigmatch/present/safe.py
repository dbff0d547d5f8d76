"""Making text from input files safe to show: in a terminal and in a spreadsheet.

A cell is data, never an instruction: no terminal escape sequence may reach the screen and no
formula may reach Excel or Google Sheets (CSV injection).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """Remove control characters (ESC and friends, bidi overrides) but keep newlines and tabs.

    >>> printable("Ann\\x1b[31m Red\\u202e")
    'Ann[31m Red'
    """
    return _CONTROL.sub("", text)


def for_terminal(text: object) -> str:
    """Text for a rich renderable: control characters removed and rich markup escaped.

    >>> for_terminal("[bold]Bob[/bold]")
    '\\\\[bold]Bob\\\\[/bold]'
    """
    from rich.markup import escape

    return escape(printable(str(text)))


def defuse(value: object) -> object:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading `'`.

    Numbers are left alone (a negative number is a number, not a formula).

    >>> defuse("=HYPERLINK(\\"http://x\\")"), defuse("-5 apples"), defuse(-5), defuse("Ann")
    ('\\'=HYPERLINK("http://x")', "'-5 apples", -5, 'Ann')
    """
    if isinstance(value, str):
        value = printable(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value
