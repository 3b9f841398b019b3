"""Every extension the importer reads, in one place: a checklist's, group's, item's, answer's.

ketacheck's own extensions (:class:`~ketacheck.fhir._common.K`, written by
:mod:`ketacheck.fhir._export`) restore what FHIR has no element for; HL7 and SDC extensions
that map onto the format (units, limits, scores, entry format) are read too; those about
presentation only are ignored silently (:data:`IGNORED_EXTENSIONS`); any other is reported as
not carried over (:func:`other_extension`). A new extension is read here, beside its kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from ketacheck.fhir._common import (
    ENABLE_WHEN_EXPRESSION,
    ENTRY_FORMAT,
    HIDDEN,
    HL7,
    ITEM_CONTROL,
    MAX_VALUE,
    MIN_VALUE,
    OPTION_EXCLUSIVE,
    SCORE_EXTENSIONS,
    SDC,
    UNIT,
    K,
)
from ketacheck.fhir._reading import Reader
from ketacheck.model import (
    Band,
    ItemKind,
    NumberBand,
    Phase,
    Profile,
    Scoring,
    Source,
    UnknownPolicy,
)

IGNORED_EXTENSIONS: Final = frozenset(
    {
        ITEM_CONTROL,
        OPTION_EXCLUSIVE,
        HL7 + "questionnaire-optionPrefix",
        HL7 + "questionnaire-choiceOrientation",
        HL7 + "questionnaire-displayCategory",
        HL7 + "questionnaire-minOccurs",
        HL7 + "questionnaire-maxOccurs",
        HL7 + "questionnaire-sliderStepValue",
        HL7 + "questionnaire-supportLink",
        HL7 + "questionnaire-usageMode",
        HL7 + "rendering-style",
        HL7 + "rendering-xhtml",
        HL7 + "rendering-markdown",
        HL7 + "translation",
        HL7 + "maxDecimalPlaces",
        HL7 + "minLength",
        HL7 + "regex",
        SDC + "sdc-questionnaire-observationLinkPeriod",
        SDC + "sdc-questionnaire-observationExtract",
        SDC + "sdc-questionnaire-width",
        SDC + "sdc-questionnaire-collapsible",
        SDC + "sdc-questionnaire-shortText",
    }
)
"""Extensions about presentation or data capture only; importing ignores them silently."""
CALCULATED: Final = SDC + "sdc-questionnaire-calculatedExpression"
"""A calculated value (such as a total): the item that has it is skipped."""

_ITEM_VALUES: Final = {
    K.WHY: ("why", "String"),
    K.WEIGHT: ("weight", "Decimal"),
    K.GOOD: ("good", "Code"),
    K.RED_FLAG_IF_UNKNOWN: ("red_flag_if_unknown", "Boolean"),
    K.CAUTION_IF_UNKNOWN: ("caution_if_unknown", "Boolean"),
    K.INTEGER: ("integer", "Boolean"),
    K.MAX_POINTS: ("max_points", "Decimal"),
    ENTRY_FORMAT: ("placeholder", "String"),
}
"""An item's extensions that set one field: url -> (field, value type)."""
_ITEM_LISTS: Final = {K.TAG: ("tags", "Code"), K.SOURCE_REF: ("sources", "String")}
"""An item's extensions that add to a tuple field: url -> (field, value type)."""
_NUMBER_ONLY: Final = (UNIT, MIN_VALUE, MAX_VALUE, K.BAND)
"""Extensions that only a number question can carry."""
_LIMITS: Final = {MIN_VALUE: "min", MAX_VALUE: "max"}


def other_extension(r: Reader, e: Mapping[str, Any], path: str) -> None:
    """Report extension *e*, which nothing reads, unless it is one to ignore."""
    url = e.get("url")
    if url not in IGNORED_EXTENSIONS:
        r.skip(path, f"extension {url}")


# -- the checklist ------------------------------------------------------------------------


def checklist_extensions(r: Reader, data: Mapping[str, Any]) -> dict[str, Any]:
    """The Checklist fields that the Questionnaire's own extensions carry."""
    meta: dict[str, Any] = {}
    authors: list[str] = []
    sources: list[Source] = []
    profiles: list[Profile] = []
    renamed: dict[str, str] = {}
    for path, e in r.each(data, "extension", ""):
        url = e.get("url")
        if url == K.AUTHOR:
            authors.append(r.value(e, path, "String"))
        elif url == K.SCORING:
            meta["scoring"] = _scoring(r, e, path)
        elif url == K.SOURCE:
            sources.append(_source(r, e, path))
        elif url == K.PROFILE:
            profiles.append(_profile(r, e, path))
        elif url == K.RENAMED:
            parts = r.parts(e, path)
            renamed[r.part(parts, "from", path, "String")] = r.part(parts, "to", path, "String")
        else:
            other_extension(r, e, path)
    meta.update(authors=tuple(authors), sources=tuple(sources), profiles=tuple(profiles))
    if renamed:
        meta["renamed"] = renamed
    return meta


def _scoring(r: Reader, e: Mapping[str, Any], path: str) -> Scoring:
    parts = r.parts(e, path)
    raw = r.part(parts, "unknown", path, "Code")
    try:
        policy = UnknownPolicy(raw)
    except ValueError:
        r.fail(path, f'expected one of: zero, skip; got "{raw}"')
    bands = []
    for bpath, band in parts.get("band", []):
        sub = r.parts(band, bpath)
        bands.append(
            Band(
                min=r.part(sub, "min", bpath, "Decimal"),
                label=r.part(sub, "label", bpath, "String"),
            )
        )
    return Scoring(unknown=policy, bands=tuple(bands), **_scoring_rules(r, parts, path))


def _scoring_rules(
    r: Reader, parts: Mapping[str, list[tuple[str, Mapping[str, Any]]]], path: str
) -> dict[str, Any]:
    """``unanswered``, ``min-completeness`` and ``red-flag-band`` of the scoring extension."""
    rules: dict[str, Any] = {}
    raw = r.part(parts, "unanswered", path, "Code", required=False)
    if raw is not None:
        try:
            rules["unanswered"] = UnknownPolicy(raw)
        except ValueError:
            r.fail(path, f'expected one of: zero, skip; got "{raw}"')
    share = r.part(parts, "min-completeness", path, "Decimal", required=False)
    if share is not None:
        rules["min_completeness"] = share
    rules["red_flag_band"] = r.part(parts, "red-flag-band", path, "String", required=False)
    return rules


def _source(r: Reader, e: Mapping[str, Any], path: str) -> Source:
    parts = r.parts(e, path)
    return Source(
        id=r.part(parts, "id", path, "String"),
        title=r.part(parts, "title", path, "String"),
        url=r.part(parts, "url", path, "Uri", required=False),
    )


def _profile(r: Reader, e: Mapping[str, Any], path: str) -> Profile:
    parts = r.parts(e, path)
    weights = {}
    for wpath, weight in parts.get("weight", []):
        sub = r.parts(weight, wpath)
        weights[r.part(sub, "target", wpath, "String")] = r.part(
            sub, "multiplier", wpath, "Decimal"
        )
    return Profile(
        id=r.part(parts, "id", path, "String"),
        title=r.part(parts, "title", path, "String", required=False),
        summary=r.part(parts, "summary", path, "String", required=False),
        weights=weights,
    )


# -- a group ------------------------------------------------------------------------------


def group_phase(r: Reader, item: Mapping[str, Any], path: str) -> Phase | None:
    """The phase of a group (a section), from its extensions; reports the ones not read."""
    phase: Phase | None = None
    for epath, e in r.each(item, "extension", path):
        url = e.get("url")
        if url == K.PHASE:
            raw = r.value(e, epath, "Code")
            try:
                phase = Phase(raw)
            except ValueError:
                r.fail(f"{epath}.valueCode", f'expected one of: {", ".join(Phase)}; got "{raw}"')
        elif url not in (K.WHEN, ENABLE_WHEN_EXPRESSION):
            other_extension(r, e, epath)
    return phase


# -- an item ------------------------------------------------------------------------------


@attrs.frozen
class ItemExtensions:
    """What an item's extensions say."""

    fields: Mapping[str, Any]
    """Item fields (``why``, ``weight``, ``tags``, ``points``, ``unit``, ...)."""
    when: tuple[str, str] | None
    """ketacheck's own condition, as written (JSON), with the extension's path."""


def item_extensions(
    r: Reader, item: Mapping[str, Any], path: str, kind: ItemKind, name: str
) -> ItemExtensions:
    """The fields that the extensions of question *name* (of *kind*) carry."""
    fields: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {}
    when = None
    for epath, e in r.each(item, "extension", path):
        url = e.get("url")
        if url in _ITEM_VALUES:
            field, value_type = _ITEM_VALUES[url]
            fields[field] = r.value(e, epath, value_type)
        elif url in _ITEM_LISTS:
            field, value_type = _ITEM_LISTS[url]
            lists.setdefault(field, []).append(r.value(e, epath, value_type))
        elif url == K.WHEN:
            when = (epath, r.value(e, epath, "String"))
        elif url in _NUMBER_ONLY and kind is not ItemKind.NUMBER:
            r.skip(epath, f"{url} on {name}, which is not a number question")
        elif url == UNIT:
            coding = r.value(e, epath, "Coding")
            unit = coding.get("display") or coding.get("code")
            if isinstance(unit, str):
                fields["unit"] = unit
        elif url in _LIMITS:
            fields[_LIMITS[url]] = r.value(e, epath, "Decimal")
        elif url == K.BAND:
            lists.setdefault("points", []).append(_number_band(r, e, epath))
        elif url == HIDDEN:
            if e.get("valueBoolean") is True:
                r.skip(epath, f"{name} is hidden", "it is imported as an ordinary question")
        elif url != ENABLE_WHEN_EXPRESSION:
            other_extension(r, e, epath)
    fields.update((field, tuple(values)) for field, values in lists.items())
    return ItemExtensions(fields, when)


def _number_band(r: Reader, e: Mapping[str, Any], path: str) -> NumberBand:
    parts = r.parts(e, path)
    return NumberBand(
        at_least=r.part(parts, "at-least", path, "Decimal"),
        points=r.part(parts, "points", path, "Decimal"),
        red_flag=r.part(parts, "red-flag", path, "String", required=False),
        caution=r.part(parts, "caution", path, "String", required=False),
    )


# -- an answer ----------------------------------------------------------------------------


def answer_score(r: Reader, holder: Mapping[str, Any], path: str, name: str) -> float:
    """The points of an answer option of *name*, from the first score extension (0 if none)."""
    found: list[tuple[str, float]] = []
    for url in SCORE_EXTENSIONS:
        found.extend((url, r.value(e, path, "Decimal")) for e in r.extensions_of(holder, path, url))
    if not found:
        return 0
    values = {v for _, v in found}
    if len(values) > 1:
        shown = ", ".join(f"{u.rsplit('/', 1)[-1]} {v:g}" for u, v in found)
        r.skip(
            path,
            f"an answer of {name} has different scores ({shown})",
            f"the first, {found[0][1]:g}, is used",
        )
    points = found[0][1]
    if points < 0:
        r.skip(
            path, f"an answer of {name} scores {points:g}; ketacheck points are >= 0", "it scores 0"
        )
        return 0
    return points


def answer_warnings(
    r: Reader, holder: Mapping[str, Any], path: str
) -> tuple[str | None, str | None]:
    """An answer option's red flag and caution, each None when it has none.

    Reports the option's other extensions, but scores, as left out.
    """
    found: dict[str, str] = {}
    for epath, e in r.each(holder, "extension", path):
        url = e.get("url")
        if url in (K.RED_FLAG, K.CAUTION):
            found.setdefault(url, str(r.value(e, epath, "String")))
        elif url not in SCORE_EXTENSIONS:
            other_extension(r, e, epath)
    return found.get(K.RED_FLAG), found.get(K.CAUTION)
