"""Rich display in notebooks (Jupyter, VS Code): HTML and Markdown for ketacheck objects."""

from __future__ import annotations


class NotebookDisplay:
    """Gives a class ``_repr_html_`` and ``_repr_markdown_``, rendered on demand.

    Jinja2 is imported only when a notebook asks for the HTML, so ``import ketacheck`` stays
    cheap.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        """This object as an HTML fragment, for notebooks."""
        from ketacheck.render import notebook_html  # noqa: PLC0415 - Jinja2 only when shown

        return notebook_html(self)

    def _repr_markdown_(self) -> str:
        """This object as Markdown, for notebooks."""
        from ketacheck.render import notebook_markdown  # noqa: PLC0415

        return notebook_markdown(self)
