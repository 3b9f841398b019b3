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
import warnings
from typing import TYPE_CHECKING, Any, Final

from ketacheck import _display
from ketacheck._format import UNKNOWN, Status, UnknownPolicy
from ketacheck.exceptions import (
    AnswerError,
    ChecklistError,
    DataError,
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

if TYPE_CHECKING:
    from ketacheck import catalog, fhir, files, rendering, schema
    from ketacheck.rendering import render
    from ketacheck.response import Provider, ProviderKind, Response
    from ketacheck.routes import Route
    from ketacheck.scoring import (
        CareModel,
        Comparison,
        ItemScore,
        RedFlag,
        Score,
        Subtotal,
        compare,
        score,
    )
    from ketacheck.webform import form_html

# Feature modules load on first use (PEP 562), so ``import ketacheck`` costs little more than
# its dependencies; ``from ketacheck import Response`` works as usual.
_LAZY: Final = {
    "catalog": ("ketacheck.catalog", None),
    "fhir": ("ketacheck.fhir", None),
    "schema": ("ketacheck.schema", None),
    "files": ("ketacheck.files", None),
    "rendering": ("ketacheck.rendering", None),
    "render": ("ketacheck.rendering", "render"),
    "Provider": ("ketacheck.response", "Provider"),
    "ProviderKind": ("ketacheck.response", "ProviderKind"),
    "Response": ("ketacheck.response", "Response"),
    "Route": ("ketacheck.routes", "Route"),
    "CareModel": ("ketacheck.scoring", "CareModel"),
    "Comparison": ("ketacheck.scoring", "Comparison"),
    "ItemScore": ("ketacheck.scoring", "ItemScore"),
    "RedFlag": ("ketacheck.scoring", "RedFlag"),
    "Score": ("ketacheck.scoring", "Score"),
    "Subtotal": ("ketacheck.scoring", "Subtotal"),
    "compare": ("ketacheck.scoring", "compare"),
    "score": ("ketacheck.scoring", "score"),
    "form_html": ("ketacheck.webform", "form_html"),
}


_DEPRECATED: Final = {
    "io": ("files.checklist", "ketacheck.files", "checklist"),
    "load_checklist": ("read_checklist", "ketacheck", "read_checklist"),
    "load_response": ("read_response", "ketacheck", "read_response"),
}
"""Old public names: each still works, with a DeprecationWarning naming its replacement."""


def _notebook_display(obj: object, fmt: str) -> str:
    """Render *obj* for a notebook; the façade wires the renderers to the model's reprs."""
    rendering = importlib.import_module("ketacheck.rendering")
    shown: str = rendering.notebook_html(obj) if fmt == "html" else rendering.notebook_markdown(obj)
    return shown


_display.register(_notebook_display)


def __getattr__(name: str) -> Any:
    """Load a feature module, or ``__version__``, the first time it is asked for."""
    value: Any
    if name == "__version__":
        value = importlib.import_module("ketacheck._version").__version__
    elif name in _DEPRECATED:
        new, home, attr = _DEPRECATED[name]
        warnings.warn(
            f"ketacheck.{name} is deprecated; use ketacheck.{new}", DeprecationWarning, stacklevel=2
        )
        return getattr(importlib.import_module(home), attr)
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
    "DataError",
    "FhirError",
    "FileChangedError",
    "Item",
    "ItemKind",
    "ItemScore",
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
    "Status",
    "Subtotal",
    "TemplateError",
    "UnknownChecklistError",
    "UnknownPolicy",
    "UnknownProfileError",
    "__version__",
    "bundled",
    "catalog",
    "compare",
    "fhir",
    "files",
    "form_html",
    "read_checklist",
    "read_response",
    "render",
    "rendering",
    "schema",
    "score",
]


def bundled(name: str = "ketamine-consumer") -> Checklist:
    """The bundled checklist *name*; by default the Ketamine Consumer Checklist."""
    from ketacheck import catalog  # noqa: PLC0415 - import ketacheck loads no cattrs, no TOML

    return catalog.load(name)


def read_checklist(path: str | os.PathLike[str], /, *, strict: bool = False) -> Checklist:
    """Read and validate the checklist file at *path*; errors name the file, path and line."""
    from ketacheck.files import checklist  # noqa: PLC0415 - import ketacheck loads no cattrs

    return checklist.read(path, strict=strict)


def read_response(
    path: str | os.PathLike[str], /, *, checklist: Checklist | None = None
) -> Response:
    """Read and validate the response file at *path*.

    The checklist is *checklist*, or else the bundled checklist the file names. Errors name
    the file, the TOML path and the line.
    """
    from ketacheck import response  # noqa: PLC0415 - import ketacheck loads no cattrs

    return response.read(path, checklist=checklist)
