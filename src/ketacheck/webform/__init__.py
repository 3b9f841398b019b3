"""The offline form: one self-contained HTML file that asks, explains, scores and saves.

:func:`form_html` lays a checklist out as a page a person opens in any current browser,
offline: every item with the control its kind calls for, conditions followed live, the
verdict of :func:`ketacheck.score` shown as answers change, answers saved to and opened from
response TOML files, kept in the browser's storage as they are typed, and printable.

The page scores with a *plan* (:mod:`ketacheck.webform._plan`) compiled here from the same
steps :func:`ketacheck.score` uses, interpreted by a small script (``assets/score.js``).
Everything is inlined; a Content-Security-Policy allows the page's own scripts and style
(by hash) and nothing else, so it can reach no network. Text from the checklist is escaped
by the template engine; the scripts build their DOM with ``textContent`` only.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from importlib import resources
from typing import Any, Final

from markupsafe import Markup

from ketacheck.model import Checklist, ItemKind
from ketacheck.rendering._common import (
    PHASE_TITLES,
    condition_labels,
    number_hint,
    numbered_sources,
    source_numbers,
    when_text,
)
from ketacheck.response import MAX_TEXT, ProviderKind
from ketacheck.webform._plan import compile_plan

__all__ = ["SCRIPTS", "form_html"]

SCRIPTS: Final = ("smol-toml.cjs", "score.js", "responses.js", "page.js")
"""The page's scripts, in the order they run (files under ``assets/``)."""

UNKNOWN_LABEL: Final = "Unknown: the provider could not or would not say"

_KIND_LABELS: Final = {
    ProviderKind.INFUSION_CLINIC: "Infusion clinic",
    ProviderKind.KAP_PRACTICE: "Ketamine-assisted psychotherapy practice",
    ProviderKind.TELEHEALTH: "Telehealth (doses at home)",
    ProviderKind.ESKETAMINE_CLINIC: "Esketamine (Spravato) clinic",
    ProviderKind.OTHER: "Other",
}


def _asset(name: str) -> str:
    return (resources.files(__package__) / "assets" / name).read_text(encoding="utf-8")


def _wrapped_toml(source: str) -> str:
    """The vendored CommonJS build of smol-toml, run as ``ketacheckForm.toml``."""
    return (
        "(function (exports) {\n"
        + source
        + "\n})((globalThis.ketacheckForm = globalThis.ketacheckForm || {}).toml = {});\n"
    )


@functools.cache
def _scripts() -> tuple[str, ...]:
    out = []
    for name in SCRIPTS:
        text = _asset(name)
        if name.endswith(".cjs"):
            text = _wrapped_toml(text)
        if "</script" in text.lower() or "<!--" in text:
            raise AssertionError(f"{name} cannot be inlined: it contains </script or <!--")
        out.append(text)
    return tuple(out)


@functools.cache
def _css() -> str:
    text = (resources.files(__package__) / "templates" / "form.css").read_text(encoding="utf-8")
    if "</style" in text.lower():
        raise AssertionError("form.css cannot be inlined: it contains </style")
    return text


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _csp(scripts: tuple[str, ...], css: str) -> str:
    """No network at all: only these scripts and this style sheet, by hash."""
    return (
        "default-src 'none'; "
        f"script-src {' '.join(_hash(s) for s in scripts)}; "
        f"style-src {_hash(css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _json_for_html(value: Any) -> str:
    """JSON that cannot end the data block it sits in (``<``, ``>`` and ``&`` escaped)."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _sections(checklist: Checklist) -> list[dict[str, Any]]:
    """The sections and items as the template lays them out, numbered 1, 2, ..."""
    labels = condition_labels(checklist)
    numbers = source_numbers(checklist)
    out = []
    number = 0
    for section in checklist.sections:
        items = []
        for item in section.items:
            number += 1
            if item.kind is ItemKind.YES_NO:
                choices = [("yes", "Yes"), ("no", "No")]
            else:
                choices = [(o.id, o.label) for o in item.options or ()]
            if item.kind in (ItemKind.YES_NO, ItemKind.CHOICE):
                choices.append(("unknown", UNKNOWN_LABEL))
            items.append(
                {
                    "item": item,
                    "number": number,
                    "when": when_text(checklist, item, labels),
                    "choices": choices,
                    "hint": number_hint(item) if item.kind is ItemKind.NUMBER else "",
                    "integer": bool(getattr(item, "integer", None)),
                    "sources": [numbers[s] for s in item.sources],
                }
            )
        out.append(
            {
                "id": section.id,
                "title": section.title,
                "summary": section.summary,
                "phase": PHASE_TITLES[section.effective_phase.value],
                "questions": items,
            }
        )
    return out


def form_html(checklist: Checklist, /, *, profile: str | None = None) -> str:
    """The offline form of *checklist* as one self-contained HTML page.

    *profile* (the id of one of the checklist's profiles) is the priorities the page
    starts with; the person can choose another. Raises UnknownProfileError for an id the
    checklist has no profile for.
    """
    from ketacheck import __version__  # noqa: PLC0415 - the package imports lazily

    if profile is not None:
        checklist.profile(profile)  # UnknownProfileError naming the known ones
    plan = compile_plan(checklist)
    scripts = _scripts()
    css = _css()
    context = {
        "lang": checklist.language or "en",
        "title": checklist.title,
        "summary": checklist.summary,
        "checklist_version": checklist.version,
        "version": __version__,
        "csp": _csp(scripts, css),
        "css": Markup(css),  # noqa: S704 - our own style sheet, checked above
        "scripts": [Markup(s) for s in scripts],  # noqa: S704 - our own scripts, checked above
        "plan_json": Markup(_json_for_html(plan)),  # noqa: S704 - escaped for a data block
        "sections": _sections(checklist),
        "sources": numbered_sources(checklist),
        "provider_kinds": [(k.value, _KIND_LABELS[k]) for k in ProviderKind],
        "profiles": plan["profiles"],
        "profile": profile,
        "max_text": MAX_TEXT,
        "unknown_label": UNKNOWN_LABEL,
    }
    page: str = _environment().get_template("form.html.j2").render(context)
    return page


@functools.cache
def _environment() -> Any:
    import jinja2  # noqa: PLC0415 - Jinja2 only when a form is made

    folder = str(resources.files(__package__) / "templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
