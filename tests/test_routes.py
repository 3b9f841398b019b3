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
        """A bioavailability range lies within [0, 100] with low <= high."""
        value = route.bioavailability
        assert value is not None
        low, high = value
        assert 0 <= low <= high <= 100

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
        """A route without a figure says so in its note."""
        if route.bioavailability is None:
            assert "no reliable" in route.facts.note

    def test_convenience_properties_delegate(self) -> None:
        """The shortcut properties return the same values as facts."""
        facts = Route.IV.facts
        expected = (
            facts.label,
            facts.usual_setting,
            facts.administered_by,
            facts.bioavailability,
            facts.onset,
            facts.sources,
        )
        actual = (
            Route.IV.label,
            Route.IV.usual_setting,
            Route.IV.administered_by,
            Route.IV.bioavailability,
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

    def test_im(self) -> None:
        """IM is about 93%."""
        expected = (93.0, 93.0)
        actual = Route.IM.bioavailability
        assert expected == actual

    def test_sublingual(self) -> None:
        """Sublingual uses the Rolan 2014 range, which includes Yanagihara's 30%."""
        expected = (27.0, 31.0)
        actual = Route.SUBLINGUAL.bioavailability
        assert expected == actual

    def test_oral_is_lowest_known(self) -> None:
        """Oral has the lowest upper bound of the routes with a figure."""
        known = {r: r.bioavailability for r in Route if r.bioavailability is not None}
        expected = Route.ORAL
        actual = min(known, key=lambda r: known[r][1])
        assert expected == actual

    def test_subcutaneous_has_no_figure(self) -> None:
        """No reliable subcutaneous figure was found in the sources."""
        assert Route.SUBCUTANEOUS.bioavailability is None

    def test_facts_are_immutable(self) -> None:
        """RouteFacts is frozen."""
        with pytest.raises(AttributeError):
            Route.IM.facts.label = "changed"  # type: ignore[misc]
