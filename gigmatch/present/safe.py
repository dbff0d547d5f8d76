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
    """Text for a rich renderable: control characters removed, rich markup and emoji codes
    escaped, so `[bold]x` and `:pile_of_poo:` show as written on any rich console.

    The one helper every view uses for text from data or the command line.

    >>> for_terminal("[bold]Bob[/bold]")
    '\\\\[bold]Bob\\\\[/bold]'
    >>> from rich.console import Console
    >>> console = Console(width=40, color_system=None)
    >>> with console.capture() as shown:
    ...     console.print(for_terminal(":pile_of_poo: [red]x[/] :-)"))
    >>> shown.get().replace(WORD_JOINER, "")
    ':pile_of_poo: [red]x[/] :-)\\n'
    """
    from rich.markup import escape

    return escape(no_emoji_codes(printable(str(text))))


WORD_JOINER = "\u2060"  # zero width: the text looks the same, but is no emoji code any more
_EMOJI_CODE = re.compile(r"(:(\S*?)(?:(?:\-)(emoji|text))?:)")  # rich's own pattern


def no_emoji_codes(text: str) -> str:
    """`:name:` codes that rich would turn into emoji, broken by an invisible word joiner.

    Rich has no escape for emoji codes; a code whose name rich does not know is left alone.

    >>> no_emoji_codes(":smile: 10:30: :not_an_emoji:") == ":\u2060smile: 10:30: :not_an_emoji:"
    True
    """
    if ":" not in text:
        return text
    from rich._emoji_codes import EMOJI

    def neutral(match: re.Match[str]) -> str:
        code, name = match[1], match[2]
        return code if name.lower() not in EMOJI else ":" + WORD_JOINER + code[1:]

    return _EMOJI_CODE.sub(neutral, text)


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


def all_safe(texts: list[str]) -> bool:
    """True when `defuse` would leave every one of these strings as it is: no control
    character anywhere, none starting like a formula. A few passes in C over all of them, so
    a writer defuses text by text only the columns that need it (most need nothing).

    Every character `printable` removes is one `str.isprintable` rejects, so printable text
    needs no regular expression; numpy cuts each text to its first character.

    >>> all_safe(["Ann", "C++ (exact)", "5 apples", ""]), all_safe(["Ann", "-5 apples"])
    (True, False)
    >>> all_safe(["Ann\\x1b[31m"]), all_safe(["a\\n=1+1"]), all_safe(["tab\\tin", "x"])
    (False, True, True)
    """
    import numpy as np

    if np.isin(np.array(texts, dtype="U1"), _FORMULA_START).any():
        return False
    joined = "".join(texts)
    return joined.isprintable() or not _CONTROL.search(joined)
