"""A question's answer options on import: ``answerOption`` or a contained ValueSet.

Each option keeps its code (mapped back in :attr:`~ketacheck.fhir.ImportResult.option_codes`),
its label, its points (``ordinalValue``, ``itemWeight``, ...) and its red flag. ketacheck's
reserved answer ``unknown`` (HL7's data-absent-reason) is not an option: it is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ketacheck.fhir._common import DATA_ABSENT_SYSTEM, YES_NO_SYSTEM
from ketacheck.fhir._import_extensions import answer_score, answer_warnings
from ketacheck.fhir._reading import SKIP_ITEM, Reader, describe

_Entry = tuple[str, Mapping[str, Any], Mapping[str, Any] | None]
"""An option's path, the element holding its extensions, and its coding."""
_VALUES = ("valueString", "valueInteger", "valueDate", "valueTime")
"""The answerOption values taken as both code and label."""


@attrs.frozen
class Opt:
    """One answer option as read: its code, label, points, red flag and caution."""

    code: str
    label: str
    points: float
    red_flag: str | None
    caution: str | None = None


def index_value_sets(r: Reader, data: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The contained ValueSets, by ``#id``, by url and by ``url|version``."""
    value_sets: dict[str, Mapping[str, Any]] = {}
    for _path, res in r.each(data, "contained", ""):
        if res.get("resourceType") != "ValueSet":
            continue
        if isinstance(res.get("id"), str):
            value_sets["#" + res["id"]] = res
        if isinstance(res.get("url"), str):
            value_sets.setdefault(res["url"], res)
            if isinstance(res.get("version"), str):
                value_sets.setdefault(f"{res['url']}|{res['version']}", res)
    return value_sets


def options(
    r: Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    value_sets: Mapping[str, Mapping[str, Any]],
) -> list[Opt] | None:
    """The options of question *name*; None (reported) when the question cannot be imported."""
    if "answerOption" in item:
        entries = _answer_options(r, item, path, name)
    else:
        entries = _value_set_options(r, item, path, name, value_sets)
    if entries is None:
        return None
    out = []
    for opath, holder, coding in entries:
        code = coding.get("code") if coding is not None else None
        if coding is not None and coding.get("system") == DATA_ABSENT_SYSTEM:
            continue  # ketacheck's reserved answer "unknown"
        if not isinstance(code, str) or not code.strip():
            r.fail(opath, "an answer option needs a code")
        display = coding.get("display") if coding is not None else None
        label = display if isinstance(display, str) and display.strip() else code
        points = answer_score(r, holder, opath, name)
        out.append(Opt(code, label, points, *answer_warnings(r, holder, opath)))
    if not out:
        r.skip(path, f"{name} has no answer options", SKIP_ITEM)
        return None
    return out


def _answer_options(
    r: Reader, item: Mapping[str, Any], path: str, name: str
) -> list[_Entry] | None:
    entries: list[_Entry] = []
    for opath, option in r.each(item, "answerOption", path):
        values = [k for k in option if k.startswith("value")]
        if len(values) != 1:
            r.fail(opath, "an answerOption needs exactly one value[x]")
        key = values[0]
        if key == "valueCoding":
            entries.append((opath, option, r.obj(option[key], f"{opath}.{key}")))
        elif key in _VALUES:
            entries.append((opath, option, {"code": str(option[key]), "display": str(option[key])}))
        else:
            r.skip(opath, f"an answer option of {name} with {key}", SKIP_ITEM)
            return None
        if "initialSelected" in option:
            r.skip(f"{opath}.initialSelected", f"initial answers of {name}")
    return entries


def _value_set_options(
    r: Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    value_sets: Mapping[str, Mapping[str, Any]],
) -> list[_Entry] | None:
    reference = r.string(item, "answerValueSet", path)
    vs = value_sets.get(reference or "")
    if vs is None:
        r.skip(
            f"{path}.answerValueSet",
            f"{name} takes its answers from {describe(reference)}, which is not contained "
            "in the Questionnaire",
            SKIP_ITEM,
        )
        return None
    concepts = list(value_set_concepts(r, vs, f"{path}.answerValueSet"))
    if not concepts:
        r.skip(
            f"{path}.answerValueSet",
            f"{name}: the value set {reference} lists no codes",
            SKIP_ITEM,
        )
        return None
    return [(p, concept, concept) for p, concept in concepts]


def value_set_concepts(
    r: Reader, vs: Mapping[str, Any], path: str
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The codes of a contained ValueSet: its expansion, else its composed concepts."""
    expansion = vs.get("expansion")
    if isinstance(expansion, dict) and expansion.get("contains"):
        yield from _expansion(r, expansion, f"{path}(expansion)")
        return
    compose = vs.get("compose")
    for ipath, include in r.each(
        compose if isinstance(compose, dict) else {}, "include", f"{path}(compose)"
    ):
        system = include.get("system")
        for cpath, concept in r.each(include, "concept", ipath):
            yield cpath, {"system": system, **concept}


def _expansion(
    r: Reader, owner: Mapping[str, Any], where: str
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for epath, entry in r.each(owner, "contains", where):
        if not entry.get("abstract") and "code" in entry:
            yield epath, entry
        yield from _expansion(r, entry, epath)


def yes_no_system(item: Mapping[str, Any]) -> bool:
    """Whether the item's coded options are ketacheck's yes and no (``YES_NO_SYSTEM``)."""
    options = item.get("answerOption")
    if not isinstance(options, list):
        return False
    systems = {
        o["valueCoding"].get("system")
        for o in options
        if isinstance(o, dict)
        and isinstance(o.get("valueCoding"), dict)
        and o["valueCoding"].get("system") != DATA_ABSENT_SYSTEM
    }
    return systems == {YES_NO_SYSTEM}


def yes_no(r: Reader, made: list[tuple[str, Opt]], good: str | None, path: str) -> dict[str, Any]:
    """The ``good``, ``red_flag`` and ``caution`` fields of a yes-no item from ``yes``/``no``."""
    by_id = dict(made)
    if good is None and by_id["no"].points > by_id["yes"].points:
        good = "no"
    good_answer = good or "yes"
    bad = "no" if good_answer == "yes" else "yes"
    if by_id[good_answer].red_flag is not None:
        r.skip(path, f'a red flag on the answer "{good_answer}", which earns the point')
    if by_id[good_answer].caution is not None:
        r.skip(path, f'a caution on the answer "{good_answer}", which earns the point')
    return {"good": good, "red_flag": by_id[bad].red_flag, "caution": by_id[bad].caution}
