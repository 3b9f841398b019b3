"""Routes of ketamine administration and what is known about each.

Each :class:`Route` member carries :class:`RouteFacts`: where it is usually given, by whom, what
studies measured about the share of a dose that reaches the blood (bioavailability), how fast
it acts, a plain note, and the publications the figures come from. The route ids match the
option ids of the ``routes`` item in the bundled checklists.

Bioavailability is stored as the studies reported it: each :class:`Measurement` names the
product that was studied, who took part, the typical value (a median or mean) and, where the
study reported it, how widely people varied. The studies are small, and several used
purpose-made products (a wafer, a tablet) rather than the compounded lozenges clinics use, so
the figures explain why milligram doses cannot be compared across routes; they are not dosing
advice.

Example:
    >>> from ketacheck.routes import Route
    >>> Route.SUBLINGUAL.bioavailability
    (15.0, 49.0)
    >>> Route.SUBLINGUAL.typical_bioavailability
    30.0
    >>> Route.IM.bioavailability is None
    True
    >>> Route("sublingual").label
    'Lozenge, troche or tablet held in the mouth'
"""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from ketacheck.model import Source

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Measurement", "Route", "RouteFacts"]

_NOT_REPORTED: Final = "how widely people varied was not reported in the sources checked here"


@attrs.frozen(kw_only=True)
class Measurement:
    """One study's figure for the share of a dose that reaches the blood.

    Attributes:
        product: What was given, in plain words (for example "a purpose-made wafer, 25 mg").
        people: Who took part (for example "8 healthy men").
        typical: The typical value the study reported (its median or mean), in percent.
        source: The publication.
        spread: How widely people varied, as ``(low, high)`` in percent; ``None`` (the
            default) when the study did not report it.
        spread_kind: What ``spread`` is (for example "mean plus or minus one standard
            deviation"), or why it is missing.
    """

    product: str
    people: str
    typical: float
    source: Source
    spread: tuple[float, float] | None = None
    spread_kind: str = _NOT_REPORTED


@attrs.frozen(kw_only=True)
class RouteFacts:
    """Plain-language facts about one route of administration.

    Attributes:
        label: The route in plain words.
        usual_setting: Where doses by this route are usually given.
        administered_by: Who gives the dose.
        typical_bioavailability: A typical percent of a dose that reaches the blood, rounded
            from the measurements; ``None`` where the sources give no reliable figure.
        measurements: What each study measured, with the product studied and the spread.
        onset: How fast it acts, in plain words.
        note: One or two plain sentences on what matters about this route.
        sources: The publications the facts rely on.
    """

    label: str
    usual_setting: str
    administered_by: str
    typical_bioavailability: float | None
    measurements: tuple[Measurement, ...]
    onset: str
    note: str
    sources: tuple[Source, ...]

    @property
    def bioavailability(self) -> tuple[float, float] | None:
        """How widely people varied, ``(low, high)`` in percent, over the studies that say.

        ``None`` when no study reported a spread across people (a single typical value is in
        :attr:`typical_bioavailability`).
        """
        spreads = [m.spread for m in self.measurements if m.spread is not None]
        if not spreads:
            return None
        return (min(low for low, _ in spreads), max(high for _, high in spreads))


class Route(enum.StrEnum):
    """A route of ketamine administration; the value is the checklist option id."""

    IV = "iv"
    IM = "im"
    SUBLINGUAL = "sublingual"
    INTRANASAL = "intranasal"
    ORAL = "oral"
    SUBCUTANEOUS = "subcutaneous"

    @property
    def facts(self) -> RouteFacts:
        """All facts about this route."""
        return _FACTS[self]

    @property
    def label(self) -> str:
        """The route in plain words."""
        return self.facts.label

    @property
    def usual_setting(self) -> str:
        """Where doses by this route are usually given."""
        return self.facts.usual_setting

    @property
    def administered_by(self) -> str:
        """Who gives the dose."""
        return self.facts.administered_by

    @property
    def bioavailability(self) -> tuple[float, float] | None:
        """How widely people varied in the studies, ``(low, high)`` percent, or ``None``."""
        return self.facts.bioavailability

    @property
    def typical_bioavailability(self) -> float | None:
        """A typical percent of a dose reaching the blood, or ``None``."""
        return self.facts.typical_bioavailability

    @property
    def onset(self) -> str:
        """How fast the route acts, in plain words."""
        return self.facts.onset

    @property
    def sources(self) -> tuple[Source, ...]:
        """The publications the facts rely on."""
        return self.facts.sources


_SANACORA_2017: Final = Source(
    id="sanacora-2017",
    title=(
        "Sanacora G, Frye MA, McDonald W, et al. A consensus statement on the use of ketamine "
        "in the treatment of mood disorders. JAMA Psychiatry 2017"
    ),
    url="https://doi.org/10.1001/jamapsychiatry.2017.0080",
)
_MURROUGH_2013: Final = Source(
    id="murrough-2013",
    title=(
        "Murrough JW, et al. Rapid and longer-term antidepressant effects of repeated ketamine "
        "infusions in treatment-resistant major depression. Biol Psychiatry 2013"
    ),
    url="https://doi.org/10.1016/j.biopsych.2012.06.022",
)
_CLEMENTS_1982: Final = Source(
    id="clements-1982",
    title=(
        "Clements JA, Nimmo WS, Grant IS. Bioavailability, pharmacokinetics, and analgesic "
        "activity of ketamine in humans. J Pharm Sci 1982;71(5):539-542"
    ),
)
_YANAGIHARA_2003: Final = Source(
    id="yanagihara-2003",
    title=(
        "Yanagihara Y, et al. Plasma concentration profiles of ketamine and norketamine after "
        "administration of various ketamine preparations to healthy Japanese volunteers. "
        "Biopharm Drug Dispos 2003"
    ),
    url="https://doi.org/10.1002/bdd.336",
)
_ROLAN_2014: Final = Source(
    id="rolan-2014",
    title=(
        "Rolan P, Lim S, Sunderland V, Liu Y, Molnar V. The absolute bioavailability of "
        "racemic ketamine from a novel sublingual formulation. Br J Clin Pharmacol 2014"
    ),
    url="https://doi.org/10.1111/bcp.12264",
)
_CHONG_2006: Final = Source(
    id="chong-2006",
    title=(
        "Chong C, Schug S, Page-Sharp M, Ilett K. Bioavailability of ketamine after oral or "
        "sublingual administration. Pain Med 2006;7(5):469 (conference abstract)"
    ),
)
_SPRAVATO_LABEL: Final = Source(
    id="spravato-label",
    title=(
        "Janssen Pharmaceuticals. SPRAVATO (esketamine) nasal spray: US prescribing "
        "information (current version on DailyMed; first approved 2019)"
    ),
    url="https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=d81a6a79-a74a-44b7-822c-0dfa3036eaed",
)
_LOO_2016: Final = Source(
    id="loo-2016",
    title=(
        "Loo CK, Galvez V, O'Keefe E, et al. Placebo-controlled pilot trial testing dose "
        "titration and intravenous, intramuscular and subcutaneous routes for ketamine in "
        "depression. Acta Psychiatr Scand 2016"
    ),
    url="https://doi.org/10.1111/acps.12572",
)
_LOO_2023: Final = Source(
    id="loo-2023",
    title=(
        "Loo C, Glozier N, Barton D, et al. Efficacy and safety of a 4-week course of repeated "
        "subcutaneous ketamine injections for treatment-resistant depression (KADS study): "
        "randomised double-blind active-controlled trial. Br J Psychiatry 2023"
    ),
    url="https://doi.org/10.1192/bjp.2023.79",
)

_FACTS: Final[Mapping[Route, RouteFacts]] = MappingProxyType(
    {
        Route.IV: RouteFacts(
            label="Drip into a vein (IV infusion)",
            usual_setting="An infusion clinic or hospital, with monitoring equipment",
            administered_by="A nurse or doctor, usually through an electronic pump",
            typical_bioavailability=100.0,
            measurements=(
                Measurement(
                    product="any ketamine given into a vein",
                    people="everyone: this is the definition of bioavailability",
                    typical=100.0,
                    spread=(100.0, 100.0),
                    spread_kind="complete by definition",
                    source=_SANACORA_2017,
                ),
            ),
            onset="acts within minutes; blood levels are highest at the end of the drip",
            note=(
                "The whole dose reaches the blood, and the drip can be stopped at once. "
                "Most research on depression used 0.5 mg per kg of body weight over about "
                "40 minutes."
            ),
            sources=(_SANACORA_2017, _MURROUGH_2013),
        ),
        Route.IM: RouteFacts(
            label="Shot into a muscle (IM injection)",
            usual_setting="A clinic or a therapist's office with a prescriber on site",
            administered_by="A nurse or doctor",
            typical_bioavailability=93.0,
            measurements=(
                Measurement(
                    product="racemic ketamine injected into a muscle",
                    people="a small group of healthy volunteers",
                    typical=93.0,
                    source=_CLEMENTS_1982,
                ),
            ),
            onset="peak within about 5-15 minutes",
            note=(
                "About 90% of the dose reaches the blood (one small 1982 study), and unlike "
                "a drip a shot cannot be stopped once it is given. A very small trial found "
                "effects on mood similar to IV."
            ),
            sources=(_CLEMENTS_1982, _LOO_2016),
        ),
        Route.SUBLINGUAL: RouteFacts(
            label="Lozenge, troche or tablet held in the mouth",
            usual_setting="A therapist's office, or at home through a telehealth program",
            administered_by="You, following the prescriber's instructions",
            typical_bioavailability=30.0,
            measurements=(
                Measurement(
                    product="a purpose-made wafer, 25 mg",
                    people="8 healthy men",
                    typical=29.0,
                    spread=None,
                    spread_kind=(
                        "the 27-31% reported is a confidence interval of the median, not a "
                        "range across people; the wafer was designed to vary little"
                    ),
                    source=_ROLAN_2014,
                ),
                Measurement(
                    product="25 mg held under the tongue (the form is not stated in the abstract)",
                    people="6 hospital patients with nerve pain",
                    typical=32.0,
                    spread=(15.0, 49.0),
                    spread_kind="mean plus or minus one standard deviation (32 +/- 17%)",
                    source=_CHONG_2006,
                ),
                Measurement(
                    product="a tablet held under the tongue",
                    people="healthy Japanese volunteers",
                    typical=30.0,
                    source=_YANAGIHARA_2003,
                ),
            ),
            onset="peak about 45 minutes after the dose (range about 15-60 minutes)",
            note=(
                "About 30% in small studies of purpose-made products, and it varies a lot "
                "from person to person. No study measured compounded lozenges; with them much "
                "of the saliva is swallowed, so the real share varies even more."
            ),
            sources=(_ROLAN_2014, _CHONG_2006, _YANAGIHARA_2003),
        ),
        Route.INTRANASAL: RouteFacts(
            label="Nasal spray",
            usual_setting=(
                "A clinic certified by the FDA's Spravato safety program (REMS); compounded "
                "ketamine sprays are sometimes sent home"
            ),
            administered_by="You, spraying it yourself while a nurse or doctor watches (Spravato)",
            typical_bioavailability=45.0,
            measurements=(
                Measurement(
                    product="a racemic ketamine nasal spray",
                    people="healthy Japanese volunteers",
                    typical=45.0,
                    source=_YANAGIHARA_2003,
                ),
                Measurement(
                    product="Spravato (esketamine) nasal spray",
                    people="the studies summarized on the Spravato label",
                    typical=48.0,
                    source=_SPRAVATO_LABEL,
                ),
            ),
            onset="peak about 20-40 minutes after the spray",
            note=(
                "Just under half the dose: about 45% for a racemic spray in one small study "
                "and about 48% for Spravato on its label. How much a compounded spray "
                "delivers depends on the device and the technique, and is not known. Spravato "
                "requires at least two hours of watching after each dose."
            ),
            sources=(_YANAGIHARA_2003, _SPRAVATO_LABEL),
        ),
        Route.ORAL: RouteFacts(
            label="Liquid or pill that you swallow",
            usual_setting="Usually at home, sometimes in a clinic",
            administered_by="You, following the prescriber's instructions",
            typical_bioavailability=20.0,
            measurements=(
                Measurement(
                    product="racemic ketamine swallowed",
                    people="a small group of healthy volunteers",
                    typical=17.0,
                    source=_CLEMENTS_1982,
                ),
                Measurement(
                    product="25 mg swallowed",
                    people="6 hospital patients with nerve pain",
                    typical=23.0,
                    spread=(14.0, 32.0),
                    spread_kind="mean plus or minus one standard deviation (23 +/- 9%)",
                    source=_CHONG_2006,
                ),
                Measurement(
                    product="a preparation swallowed",
                    people="healthy Japanese volunteers",
                    typical=20.0,
                    source=_YANAGIHARA_2003,
                ),
            ),
            onset="peak about 30-60 minutes after swallowing; effects can last several hours",
            note=(
                "Only about a fifth of a swallowed dose reaches the blood as ketamine, "
                "because the liver turns much of it into norketamine first. This is why "
                "oral doses in milligrams are much larger than doses by other routes."
            ),
            sources=(_CLEMENTS_1982, _CHONG_2006, _YANAGIHARA_2003),
        ),
        Route.SUBCUTANEOUS: RouteFacts(
            label="Shot under the skin (subcutaneous injection)",
            usual_setting="A clinic, in trials and some specialist services",
            administered_by="A nurse or doctor",
            typical_bioavailability=None,
            measurements=(),
            onset="not reported in the sources used here",
            note=(
                "The sources used here give no reliable human figure for how much of the "
                "dose reaches the blood. A very small pilot suggested effects similar to IV "
                "and IM, and a larger trial found it worked better than an active comparison "
                "drug (midazolam)."
            ),
            sources=(_LOO_2016, _LOO_2023),
        ),
    }
)
