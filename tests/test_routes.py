"""Tests for ketacheck.routes: every route has complete, sourced facts."""

from __future__ import annotations

import pytest

from ketacheck.routes import Route, RouteFacts


class TestRouteMembers:
    """The enum and its values."""

    def test_values_are_the_checklist_option_ids(self) -> None:
        """The route values match the option ids of the checklist's routes item."""
        expected = ["iv", "im", "sublingual", "intranasal", "oral", "subcutaneous"]
        actual = [route.value for route in Route]
        assert expected == actual

    def test_lookup_by_value(self) -> None:
        """A route can be found from its option id."""
        expected = Route.SUBLINGUAL
        actual = Route("sublingual")
        assert expected == actual


class TestRouteFacts:
    """The facts each route carries."""

    @pytest.mark.parametrize("route", list(Route))
    def test_every_route_has_facts(self, route: Route) -> None:
        """Every member has a RouteFacts with non-empty text fields."""
        facts = route.facts
        assert isinstance(facts, RouteFacts)
        for text in (facts.label, facts.usual_setting, facts.administered_by, facts.onset):
            assert text.strip()
        assert facts.note.strip()

    @pytest.mark.parametrize("route", [r for r in Route if r.bioavailability is not None])
    def test_bioavailability_is_a_percent_range(self, route: Route) -> None:
        """A spread across people lies within [0, 100] with low <= high."""
        value = route.bioavailability
        assert value is not None
        low, high = value
        assert 0 <= low <= high <= 100

    @pytest.mark.parametrize("route", list(Route))
    def test_measurements_are_honest(self, route: Route) -> None:
        """Every measurement names its product and people, and its spread holds its typical."""
        for m in route.facts.measurements:
            assert m.product.strip()
            assert m.people.strip()
            assert m.spread_kind.strip()
            assert m.source in route.sources
            if m.spread is not None:
                assert m.spread[0] <= m.typical <= m.spread[1]

    @pytest.mark.parametrize("route", list(Route))
    def test_typical_value_needs_a_measurement(self, route: Route) -> None:
        """A route has a typical figure exactly when some study measured one."""
        assert (route.typical_bioavailability is None) == (not route.facts.measurements)

    @pytest.mark.parametrize("route", list(Route))
    def test_every_route_is_sourced(self, route: Route) -> None:
        """Every route cites at least one source, each with a unique id."""
        ids = [source.id for source in route.sources]
        assert ids
        assert len(ids) == len(set(ids))

    @pytest.mark.parametrize("route", list(Route))
    def test_source_urls_are_https(self, route: Route) -> None:
        """Every source link is https."""
        for source in route.sources:
            if source.url is not None:
                assert source.url.startswith("https://")

    @pytest.mark.parametrize("route", list(Route))
    def test_missing_figure_is_explained(self, route: Route) -> None:
        """A route without a typical figure says so in its note."""
        if route.typical_bioavailability is None:
            assert "no reliable" in route.facts.note

    def test_convenience_properties_delegate(self) -> None:
        """The shortcut properties return the same values as facts."""
        facts = Route.IV.facts
        expected = (
            facts.label,
            facts.usual_setting,
            facts.administered_by,
            facts.bioavailability,
            facts.typical_bioavailability,
            facts.onset,
            facts.sources,
        )
        actual = (
            Route.IV.label,
            Route.IV.usual_setting,
            Route.IV.administered_by,
            Route.IV.bioavailability,
            Route.IV.typical_bioavailability,
            Route.IV.onset,
            Route.IV.sources,
        )
        assert expected == actual


class TestKnownValues:
    """Figures taken from the domain facts (table D)."""

    def test_iv_is_complete(self) -> None:
        """IV delivers the whole dose by definition."""
        expected = (100.0, 100.0)
        actual = Route.IV.bioavailability
        assert expected == actual

    def test_im_has_a_typical_value_but_no_spread(self) -> None:
        """IM: about 93% in one small study that reported no spread across people."""
        expected = (93.0, None)
        actual = (Route.IM.typical_bioavailability, Route.IM.bioavailability)
        assert expected == actual

    def test_sublingual_spread_is_across_people(self) -> None:
        """Sublingual: typical 30%, spread 15-49% (Chong 2006, mean +/- 1 SD), not Rolan's CI."""
        expected = (30.0, (15.0, 49.0))
        actual = (Route.SUBLINGUAL.typical_bioavailability, Route.SUBLINGUAL.bioavailability)
        assert expected == actual

    def test_rolan_interval_is_not_a_spread(self) -> None:
        """Rolan 2014's 27-31% is a confidence interval of the median, so no spread is stored."""
        rolan = next(m for m in Route.SUBLINGUAL.facts.measurements if m.source.id == "rolan-2014")
        expected = ("a purpose-made wafer, 25 mg", "8 healthy men", 29.0, None)
        actual = (rolan.product, rolan.people, rolan.typical, rolan.spread)
        assert expected == actual
        assert "confidence interval of the median" in rolan.spread_kind

    def test_intranasal_names_both_products(self) -> None:
        """Intranasal keeps the racemic spray and Spravato apart."""
        expected = [
            ("a racemic ketamine nasal spray", 45.0),
            ("Spravato (esketamine) nasal spray", 48.0),
        ]
        actual = [(m.product, m.typical) for m in Route.INTRANASAL.facts.measurements]
        assert expected == actual

    def test_oral_is_lowest_typical(self) -> None:
        """Oral has the lowest typical figure of the routes with one."""
        known = {r: r.typical_bioavailability for r in Route if r.typical_bioavailability}
        expected = Route.ORAL
        actual = min(known, key=lambda r: known[r] or 0.0)
        assert expected == actual

    def test_subcutaneous_has_no_figure(self) -> None:
        """No reliable subcutaneous figure was found in the sources."""
        assert (None, None) == (
            Route.SUBCUTANEOUS.bioavailability,
            Route.SUBCUTANEOUS.typical_bioavailability,
        )

    def test_facts_are_immutable(self) -> None:
        """RouteFacts is frozen."""
        with pytest.raises(AttributeError):
            Route.IM.facts.label = "changed"  # type: ignore[misc]
