"""Output formats: printable checklists and reports as text, Markdown, HTML and PDF.

:func:`render` takes what you have and gives the printout:

- a :class:`~ketacheck.model.Checklist`: the blank checklist to take to a consultation;
- a :class:`~ketacheck.response.Response` (or a :class:`~ketacheck.scoring.Score`): the filled
  report, score and band, red flags first, the care model, scores per phase and section, every
  answer with its note;
- a list or tuple of responses (or a :class:`~ketacheck.scoring.Comparison`): the providers
  side by side, in rank order.

Every format is laid out from one view model (``_view``, ``_report``), so the four formats say
the same things. Jinja2 and fpdf2 are imported only when HTML or PDF is asked for, so
``import ketacheck`` stays cheap; :func:`notebook_html` and :func:`notebook_markdown` give
the notebook forms (``_repr_html_``, ``_repr_markdown_``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, overload

from ketacheck.exceptions import MissingDependencyError
from ketacheck.model import Checklist
from ketacheck.rendering import _report, markdown, text
from ketacheck.rendering._view import PAPERS, blank_view
from ketacheck.rendering._view import paper as _paper
from ketacheck.response import Response
from ketacheck.scoring import Comparison, Score

if TYPE_CHECKING:
    from ketacheck.rendering._report import ComparisonView, ReportView

__all__ = ["FORMATS", "PAPERS", "Format", "notebook_html", "notebook_markdown", "render"]

Format: TypeAlias = Literal["text", "markdown", "html", "pdf"]
"""The name of an output format."""

FORMATS: Final[tuple[str, ...]] = ("text", "markdown", "html", "pdf")
"""The output formats :func:`render` knows, in the order the command line lists them."""


def _report_view(obj: object) -> ReportView | ComparisonView:
    """The report or comparison view of a response, score, comparison or list of responses."""
    if isinstance(obj, Response):
        return _report.response_report(obj)
    if isinstance(obj, Score):
        return _report.report_view(obj)
    if isinstance(obj, Comparison):
        return _report.comparison_view(obj)
    if isinstance(obj, list | tuple) and all(isinstance(r, Response) for r in obj):
        responses: Sequence[Response] = obj
        return _report.responses_comparison(responses)
    raise TypeError(
        "render() takes a Checklist, a Response, a Score, a Comparison or a list of "
        f"Responses, not {type(obj).__name__}"
    )


@overload
def render(
    obj: object,
    format: Literal["text", "markdown", "html"],
    *,
    paper: str = "a4",
    template_dir: str | os.PathLike[str] | None = None,
) -> str: ...
@overload
def render(
    obj: object,
    format: Literal["pdf"],
    *,
    paper: str = "a4",
    template_dir: str | os.PathLike[str] | None = None,
) -> bytes: ...
@overload
def render(
    obj: object,
    format: str,
    *,
    paper: str = "a4",
    template_dir: str | os.PathLike[str] | None = None,
) -> str | bytes: ...
def render(
    obj: object,
    format: str,  # noqa: A002
    *,
    paper: str = "a4",
    template_dir: str | os.PathLike[str] | None = None,
) -> str | bytes:
    """Render *obj* as a printout in *format*: ``text``, ``markdown``, ``html`` or ``pdf``.

    Args:
        obj: A Checklist (the blank checklist), a Response or Score (the filled report), or a
            list/tuple of Responses or a Comparison (providers side by side, in rank order).
        format: One of :data:`FORMATS`. ``pdf`` gives bytes (and needs the ``pdf`` extra,
            fpdf2); the others give text.
        paper: ``a4`` or ``letter``, for HTML and PDF.
        template_dir: A folder of templates that replace the built-in HTML templates of the
            same name (for branding); rendered in a sandbox. HTML only.

    Raises:
        ValueError: An unknown format or paper size, *template_dir* with another format
            than HTML, or an empty list of responses.
        TypeError: *obj* is none of the above.
        ketacheck.exceptions.TemplateError: A template in *template_dir* failed; the message
            names the file and the line.
        ketacheck.exceptions.ResponseError: The responses answer different checklists.
        ketacheck.exceptions.MissingDependencyError: PDF without fpdf2
            (``pip install 'ketacheck[pdf]'``).
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r} (use {', '.join(FORMATS)})")
    size = _paper(paper).name
    if template_dir is not None and format != "html":
        raise ValueError(f"template_dir applies to the html format only, not {format}")
    if isinstance(obj, Checklist):
        return _blank(obj, format, size, template_dir)
    view = _report_view(obj)
    if format == "text":
        return text.layout(view)
    if format == "markdown":
        return markdown.layout(view)
    if format == "html":
        from ketacheck.rendering import html  # noqa: PLC0415 - Jinja2 loads only for HTML

        return html.layout(view, paper=size, template_dir=template_dir)
    data: bytes = _pdf().layout(view, paper=size)
    return data


def _blank(
    checklist: Checklist,
    fmt: str,
    size: str,
    template_dir: str | os.PathLike[str] | None,
) -> str | bytes:
    view = blank_view(checklist)
    if fmt == "text":
        return text.blank_text(view, printout=True)
    if fmt == "markdown":
        return markdown.blank_markdown(view)
    if fmt == "html":
        from ketacheck.rendering import html  # noqa: PLC0415 - Jinja2 loads only for HTML

        return html.blank_html(view, paper=size, template_dir=template_dir)
    data: bytes = _pdf().blank_pdf(view, paper=size)
    return data


def _pdf() -> Any:
    """The PDF renderer, or MissingDependencyError naming the extra to install."""
    try:
        from ketacheck.rendering import pdf  # noqa: PLC0415 - fpdf2 (optional) loads only for PDF
    except ImportError as e:
        raise MissingDependencyError(
            f"PDF output needs fpdf2, which is not installed ({e.name}): "
            "pip install 'ketacheck[pdf]'"
        ) from None
    return pdf


def notebook_html(obj: Any) -> str:
    """*obj* as an HTML fragment for a notebook cell (``_repr_html_``).

    Takes what :func:`render` takes. The fragment carries its own style sheet, scoped to
    its ``<div class="kc">``, so it does not restyle the notebook.
    """
    from ketacheck.rendering import html  # noqa: PLC0415 - Jinja2 loads only when shown

    if isinstance(obj, Checklist):
        return html.blank_html(blank_view(obj), fragment=True)
    return html.layout(_report_view(obj), fragment=True)


def notebook_markdown(obj: Any) -> str:
    """*obj* as Markdown for a notebook cell (``_repr_markdown_``).

    Takes what :func:`render` takes.
    """
    return render(obj, "markdown")
