"""Scoring a response (DESIGN §5): weighted points, band, red flags and cautions, care model.

:func:`score` is a pure function of a :class:`~ketacheck.response.Response` and an optional
profile; :func:`compare` ranks several providers. Each checklist is compiled once into a plan
(kept while the checklist lives), so scoring a response does no repeated lookups.

The package is split by concern: ``_results`` (what a score is), ``_plan`` (the compiled
checklist), ``_score`` (the scoring walk), ``_explain`` (the words of a verdict) and
``_compare`` (ranking and differences).
"""

from __future__ import annotations

from ketacheck.scoring._compare import Comparison, Difference, compare
from ketacheck.scoring._plan import ProfileSpec, applicable
from ketacheck.scoring._results import CareModel, Caution, ItemScore, RedFlag, Score, Subtotal
from ketacheck.scoring._score import score

__all__ = [
    "CareModel",
    "Caution",
    "Comparison",
    "Difference",
    "ItemScore",
    "ProfileSpec",
    "RedFlag",
    "Score",
    "Subtotal",
    "applicable",
    "compare",
    "score",
]
