"""`gigmatch init`: a commented gigmatch.toml with every default."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gigmatch.cli.options import ForceOpt
from gigmatch.cli.session import Session, command


@command(stack=False)
def init(
    session: Session,
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="Where to write the config.", dir_okay=False)
    ] = Path("gigmatch.toml"),
    force: ForceOpt = False,
) -> None:
    """Write a commented gigmatch.toml with every default, ready to edit.

    The file lists every weight and threshold with what it does. gigmatch reads
    ./gigmatch.toml by itself; elsewhere pass --config PATH.

    Example: gigmatch init && gigmatch match projects.csv people.csv
    """
    from gigmatch.errors import UsageError
    from gigmatch.read.config import default_config_toml

    if path.exists() and not force:
        raise UsageError(f"{path} exists; use --force to overwrite it")
    session.write_file(path, default_config_toml().encode())
    session.say(f"wrote {path}")
