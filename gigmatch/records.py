"""Rows of a DataFrame as plain Python values: what JSON, TOML and result dicts hold.

Kept at the bottom of the package (it imports no other gigmatch module) because both the
insights (`TuneResult.to_dict`) and every writer in `present/` need the same conversion.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values, NaN as None, ready for JSON or TOML."""
    rows = []
    for row in frame.to_dict(orient="records"):
        rows.append({str(k): plain_value(v) for k, v in row.items()})
    return rows


def plain_value(value: Any) -> Any:
    """One cell as a plain Python value: numpy scalars unwrapped, NaN and NA as None."""
    if type(value).__name__ == "NAType":  # pandas' missing value in a nullable column
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
