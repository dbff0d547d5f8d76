"""Small SVG charts drawn in Python, so a report opens offline with no chart library.

Each function returns one `<svg class="chart">` element as text, with a `<title>` (read by
screen readers and shown as a tooltip), a visible heading, axis labels with units, and marks
whose own `<title>`s give the exact values. Every text that may come from an input file goes
through `html.escape`; numbers are formatted here, so the same data gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 600
PALETTE = ("#3b6fb6", "#e07b39", "#4a9d5b", "#b64a6f", "#7a5cb8", "#8c8c8c")
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


@dataclass(frozen=True)
class Frame:
    """Plot area inside the SVG: left, top, width and height in pixels."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


def fmt(value: float) -> str:
    """A number for a label: no trailing zeros, at most two decimals.

    >>> fmt(3.0), fmt(2.456), fmt(1250.0)
    ('3', '2.46', '1,250')
    """
    if not math.isfinite(value):
        return "–"
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value`: 1, 2, 2.5, 3, 4, 5, 6 or 8 times a power of 10.

    >>> nice_max(0), nice_max(7.2), nice_max(43), nice_max(101)
    (1.0, 8.0, 50.0, 200.0)
    """
    if not value > 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= value - 1e-12)


def ticks(top: float, count: int = 5) -> list[float]:
    """Evenly spaced tick values from 0 to `top`; whole numbers when `top` is a whole number
    (a count axis never shows 0.8 places).

    >>> ticks(4), ticks(10), ticks(2.5)
    ([0.0, 1.0, 2.0, 3.0, 4.0], [0.0, 2.0, 4.0, 6.0, 8.0, 10.0], [0.0, 0.5, 1.0, 1.5, 2.0, 2.5])
    """
    if top == int(top):
        whole = int(top)
        if whole <= count:
            return [float(i) for i in range(whole + 1)]
        count = next((c for c in (count, 4, 6, 3, 2) if whole % c == 0), count)
    return [top * i / count for i in range(count + 1)]


def count_max(value: float) -> float:
    """A round axis maximum for counts: a whole number, so every tick is one.

    >>> count_max(0.7), count_max(2.2), count_max(43)
    (1.0, 3.0, 50.0)
    """
    return float(math.ceil(nice_max(value)))


def _svg(title: str, height: float, body: list[str], width: float = WIDTH) -> str:
    head = (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width:g} {height:g}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f"{FONT}>"
    )
    heading = f'<text x="8" y="18" font-size="14" font-weight="600">{escape(title)}</text>'
    return "\n".join([head, f"<title>{escape(title)}</title>", heading, *body, "</svg>"])


def _y_axis(frame: Frame, top: float, label: str) -> list[str]:
    """Horizontal grid lines with values, and the axis label turned upright."""
    out = []
    for value in ticks(top):
        y = frame.bottom - value / top * frame.height
        out.append(
            f'<line x1="{frame.left:g}" x2="{frame.right:g}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#e3e3e3"/>'
        )
        out.append(
            f'<text x="{frame.left - 6:g}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="#555">{fmt(value)}</text>'
        )
    mid = frame.top + frame.height / 2
    out.append(
        f'<text x="14" y="{mid:.1f}" font-size="12" fill="#333" text-anchor="middle" '
        f'transform="rotate(-90 14 {mid:.1f})">{escape(label)}</text>'
    )
    return out


def _x_label(frame: Frame, label: str, offset: float = 34) -> str:
    x = frame.left + frame.width / 2
    return (
        f'<text x="{x:.1f}" y="{frame.bottom + offset:.1f}" font-size="12" fill="#333" '
        f'text-anchor="middle">{escape(label)}</text>'
    )


def grouped_hbars(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    x_label: str,
) -> str:
    """Horizontal bars, one group per label and one bar per series (demand vs supply…)."""
    n_series = max(len(series), 1)
    bar, gap = 9.0, 8.0
    group = bar * n_series + gap
    frame = Frame(170, 50, WIDTH - 190, max(group * len(labels), group))
    top = count_max(max((v for vs in series.values() for v in vs if math.isfinite(v)), default=0))
    body = _legend(list(series), WIDTH - 20, 35)
    for value in ticks(top):
        x = frame.left + value / top * frame.width
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top:g}" y2="{frame.bottom:g}" '
            'stroke="#e3e3e3"/>'
        )
        body.append(
            f'<text x="{x:.1f}" y="{frame.bottom + 14:g}" font-size="11" fill="#555" '
            f'text-anchor="middle">{fmt(value)}</text>'
        )
    for i, label in enumerate(labels):
        y0 = frame.top + i * group
        body.append(
            f'<text x="{frame.left - 6:g}" y="{y0 + group / 2:.1f}" font-size="12" '
            f'text-anchor="end">{escape(_short(label, 24))}</text>'
        )
        for j, (name, values) in enumerate(series.items()):
            value = float(values[i]) if math.isfinite(values[i]) else 0.0
            width = value / top * frame.width
            body.append(
                f'<rect x="{frame.left:g}" y="{y0 + j * bar:.1f}" width="{width:.1f}" '
                f'height="{bar - 1:g}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(label)}: {escape(name)} {fmt(value)}</title></rect>"
            )
    body.append(_x_label(frame, x_label))
    return _svg(title, frame.bottom + 46, body)


def bars(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    x_label: str,
    y_label: str,
    *,
    color: str = PALETTE[0],
) -> str:
    """Vertical bars (a histogram when the labels are bins)."""
    frame = Frame(56, 40, WIDTH - 76, 190)
    top = count_max(max((v for v in values if math.isfinite(v)), default=0))
    body = _y_axis(frame, top, y_label)
    step = frame.width / max(len(values), 1)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = (value if math.isfinite(value) else 0.0) / top * frame.height
        x = frame.left + i * step
        body.append(
            f'<rect x="{x + 2:.1f}" y="{frame.bottom - height:.1f}" width="{step - 4:.1f}" '
            f'height="{height:.1f}" fill="{color}"><title>{escape(label)}: {fmt(value)}</title>'
            "</rect>"
        )
        if len(labels) <= 14 or i % max(1, len(labels) // 10) == 0:
            body.append(
                f'<text x="{x + step / 2:.1f}" y="{frame.bottom + 14:g}" font-size="11" '
                f'fill="#555" text-anchor="middle">{escape(_short(label, 10))}</text>'
            )
    body.append(_x_label(frame, x_label))
    return _svg(title, frame.bottom + 46, body)


def ranges(
    title: str,
    labels: Sequence[str],
    low: Sequence[float],
    mid: Sequence[float],
    high: Sequence[float],
    marker: Sequence[float],
    x_label: str,
    names: tuple[str, str, str] = ("range", "median", "budget"),
) -> str:
    """One row per label: a bar from low to high, a dot at mid, and a diamond marker
    (rates of fitting candidates against the budget)."""
    row = 20.0
    frame = Frame(170, 50, WIDTH - 190, max(row * len(labels), row))
    finite = [v for vs in (high, marker, mid) for v in vs if math.isfinite(v)]
    top = nice_max(max(finite, default=0))
    body = _legend(list(names), WIDTH - 20, 35)
    for value in ticks(top):
        x = frame.left + value / top * frame.width
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top:g}" y2="{frame.bottom:g}" '
            'stroke="#e3e3e3"/>'
        )
        body.append(
            f'<text x="{x:.1f}" y="{frame.bottom + 14:g}" font-size="11" fill="#555" '
            f'text-anchor="middle">{fmt(value)}</text>'
        )
    scale = frame.width / top
    for i, label in enumerate(labels):
        y = frame.top + i * row + row / 2
        body.append(
            f'<text x="{frame.left - 6:g}" y="{y + 4:.1f}" font-size="12" '
            f'text-anchor="end">{escape(_short(label, 24))}</text>'
        )
        body += _range_marks(label, y, frame.left, scale, low[i], mid[i], high[i], marker[i], names)
    body.append(_x_label(frame, x_label))
    return _svg(title, frame.bottom + 46, body)


def _range_marks(label, y, left, scale, low, mid, high, marker, names) -> list[str]:
    out = []
    tip = escape(label)
    if math.isfinite(low) and math.isfinite(high):
        out.append(
            f'<rect x="{left + low * scale:.1f}" y="{y - 4:.1f}" '
            f'width="{max((high - low) * scale, 2):.1f}" height="8" fill="{PALETTE[0]}" '
            f'opacity="0.45"><title>{tip}: {names[0]} {fmt(low)}–{fmt(high)}</title></rect>'
        )
    if math.isfinite(mid):
        out.append(
            f'<circle cx="{left + mid * scale:.1f}" cy="{y:.1f}" r="4" fill="{PALETTE[1]}">'
            f"<title>{tip}: {names[1]} {fmt(mid)}</title></circle>"
        )
    if math.isfinite(marker):
        x = left + marker * scale
        out.append(
            f'<path d="M{x:.1f},{y - 6:.1f} l5,6 l-5,6 l-5,-6 z" fill="{PALETTE[2]}">'
            f"<title>{tip}: {names[2]} {fmt(marker)}</title></path>"
        )
    return out


def line_band(
    title: str,
    periods: Sequence[str],
    history: Sequence[float],
    forecast: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    y_label: str,
    x_label: str = "period",
    width: float = WIDTH,
) -> str:
    """History as a line, the forecast as a dashed line with its interval as a band; every
    forecast period is labelled (labels slanted, so they never overlap)."""
    n_hist, n_fc = len(history), len(forecast)
    frame = Frame(48, 36, width - 64, 130)
    values = [*history, *high, *forecast]
    top = count_max(max((v for v in values if math.isfinite(v)), default=0))
    step = frame.width / max(n_hist + n_fc - 1, 1)

    def point(i: int, v: float) -> str:
        return f"{frame.left + i * step:.1f},{frame.bottom - v / top * frame.height:.1f}"

    body = _y_axis(frame, top, y_label)
    if n_fc:
        edge = [point(n_hist - 1, history[-1])] if n_hist else []
        upper = edge + [point(n_hist + i, v) for i, v in enumerate(high)]
        lower = [point(n_hist + i, v) for i, v in enumerate(low)][::-1] + edge
        body.append(
            f'<polygon points="{" ".join(upper + lower)}" fill="{PALETTE[1]}" opacity="0.2"/>'
        )
        dashed = edge + [point(n_hist + i, v) for i, v in enumerate(forecast)]
        body.append(
            f'<polyline points="{" ".join(dashed)}" fill="none" stroke="{PALETTE[1]}" '
            'stroke-width="2" stroke-dasharray="5 3"/>'
        )
    body.append(
        f'<polyline points="{" ".join(point(i, v) for i, v in enumerate(history))}" fill="none" '
        f'stroke="{PALETTE[0]}" stroke-width="2"/>'
    )
    body += _period_ticks(frame, periods, step, first_forecast=n_hist)
    body.append(_x_label(frame, x_label, 58))
    return _svg(title, frame.bottom + 66, body, width)


def _period_ticks(
    frame: Frame, periods: Sequence[str], step: float, first_forecast: int | None = None
) -> list[str]:
    """Period labels under the axis: some of the history, and every forecast period (bold)."""
    end = len(periods) if first_forecast is None else first_forecast
    every = max(1, math.ceil(end / 4))
    shown = list(range(0, end, every)) + list(range(end, len(periods)))
    out = []
    for i in shown:
        if 0 < end - i < every and i < end and end < len(periods):
            continue  # a history label too close to the first forecast one
        weight = ' font-weight="600" fill="#b35c00"' if i >= end else ' fill="#555"'
        x, y = frame.left + i * step, frame.bottom + 12
        out.append(
            f'<text x="{x:.1f}" y="{y:g}" font-size="10"{weight} text-anchor="end" '
            f'transform="rotate(-35 {x:.1f} {y:g})">{escape(periods[i])}</text>'
        )
    return out


def _legend(names: list[str], right: float, y: float) -> list[str]:
    """Colour keys laid out from the right edge leftwards."""
    out, x = [], right
    for j in reversed(range(len(names))):
        text = escape(names[j])
        x -= 7 * len(names[j]) + 18
        out.append(
            f'<rect x="{x:.1f}" y="{y - 9:g}" width="10" height="10" '
            f'fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{x + 14:.1f}" y="{y:g}" font-size="11">{text}</text>'
        )
    return out


def _short(text: str, limit: int) -> str:
    """Cut long labels with an ellipsis; the mark's own title keeps the full text."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
