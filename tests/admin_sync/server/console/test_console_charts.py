"""Chart geometry (plain data, drawn by the templates)."""

from __future__ import annotations

from datetime import date

from admin_sync.server.console.charts import axis, bar_chart, day_range, line_chart, nice_max


def test_axis_has_round_steps_and_covers_the_maximum() -> None:
    assert axis(47) == (50, 10)
    assert axis(3) == (3, 1)
    assert axis(0) == (1, 1)
    assert axis(1234) == (1500, 500)
    for value in range(1, 3000, 7):
        top, step = axis(value)
        assert top >= value and top % step == 0 and top // step <= 5
        assert str(step).strip("0") in ("1", "2", "5")
    assert nice_max(7) == 10 and nice_max(20) == 20


def test_bars_scale_to_the_largest_value() -> None:
    chart = bar_chart("t", [("uz", 40), ("ru", 20), ("ky", 0)])
    widths = [b.width for b in chart.bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert [b.y for b in chart.bars] == sorted(b.y for b in chart.bars)
    assert bar_chart("t", []).empty


def test_line_chart_fills_missing_days_with_zero() -> None:
    days = day_range(date(2026, 11, 1), date(2026, 11, 5))
    assert days[0] == "2026-11-01" and len(days) == 5
    chart = line_chart("s", [("2026-11-02", "TAS", 12), ("2026-11-04", "FRU", 7)], days)
    assert [s.name for s in chart.series] == ["FRU", "TAS"]
    assert chart.table[1] == ("2026-11-02", [0, 12])
    tas = chart.series[1]
    values = [v for _, _, _, v in tas.dots]
    assert values == [0, 12, 0, 0, 0]
    ys = [y for _, y, _, _ in tas.dots]
    assert ys[1] < ys[0], "a larger value is drawn higher"
    assert chart.y_ticks[0][1] == 0 and chart.y_ticks[-1][1] >= 12
