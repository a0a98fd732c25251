"""Agreement statistics the assessment field uses to check automated scoring against people:
quadratic weighted kappa on score bands, Spearman's rank correlation, the standardized mean
difference, Cohen's kappa for pass/fail decisions, and how well review flags point at the
grader's errors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def quadratic_weighted_kappa(a: Sequence[int], b: Sequence[int], categories: int = 5) -> float:
    """QWK between two raters' category labels (0..categories-1); 1 is perfect agreement."""
    if len(a) != len(b) or not a:
        raise ValueError("two equally long, non-empty label lists are needed")
    observed = np.zeros((categories, categories))
    for x, y in zip(a, b, strict=True):
        observed[x, y] += 1
    weights = np.array([[(i - j) ** 2 for j in range(categories)] for i in range(categories)]) / (categories - 1) ** 2
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    denominator = (weights * expected).sum()
    if denominator == 0:
        return 1.0  # both raters used one and the same category throughout
    return float(1 - (weights * observed).sum() / denominator)


def _ranks(values: Sequence[float]) -> np.ndarray:
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    sorted_values = np.asarray(values)[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1  # ties share their mean rank
        i = j + 1
    return ranks


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    if len(a) != len(b) or len(a) < 2:
        raise ValueError("two equally long lists of at least two values are needed")
    ra, rb = _ranks(a), _ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def standardized_mean_difference(machine: Sequence[float], human: Sequence[float]) -> float:
    """(mean machine - mean human) / pooled standard deviation; 0 means no systematic bias."""
    m, h = np.asarray(machine, dtype=float), np.asarray(human, dtype=float)
    pooled = np.sqrt((m.var(ddof=1) + h.var(ddof=1)) / 2) if len(m) > 1 else 0.0
    if pooled == 0:
        return 0.0
    return float((m.mean() - h.mean()) / pooled)


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> float:
    """Unweighted kappa for categorical decisions (e.g. pass/fail); 1 is perfect agreement."""
    if len(a) != len(b) or not a:
        raise ValueError("two equally long, non-empty label lists are needed")
    labels = sorted(set(a) | set(b))
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    expected = sum((list(a).count(label) / n) * (list(b).count(label) / n) for label in labels)
    if expected == 1:
        return 1.0
    return float((observed - expected) / (1 - expected))


def flag_precision(flagged_errors: Sequence[float], other_errors: Sequence[float]) -> float | None:
    """Mean |grader - raters| on the answers routed to review over that on the rest: above 1, the
    flags point where the grader is wrong. None when either side is empty."""
    if not flagged_errors or not other_errors:
        return None
    base = float(np.mean(other_errors))
    return float(np.mean(flagged_errors)) / base if base > 0 else float("inf")
