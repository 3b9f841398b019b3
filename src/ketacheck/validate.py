"""The rules of the checklist format that span more than one value, checked in one pass.

:func:`check_checklist` collects every problem (with its TOML path) before raising one
:class:`~ketacheck.exceptions.ChecklistError`. :func:`lint_checklist` adds the content rules
that bundled checklists follow and that authors can ask for with ``validate --strict``.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from ketacheck import conditions as c
from ketacheck._format import SCHEMA, ItemKind, Phase
from ketacheck._verdict_rules import (
    item_warning_problems,
    scoring_problems,
    unreachable_band_problems,
)
from ketacheck._words import number
from ketacheck.exceptions import ChecklistError, Problem

if TYPE_CHECKING:
    from ketacheck.model import Checklist, Item

__all__ = [
    "ID_PATTERN",
    "MAX_ITEMS",
    "MAX_NUMBER",
    "MAX_OPTIONS",
    "MAX_STRING",
    "check_checklist",
    "checklist_problems",
    "is_id",
    "lint_checklist",
    "lint_problems",
]

ID_PATTERN: Final = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
"""Kebab-case: lowercase letters and digits in words joined by single hyphens."""
MAX_ITEMS: Final = 1000
"""Most items a checklist may have."""
MAX_OPTIONS: Final = 100
"""Most options an item may have."""
MAX_STRING: Final = 10_000
"""Longest string (in characters) a checklist may hold."""
MAX_NUMBER: Final = 1_000_000
"""Largest weight, option or band points, or profile multiplier: sums of their products stay
far below the float range, so a score is always a number from 0 to 100."""

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab and line feed (TOML reads a file's CR LF line ends as LF)."""
_OPTION_KINDS: Final = (ItemKind.CHOICE, ItemKind.MULTI)
_OPERATOR_KINDS: Final = {
    c.Is: ((ItemKind.YES_NO, ItemKind.CHOICE), "is", "yes-no or choice items"),
    c.Includes: ((ItemKind.MULTI,), "includes", "multi items"),
    c.AnyOf: ((ItemKind.YES_NO, ItemKind.CHOICE, ItemKind.MULTI), "any-of", "items with options"),
    c.AtLeast: ((ItemKind.NUMBER,), "at-least", "number items"),
    c.Below: ((ItemKind.NUMBER,), "below", "number items"),
}


def is_id(value: str) -> bool:
    """Whether *value* is a valid kebab-case id."""
    return ID_PATTERN.fullmatch(value) is not None


def _id_problem(path: str, value: str) -> Iterator[Problem]:
    if not is_id(value):
        shown = json.dumps(value, ensure_ascii=False)  # control characters stay visible
        yield Problem(path, f'{shown} is not a kebab-case id (like "medical-screening")')


def amount_problems(path: str, value: float) -> Iterator[Problem]:
    """Weights, points and multipliers: from 0 to :data:`MAX_NUMBER`."""
    if value < 0:
        yield Problem(path, f"must be >= 0, got {number(value)}")
    elif value > MAX_NUMBER:
        yield Problem(path, f"must be at most {MAX_NUMBER:,}, got {number(value)}")


def _url_problem(path: str, url: str) -> Iterator[Problem]:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        yield Problem(path, f'only http and https links are allowed, got "{url}"')


def _strings(checklist: Checklist) -> Iterator[tuple[str, str | None]]:
    """Every free-text string in the checklist with its path (None where it is absent)."""
    yield "title", checklist.title
    yield "summary", checklist.summary
    yield "license", checklist.license
    for i, author in enumerate(checklist.authors):
        yield f"authors[{i}]", author
    for i, s in enumerate(checklist.sources):
        yield f"sources[{i}].title", s.title
    for i, p in enumerate(checklist.profiles):
        yield f"profiles[{i}].title", p.title
        yield f"profiles[{i}].summary", p.summary
    for i, band in enumerate(checklist.scoring.bands if checklist.scoring else ()):
        yield f"scoring.bands[{i}].label", band.label
    for si, section in enumerate(checklist.sections):
        yield f"sections[{si}].title", section.title
        yield f"sections[{si}].summary", section.summary
        for ii, item in enumerate(section.items):
            base = f"sections[{si}].items[{ii}]"
            yield f"{base}.prompt", item.prompt
            for key in ("why", "guidance", "placeholder", "red_flag", "caution", "unit"):
                yield f"{base}.{key.replace('_', '-')}", getattr(item, key)
            for oi, option in enumerate(item.options or ()):
                yield f"{base}.options[{oi}].label", option.label
                yield f"{base}.options[{oi}].red-flag", option.red_flag
                yield f"{base}.options[{oi}].caution", option.caution
            for bi, number_band in enumerate(item.points or ()):
                yield f"{base}.points[{bi}].red-flag", number_band.red_flag
                yield f"{base}.points[{bi}].caution", number_band.caution


def checklist_problems(checklist: Checklist) -> list[Problem]:  # noqa: C901, PLR0912 - one flat pass over the format's rules reads best
    """Every rule of the format that *checklist* breaks, in document order."""
    problems: list[Problem] = []
    add = problems.extend
    if checklist.schema != SCHEMA:
        problems.append(_schema_problem(checklist.schema))
    add(_id_problem("id", checklist.id))
    if not checklist.version.strip():
        problems.append(Problem("version", "must not be empty"))
    if not checklist.title.strip():
        problems.append(Problem("title", "must not be empty"))
    elif len(checklist.title) > MAX_STRING:
        problems.append(
            Problem("title", f"{len(checklist.title):,} characters; the limit is {MAX_STRING:,}")
        )
    if checklist.language is not None and not _LANGUAGE.fullmatch(checklist.language):
        problems.append(
            Problem("language", f'"{checklist.language}" is not a language tag (like "en")')
        )
    add(scoring_problems(checklist))

    source_ids: set[str] = set()
    for i, source in enumerate(checklist.sources):
        add(_id_problem(f"sources[{i}].id", source.id))
        if source.id in source_ids:
            problems.append(Problem(f"sources[{i}].id", f'duplicate source id "{source.id}"'))
        source_ids.add(source.id)
        if source.url is not None:
            add(_url_problem(f"sources[{i}].url", source.url))

    if not checklist.sections:
        problems.append(Problem("sections", "a checklist needs at least one section"))
    section_ids: set[str] = set()
    seen: dict[str, Item] = {}
    count = 0
    for si, section in enumerate(checklist.sections):
        path = f"sections[{si}]"
        add(_id_problem(f"{path}.id", section.id))
        if section.id in section_ids:
            problems.append(Problem(f"{path}.id", f'duplicate section id "{section.id}"'))
        section_ids.add(section.id)
        if not section.items:
            problems.append(Problem(f"{path}.items", "a section needs at least one item"))
        for ii, item in enumerate(section.items):
            ipath = f"{path}.items[{ii}]"
            count += 1
            if item.id in seen:
                problems.append(Problem(f"{ipath}.id", f'duplicate item id "{item.id}"'))
            add(_item_problems(item, ipath, source_ids, seen))
            seen.setdefault(item.id, item)
    if count > MAX_ITEMS:
        problems.append(Problem("sections", f"{count} items; the limit is {MAX_ITEMS}"))

    profile_ids: set[str] = set()
    targets = section_ids | set(seen)
    for i, profile in enumerate(checklist.profiles):
        add(_id_problem(f"profiles[{i}].id", profile.id))
        if profile.id in profile_ids:
            problems.append(Problem(f"profiles[{i}].id", f'duplicate profile id "{profile.id}"'))
        profile_ids.add(profile.id)
        for key, multiplier in profile.weights.items():
            wpath = f"profiles[{i}].weights.{key}"
            if key not in targets:
                problems.append(Problem(wpath, f'no section or item has the id "{key}"'))
            add(amount_problems(wpath, multiplier))

    for old, new in (checklist.renamed or {}).items():
        rpath = f"renamed.{old}"
        add(_id_problem(rpath, old))
        if old in seen:
            problems.append(Problem(rpath, f'"{old}" is still an item id; it cannot be renamed'))
        if new not in seen:
            problems.append(Problem(rpath, f'renamed to "{new}", but no item has that id'))

    for path, text in _strings(checklist):
        if text is None or path.endswith(".prompt") or path == "title":
            continue  # checked with their own rules above
        if not text.strip():
            problems.append(Problem(path, "must not be empty"))
        elif len(text) > MAX_STRING:
            problems.append(Problem(path, f"{len(text):,} characters; the limit is {MAX_STRING:,}"))
    urls = [(f"sources[{i}].url", s.url) for i, s in enumerate(checklist.sources)]
    for path, text in [*_strings(checklist), ("version", checklist.version), *urls]:
        control = _CONTROL.search(text) if text is not None else None
        if control is not None:
            problems.append(
                Problem(
                    path,
                    f"holds the control character U+{ord(control[0]):04X}; text may hold tabs "
                    "and line breaks but no other control characters",
                )
            )
    return problems


def _schema_problem(schema: int) -> Problem:
    return Problem(
        "schema",
        f"unsupported schema {schema}; this version of ketacheck reads schema {SCHEMA}",
    )


def _wrong_kind(path: str, key: str, kind: ItemKind, belongs: str) -> Problem:
    return Problem(f"{path}.{key}", f"unknown key for a {kind} item ({key} belongs to {belongs})")


def _item_problems(  # noqa: C901, PLR0912 - one flat pass over an item's rules reads best
    item: Item, path: str, source_ids: set[str], earlier: dict[str, Item]
) -> Iterator[Problem]:
    yield from _id_problem(f"{path}.id", item.id)
    kind = item.kind
    if not item.prompt.strip():
        yield Problem(f"{path}.prompt", "must not be empty")
    elif len(item.prompt) > MAX_STRING:
        yield Problem(
            f"{path}.prompt", f"{len(item.prompt):,} characters; the limit is {MAX_STRING:,}"
        )
    if item.weight is not None:
        if item.weight < 0 or item.weight > MAX_NUMBER:
            yield from amount_problems(f"{path}.weight", item.weight)
        elif kind is ItemKind.TEXT and item.weight != 0:
            yield Problem(
                f"{path}.weight",
                f"text items are not scored: weight must be 0, got {item.weight:g}",
            )
    if kind is not ItemKind.YES_NO:
        if item.good is not None:
            yield _wrong_kind(path, "good", kind, "yes-no items")
        if item.red_flag is not None:
            yield Problem(
                f"{path}.red-flag",
                f"unknown key for a {kind} item (an item-level red-flag belongs to yes-no items; "
                "put it on an option or a number band)",
            )
    elif item.good is not None and item.good not in ("yes", "no"):
        yield Problem(f"{path}.good", f'expected "yes" or "no", got "{item.good}"')
    yield from item_warning_problems(item, path)
    if kind in _OPTION_KINDS:
        yield from _option_problems(item, path)
    elif item.options is not None:
        yield _wrong_kind(path, "options", kind, "choice and multi items")
    if item.max_points is not None and kind is not ItemKind.MULTI:
        yield _wrong_kind(path, "max-points", kind, "multi items")
    if kind is ItemKind.NUMBER:
        yield from _number_problems(item, path)
    else:
        for key in ("unit", "min", "max", "points"):
            if getattr(item, key) is not None:
                yield _wrong_kind(path, key, kind, "number items")
    for i, tag in enumerate(item.tags):
        yield from _id_problem(f"{path}.tags[{i}]", tag)
    for i, source in enumerate(item.sources):
        if source not in source_ids:
            yield Problem(f"{path}.sources[{i}]", f'no source has the id "{source}"')
    if item.when is not None:
        yield from _condition_problems(item.when, f"{path}.when", item.id, earlier)


def _option_problems(item: Item, path: str) -> Iterator[Problem]:
    options = item.options or ()
    if not options:
        yield Problem(f"{path}.options", f"a {item.kind} item needs at least one option")
    if len(options) > MAX_OPTIONS:
        yield Problem(f"{path}.options", f"{len(options)} options; the limit is {MAX_OPTIONS}")
    ids: set[str] = set()
    for i, option in enumerate(options):
        opath = f"{path}.options[{i}]"
        yield from _id_problem(f"{opath}.id", option.id)
        if option.id == c.UNKNOWN:
            yield Problem(f"{opath}.id", '"unknown" is reserved for answers; use another id')
        if option.id in ids:
            yield Problem(f"{opath}.id", f'duplicate option id "{option.id}"')
        ids.add(option.id)
        yield from amount_problems(f"{opath}.points", option.points)
    if item.max_points is not None and item.kind is ItemKind.MULTI:
        positive = sum(o.points for o in options if o.points > 0)
        if item.max_points < 0:
            yield Problem(f"{path}.max-points", f"must be >= 0, got {item.max_points:g}")
        elif item.max_points > positive:
            yield Problem(
                f"{path}.max-points",
                f"{item.max_points:g} is above the sum of the options' points ({positive:g})",
            )


def _number_problems(item: Item, path: str) -> Iterator[Problem]:
    if item.min is not None and item.max is not None and item.min > item.max:
        yield Problem(f"{path}.min", f"min ({item.min:g}) is above max ({item.max:g})")
    bands = item.points or ()
    for i, band in enumerate(bands):
        yield from amount_problems(f"{path}.points[{i}].points", band.points)
        if i and band.at_least >= bands[i - 1].at_least:
            yield Problem(
                f"{path}.points[{i}].at-least",
                f"bands must be listed with strictly descending at-least ({band.at_least:g} "
                f"follows {bands[i - 1].at_least:g})",
            )


def _condition_problems(
    cond: c.Condition, path: str, own_id: str, earlier: dict[str, Item]
) -> Iterator[Problem]:
    if isinstance(cond, c.All | c.Any):
        key = "all" if isinstance(cond, c.All) else "any"
        for i, part in enumerate(cond.conditions):
            yield from _condition_problems(part, f"{path}.{key}[{i}]", own_id, earlier)
        return
    if isinstance(cond, c.Not):
        yield from _condition_problems(cond.condition, f"{path}.not", own_id, earlier)
        return
    target = earlier.get(cond.item)
    if target is None:
        if cond.item == own_id:
            reason = "a condition cannot name the item it belongs to"
        else:
            reason = (
                f'no earlier item has the id "{cond.item}" '
                "(a condition may only name an item that stands earlier in the checklist)"
            )
        yield Problem(f"{path}.item", reason)
        return
    if isinstance(cond, c.Answered):
        return
    kinds, key, names = _OPERATOR_KINDS[type(cond)]
    if target.kind not in kinds:
        yield Problem(
            f"{path}.{key}", f'"{key}" works on {names}, but "{cond.item}" is a {target.kind} item'
        )
        return
    values = (
        cond.values
        if isinstance(cond, c.AnyOf)
        else ((cond.value,) if isinstance(cond, c.Is | c.Includes) else ())
    )
    allowed = target.option_ids
    for i, value in enumerate(values):
        if value not in allowed:
            vpath = f"{path}.{key}" + (f"[{i}]" if isinstance(cond, c.AnyOf) else "")
            yield Problem(
                vpath,
                f'"{cond.item}" has no option "{value}" (it has: {", ".join(allowed)})',
            )


def check_checklist(checklist: Checklist, *, source: str = "<checklist>") -> None:
    """Raise ChecklistError naming *source* with every problem, if there are any."""
    problems = checklist_problems(checklist)
    if problems:
        raise ChecklistError(source, problems)


def _applies_to_route(cond: c.Condition, route: str) -> bool:
    for leaf in c.iter_leaves(cond):
        if leaf.item != "routes":
            continue
        if isinstance(leaf, c.Includes | c.Is) and leaf.value == route:
            return True
        if isinstance(leaf, c.AnyOf) and route in leaf.values:
            return True
    return False


def lint_problems(checklist: Checklist) -> list[Problem]:
    """The content rules of bundled checklists (``validate --strict``), beyond the format."""
    problems: list[Problem] = list(unreachable_band_problems(checklist))
    used: set[str] = set()
    therapy_phases: set[Phase] = set()
    items_by_path: list[tuple[str, Item]] = []
    for si, section in enumerate(checklist.sections):
        for ii, item in enumerate(section.items):
            path = f"sections[{si}].items[{ii}]"
            items_by_path.append((path, item))
            used.update(item.sources)
            if "therapy" in item.tags:
                therapy_phases.add(section.effective_phase)
            if not item.prompt.rstrip().endswith("?"):
                problems.append(
                    Problem(f"{path}.prompt", "a prompt should be a question ending in ?")
                )
            if item.effective_weight > 0 and item.max_item_points > 0:
                if not (item.why or "").strip():
                    problems.append(Problem(f"{path}.why", "a scored item needs a why"))
                if not item.sources:
                    problems.append(
                        Problem(f"{path}.sources", "a scored item needs at least one source")
                    )
    for i, source in enumerate(checklist.sources):
        if source.id not in used:
            problems.append(
                Problem(f"sources[{i}]", f'source "{source.id}" is not used by any item')
            )
        if source.url is not None and not source.url.lower().startswith("https://"):
            problems.append(
                Problem(f"sources[{i}].url", f'links should be https, got "{source.url}"')
            )
    missing = [p for p in (Phase.BEFORE, Phase.DURING, Phase.AFTER) if p not in therapy_phases]
    if missing:
        problems.append(
            Problem(
                "sections",
                "no item tagged therapy in phase "
                + ", ".join(p.value for p in missing)
                + " (the care model needs one in each of before, during and after)",
            )
        )
    if checklist.has_item("routes"):
        routes = checklist.item("routes")
        for option in routes.options or ():
            if not any(
                item.when is not None and _applies_to_route(item.when, option.id)
                for _, item in items_by_path
            ):
                rpath = next(p for p, it in items_by_path if it.id == "routes")
                problems.append(
                    Problem(f"{rpath}.options", f'route "{option.id}" has no route-specific item')
                )
    return problems


def lint_checklist(checklist: Checklist, *, source: str = "<checklist>") -> None:
    """Raise ChecklistError when *checklist* breaks a format or content rule."""
    problems = checklist_problems(checklist) + lint_problems(checklist)
    if problems:
        raise ChecklistError(source, problems)
