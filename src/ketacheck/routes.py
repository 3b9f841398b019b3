"""Routes of ketamine administration and what is known about each.

Each :class:`Route` member carries :class:`RouteFacts`: where it is usually given, by whom, the
approximate share of a dose that reaches the blood (bioavailability), how fast it acts, a plain
note, and the publications the figures come from. The route ids match the option ids of the
``routes`` item in the bundled checklists.

Bioavailability figures are approximate ranges from small pharmacokinetic studies, in percent
of the dose. They explain why milligram doses cannot be compared across routes; they are not
dosing advice. Where the sources give no reliable figure the value is ``None`` and the note
says so.

Example:
    >>> from ketacheck.routes import Route
    >>> Route.IM.bioavailability
    (93.0, 93.0)
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

__all__ = ["Route", "RouteFacts"]


@attrs.frozen(kw_only=True)
class RouteFacts:
    """Plain-language facts about one route of administration.

    Attributes:
        label: The route in plain words.
        usual_setting: Where doses by this route are usually given.
        administered_by: Who gives the dose.
        bioavailability: Approximate percent of a dose that reaches the blood, as
            ``(low, high)``; ``None`` where the sources give no reliable figure.
        onset: How fast it acts, in plain words.
        note: One or two plain sentences on what matters about this route.
        sources: The publications the figures rely on.
    """

    label: str
    usual_setting: str
    administered_by: str
    bioavailability: tuple[float, float] | None
    onset: str
    note: str
    sources: tuple[Source, ...]


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
        """Approximate percent of a dose reaching the blood, ``(low, high)``, or ``None``."""
        return self.facts.bioavailability

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
_SPRAVATO_LABEL: Final = Source(
    id="spravato-label",
    title=(
        "Janssen Pharmaceuticals. SPRAVATO (esketamine) nasal spray: US prescribing "
        "information. 2019 and later revisions"
    ),
    url="https://www.accessdata.fda.gov/drugsatfda_docs/label/2019/211243s000lbl.pdf",
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
            bioavailability=(100.0, 100.0),
            onset="acts within minutes; blood levels are highest at the end of the drip",
            note=(
                "The whole dose reaches the blood, and the drip can be stopped at once. "
                "Most research on depression used 0.5 mg per kg of body weight over about "
                "40 minutes."
            ),
            sources=(_SANACORA_2017, _MURROUGH_2013),
        ),
        Route.IM: RouteFacts(
            label="Injection into a muscle (IM)",
            usual_setting="A clinic or a therapist's office with a prescriber on site",
            administered_by="A nurse or doctor",
            bioavailability=(93.0, 93.0),
            onset="peak within about 5-15 minutes",
            note=(
                "Nearly all of the dose reaches the blood, but unlike a drip a shot cannot "
                "be stopped once it is given. A small trial found effects on mood comparable "
                "to IV."
            ),
            sources=(_CLEMENTS_1982, _LOO_2016),
        ),
        Route.SUBLINGUAL: RouteFacts(
            label="Lozenge, troche or tablet held in the mouth",
            usual_setting="A therapist's office, or at home through a telehealth programme",
            administered_by="You, following the prescriber's instructions",
            bioavailability=(27.0, 31.0),
            onset="peak about 45 minutes after the dose (range about 15-60 minutes)",
            note=(
                "Figures are from small studies: a median of 29% (90% range 27-31%) for a "
                "wafer and about 30% for a tablet. With lozenges much of the saliva is "
                "swallowed, so the real share lies between the sublingual and oral figures "
                "and varies from person to person."
            ),
            sources=(_ROLAN_2014, _YANAGIHARA_2003),
        ),
        Route.INTRANASAL: RouteFacts(
            label="Nasal spray",
            usual_setting=(
                "A clinic certified under the esketamine REMS (a US safety programme); "
                "compounded ketamine sprays are sometimes sent home"
            ),
            administered_by="You, spraying it yourself while a clinician watches (esketamine)",
            bioavailability=(45.0, 48.0),
            onset="peak about 20-40 minutes after the spray",
            note=(
                "About 45% for racemic ketamine in one small study and about 48% for "
                "esketamine on its label. Clinic websites quote much wider ranges, and "
                "esketamine requires at least two hours of watching after each dose."
            ),
            sources=(_YANAGIHARA_2003, _SPRAVATO_LABEL),
        ),
        Route.ORAL: RouteFacts(
            label="Liquid or pill that you swallow",
            usual_setting="Usually at home, sometimes in a clinic",
            administered_by="You, following the prescriber's instructions",
            bioavailability=(17.0, 25.0),
            onset="peak about 30-60 minutes after swallowing; effects can last several hours",
            note=(
                "Only about a fifth of a swallowed dose reaches the blood as ketamine, "
                "because the liver turns much of it into norketamine first. This is why "
                "oral doses in milligrams are much larger than doses by other routes."
            ),
            sources=(_CLEMENTS_1982, _YANAGIHARA_2003),
        ),
        Route.SUBCUTANEOUS: RouteFacts(
            label="Injection under the skin (subcutaneous)",
            usual_setting="A clinic, in trials and some specialist services",
            administered_by="A nurse or doctor",
            bioavailability=None,
            onset="not reported in the sources used here",
            note=(
                "The sources used here give no reliable human figure for how much of the "
                "dose reaches the blood. In trials it worked about as well as IV and IM, "
                "with the fewest side effects in a small pilot study."
            ),
            sources=(_LOO_2016, _LOO_2023),
        ),
    }
)
