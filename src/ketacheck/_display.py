"""Rich display in notebooks (Jupyter, VS Code): HTML and Markdown for ketacheck objects.

The model, responses and scores show themselves in notebooks, but the renderers stand above
them in the layers, so this module only keeps the function that shows an object: the
``ketacheck`` façade registers one that loads :mod:`ketacheck.rendering` (and Jinja2) the
first time a notebook asks, so ``import ketacheck`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

__all__ = ["NotebookDisplay", "register"]

_SHOW: Final[list[Callable[[object, str], str]]] = []


def register(show: Callable[[object, str], str]) -> None:
    """Use *show(obj, fmt)* (``fmt`` is ``"html"`` or ``"markdown"``) for notebook display."""
    _SHOW[:] = [show]


class NotebookDisplay:
    """Gives a class ``_repr_html_`` and ``_repr_markdown_``, rendered on demand."""

    __slots__ = ()

    def _repr_html_(self) -> str | None:
        """This object as an HTML fragment, for notebooks."""
        return _SHOW[0](self, "html") if _SHOW else None

    def _repr_markdown_(self) -> str | None:
        """This object as Markdown, for notebooks."""
        return _SHOW[0](self, "markdown") if _SHOW else None
