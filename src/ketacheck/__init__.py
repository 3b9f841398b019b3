"""ketacheck: vet ketamine-treatment providers with an evidence-backed checklist.

Load a checklist, fill it for a provider, score and compare providers, print checklists and
reports, and exchange them as TOML or FHIR::

    import ketacheck

    checklist = ketacheck.bundled()
    r = ketacheck.Response.new(checklist, provider=ketacheck.Provider(name="Cedar Health"))
    r.answer("baseline-bp-check", "yes", note="BP taken at every visit")
    s = ketacheck.score(r, profile="therapy-focused")
    print(s.explain())

Heavy parts load on demand: Jinja2 and fpdf2 when printing, ipywidgets in
:mod:`ketacheck.notebook`.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any, Final

from ketacheck.conditions import UNKNOWN
from ketacheck.exceptions import (
    AnswerError,
    ChecklistError,
    FhirError,
    FileChangedError,
    KetacheckError,
    LimitError,
    MissingDependencyError,
    Problem,
    ResponseError,
    TemplateError,
    UnknownChecklistError,
    UnknownProfileError,
)
from ketacheck.model import (
    Band,
    Checklist,
    Item,
    ItemKind,
    NumberBand,
    Option,
    Phase,
    Profile,
    Scoring,
    Section,
    Source,
)

# Eager, because the function shares its name with the subpackage ketacheck.render: importing
# it first keeps ``ketacheck.render`` the function even after ``import ketacheck.render.html``.
from ketacheck.render import render

if TYPE_CHECKING:
    from ketacheck import catalog, fhir, io, schema
    from ketacheck.response import Provider, ProviderKind, Response
    from ketacheck.routes import Route
    from ketacheck.scoring import CareModel, Comparison, RedFlag, Score, compare, score
    from ketacheck.webform import form_html

# Feature modules load on first use (PEP 562), so ``import ketacheck`` costs little more than
# its dependencies; ``from ketacheck import Response`` works as usual.
_LAZY: Final = {
    "catalog": ("ketacheck.catalog", None),
    "fhir": ("ketacheck.fhir", None),
    "schema": ("ketacheck.schema", None),
    "io": ("ketacheck.io", None),
    "Provider": ("ketacheck.response", "Provider"),
    "ProviderKind": ("ketacheck.response", "ProviderKind"),
    "Response": ("ketacheck.response", "Response"),
    "Route": ("ketacheck.routes", "Route"),
    "CareModel": ("ketacheck.scoring", "CareModel"),
    "Comparison": ("ketacheck.scoring", "Comparison"),
    "RedFlag": ("ketacheck.scoring", "RedFlag"),
    "Score": ("ketacheck.scoring", "Score"),
    "compare": ("ketacheck.scoring", "compare"),
    "score": ("ketacheck.scoring", "score"),
    "form_html": ("ketacheck.webform", "form_html"),
}


def __getattr__(name: str) -> Any:
    """Load a feature module, or ``__version__``, the first time it is asked for."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            value: Any = version("ketacheck")
        except PackageNotFoundError:  # pragma: no cover - a tree that was never installed
            value = "0+unknown"
    elif name in _LAZY:
        module_name, attribute = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attribute is None else getattr(module, attribute)
    else:
        raise AttributeError(f"module 'ketacheck' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, including those that load on first use."""
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "UNKNOWN",
    "AnswerError",
    "Band",
    "CareModel",
    "Checklist",
    "ChecklistError",
    "Comparison",
    "FhirError",
    "FileChangedError",
    "Item",
    "ItemKind",
    "KetacheckError",
    "LimitError",
    "MissingDependencyError",
    "NumberBand",
    "Option",
    "Phase",
    "Problem",
    "Profile",
    "Provider",
    "ProviderKind",
    "RedFlag",
    "Response",
    "ResponseError",
    "Route",
    "Score",
    "Scoring",
    "Section",
    "Source",
    "TemplateError",
    "UnknownChecklistError",
    "UnknownProfileError",
    "__version__",
    "bundled",
    "catalog",
    "compare",
    "fhir",
    "form_html",
    "io",
    "load_checklist",
    "load_response",
    "render",
    "schema",
    "score",
]


def bundled(name: str = "ketamine-consumer") -> Checklist:
    """The bundled checklist *name*; by default the Ketamine Consumer Checklist."""
    from ketacheck import catalog  # noqa: PLC0415 - loads on first use

    return catalog.load(name)


def load_checklist(path: str | os.PathLike[str], /, *, strict: bool = False) -> Checklist:
    """Load and validate the checklist file at *path*; errors name the file, path and line."""
    from ketacheck import io  # noqa: PLC0415 - loads on first use

    return io.read(path, strict=strict)


def load_response(
    path: str | os.PathLike[str], /, *, checklist: Checklist | None = None
) -> Response:
    """Load and validate the response file at *path*.

    The checklist is *checklist*, or else the bundled checklist the file names. Errors name
    the file, the TOML path and the line.
    """
    from ketacheck import response  # noqa: PLC0415 - loads on first use

    return response.read(path, checklist=checklist)
