"""`gigmatch config`: the settings in force and where each came from."""

from __future__ import annotations

from gigmatch.cli.options import (
    BomOpt,
    ConfigOpt,
    FormatOpt,
    IgnoreOpt,
    MapOpt,
    NoConfigOpt,
    OutputOpt,
    QuietOpt,
    SheetOpt,
    SkipRowsOpt,
)
from gigmatch.cli.session import Reading, Session, command


@command
def config(
    session: Session,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    map_: MapOpt = None,
    ignore: IgnoreOpt = None,
    sheet: SheetOpt = None,
    skip_rows: SkipRowsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    bom: BomOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Show the settings in force and where each came from.

    Finds the config as every command does: --config, else gigmatch.toml in this folder or a
    parent folder (up to your home folder), else the file $GIGMATCH_CONFIG names, else
    gigmatch.toml in the user config folder; --no-config uses the defaults. Lists every weight,
    threshold, alias and column rule with its source: default, the config file (and section),
    or the command line (--map, --ignore, --sheet, --skip-rows).

    Example: gigmatch config --map 'Availability (hrs/week)=hours'
    """
    from gigmatch.api import settings
    from gigmatch.present.views.config import settings_view

    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    frame = settings(cfg)
    session.emit(frame, fmt, output, bom=bom, table=lambda: settings_view(frame))
