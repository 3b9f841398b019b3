"""A group's or a question's condition on import: ketacheck's own ``when``, else ``enableWhen``.

``enableWhen`` is decoded by :func:`ketacheck.fhir._when.decode` against the questions
imported before it; a FHIRPath ``enableWhenExpression`` is not evaluated and is reported.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from ketacheck import conditions as c
from ketacheck.fhir._common import ENABLE_WHEN_EXPRESSION, K
from ketacheck.fhir._reading import Reader, describe
from ketacheck.fhir._when import Target, WhenError, decode
from ketacheck.files._convert import Invalid, structure_condition

_ALWAYS_ASKED = "the condition is not carried over (the item is always asked)"


def both(outer: c.Condition | None, inner: c.Condition | None) -> c.Condition | None:
    """The condition that holds when *outer* and *inner* both do (either may be None)."""
    if outer is None or inner is None:
        return outer or inner
    return c.All((outer, inner))


class Conditions:
    """Reads conditions that name the questions imported so far.

    *targets* maps each imported linkId to what a condition needs to know about its item;
    *imported* holds the ids of the imported items. Both grow as the import goes on.
    """

    def __init__(self, r: Reader, targets: Mapping[str, Target], imported: Collection[str]) -> None:
        self.r = r
        self.targets = targets
        self.imported = imported

    def of_group(self, item: Mapping[str, Any], path: str) -> c.Condition | None:
        """The condition of a group or question from K/when, else from enableWhen."""
        for epath, e in self.r.each(item, "extension", path):
            if e.get("url") == K.WHEN:
                return self.of_item(item, path, (epath, self.r.value(e, epath, "String")))
        return self.of_item(item, path, None)

    def of_item(
        self, item: Mapping[str, Any], path: str, written: tuple[str, str] | None
    ) -> c.Condition | None:
        """The condition *written* as ketacheck's ``when`` (path, JSON), else from enableWhen."""
        expressions = list(self.r.extensions_of(item, path, ENABLE_WHEN_EXPRESSION))
        if written is not None:
            return self._written(*written)
        cond: c.Condition | None = None
        enable_when = self.r.array(item, "enableWhen", path)
        if enable_when:
            try:
                cond = decode(enable_when, item.get("enableBehavior"), self.targets.get)
            except WhenError as e:
                if e.malformed:
                    self.r.fail(f"{path}.{e.path}", e.message)
                self.r.skip(f"{path}.{e.path}", e.message, _ALWAYS_ASKED)
                return None
        for expression in expressions:
            value = expression.get("valueExpression")
            text = value.get("expression") if isinstance(value, dict) else None
            self.r.skip(
                path,
                f"enableWhenExpression {describe(text)} (FHIRPath is not evaluated)",
                "the condition is not carried over"
                + (" (only enableWhen is)" if cond else " (the item is always asked)"),
            )
        return cond

    def _written(self, path: str, text: str) -> c.Condition | None:
        try:
            cond = structure_condition(json.loads(text))
        except (ValueError, Invalid) as e:
            self.r.fail(f"{path}.valueString", f"not a ketacheck condition: {e}")
        missing = [i for i in c.referenced_items(cond) if i not in self.imported]
        if missing:
            self.r.skip(
                path,
                f'the condition names "{missing[0]}", which is not an earlier imported item',
                _ALWAYS_ASKED,
            )
            return None
        return cond
