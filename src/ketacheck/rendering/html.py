"""HTML made for paper: one self-contained file, print CSS for A4 and Letter.

Pages are rendered from Jinja2 templates (``templates/*.html.j2``) with autoescaping, so every
string that comes from a file is escaped. The style sheet (``templates/print.css``) is inlined;
nothing is fetched over the network: no fonts, scripts or images, no ``url()`` in CSS.

A *template_dir* lets users brand printouts: templates found there replace the built-in ones
of the same name (usually ``brand.html.j2`` and ``brand.css``). They are rendered in a
:class:`jinja2.sandbox.ImmutableSandboxedEnvironment`; a template that fails raises
:class:`~ketacheck.exceptions.TemplateError` naming the file and the line.

Jinja2 is imported when this module is, so import it lazily (``ketacheck.rendering`` does).
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from ketacheck._version import __version__
from ketacheck.exceptions import TemplateError
from ketacheck.model import Checklist
from ketacheck.rendering._report import ComparisonView, ReportView
from ketacheck.rendering._view import BlankView, blank_view, fmt_number, paper

__all__ = [
    "TEMPLATES",
    "blank",
    "blank_html",
    "comparison_html",
    "css_string",
    "layout",
    "render_page",
    "report_html",
]

TEMPLATES: Final = Path(__file__).parent / "templates"
"""The folder of the built-in templates and style sheet."""

_TEMPLATE_SUFFIXES: Final = (".j2", ".css", ".html", ".htm")


def css_string(value: object) -> Markup:
    """*value* as a quoted CSS string, every character but letters, digits and spaces escaped.

    Safe inside ``<style>``: no quote, backslash, ``<`` or newline survives unescaped.
    """
    text = str(value)
    # The space after each escape ends it (and is consumed), so a real space survives.
    escaped = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):x} " for ch in text
    )
    return Markup(f'"{escaped}"')  # noqa: S704 - every special character is hex-escaped above


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    env.filters["css_string"] = css_string
    env.filters["num"] = fmt_number
    env.filters["pct"] = _percent
    return env


@functools.cache
def _builtin_environment() -> jinja2.Environment:
    return _configure(
        jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            auto_reload=False,
        )
    )


@functools.lru_cache(maxsize=8)
def _user_environment(folder: str) -> jinja2.Environment:
    return _configure(
        jinja2.sandbox.ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader([folder, os.fspath(TEMPLATES)]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
    )


def environment(template_dir: str | os.PathLike[str] | None = None) -> jinja2.Environment:
    """The Jinja2 environment: built-in templates, or *template_dir*'s first in a sandbox."""
    if template_dir is None:
        return _builtin_environment()
    folder = Path(template_dir)
    if not folder.is_dir():
        raise TemplateError(f"{os.fspath(template_dir)}: not a folder of templates")
    return _user_environment(os.fspath(folder.resolve()))


def _where(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line an exception was raised in, from its traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name, exc.lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(_TEMPLATE_SUFFIXES):
            return frame.filename, frame.lineno
    return None, None


def _template_error(exc: Exception, name: str) -> TemplateError:
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"{name}: template {exc.name!r} not found")
    filename, line = _where(exc)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    where = filename or name
    if line is not None:
        where += f", line {line}"
    return TemplateError(f"{where}: {message}")


def render_page(
    name: str,
    context: Mapping[str, Any],
    *,
    template_dir: str | os.PathLike[str] | None = None,
) -> str:
    """Render the template *name* with *context*; template failures raise TemplateError."""
    env = environment(template_dir)
    try:
        return env.get_template(name).render(context)
    except Exception as e:  # noqa: BLE001 - any failure inside a template is the template's
        raise _template_error(e, name) from None


def _context(lang: str, paper_name: str, footer: str, fragment: bool) -> dict[str, Any]:

    return {
        "lang": lang,
        "paper": paper(paper_name),
        "footer": footer,
        "fragment": fragment,
        "version": __version__,
    }


def blank_html(
    view: BlankView,
    *,
    paper: str = "a4",
    template_dir: str | os.PathLike[str] | None = None,
    fragment: bool = False,
) -> str:
    """Lay out a :class:`~ketacheck.rendering._view.BlankView` as an HTML page (or *fragment*)."""
    context = _context(view.doc.language, paper, view.doc.title, fragment)
    context["view"] = view
    return render_page("blank.html.j2", context, template_dir=template_dir)


def blank(
    checklist: Checklist,
    *,
    paper: str = "a4",
    template_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The blank checklist as one self-contained HTML page for A4 or Letter paper."""
    return blank_html(blank_view(checklist), paper=paper, template_dir=template_dir)


def report_html(
    view: ReportView,
    *,
    paper: str = "a4",
    template_dir: str | os.PathLike[str] | None = None,
    fragment: bool = False,
) -> str:
    """Lay out a filled report as an HTML page (or *fragment*)."""
    footer = f"{view.provider.name}: {view.doc.title}"
    context = _context(view.doc.language, paper, footer, fragment)
    context["view"] = view
    return render_page("report.html.j2", context, template_dir=template_dir)


def comparison_html(
    view: ComparisonView,
    *,
    paper: str = "a4",
    template_dir: str | os.PathLike[str] | None = None,
    fragment: bool = False,
) -> str:
    """Lay out a comparison as an HTML page (or *fragment*)."""
    context = _context(view.doc.language, paper, f"Comparison: {view.doc.title}", fragment)
    context["view"] = view
    return render_page("comparison.html.j2", context, template_dir=template_dir)


def layout(
    view: ReportView | ComparisonView,
    *,
    paper: str = "a4",
    template_dir: str | os.PathLike[str] | None = None,
    fragment: bool = False,
) -> str:
    """Lay out a filled report or a comparison as an HTML page (or *fragment*)."""
    if isinstance(view, ReportView):
        return report_html(view, paper=paper, template_dir=template_dir, fragment=fragment)
    return comparison_html(view, paper=paper, template_dir=template_dir, fragment=fragment)
