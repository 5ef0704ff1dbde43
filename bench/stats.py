"""Medians, 95th percentiles and ratios, the way the report states them."""

from __future__ import annotations

import statistics


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float], digits: int = 1, samples: bool = True) -> dict:
    """n, median, p95, min, max (rounded) and, unless ``samples`` is False, the raw samples."""
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median": round(statistics.median(values), digits),
        "p95": round(percentile(values, 95), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        **({"samples": [round(v, digits) for v in values]} if samples else {}),
    }


def latency_summary(values: list[float]) -> dict:
    """The summary of a class's latencies: n, median, p95, min, max and p99 in whole ms, no samples."""
    if not values:
        return {"n": 0}
    return {**summary(values, 0, samples=False), "p99": round(percentile(values, 99), 0)}


def ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or not reference:
        return None
    return round(value / reference, 2)
