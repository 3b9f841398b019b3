"""The notebook form, headless: controls are set from code as a person would click them."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from pathlib import Path

import ipywidgets as widgets  # type: ignore[import-untyped] # ipywidgets ships no types
import pytest

from ketacheck import catalog, response
from ketacheck.exceptions import KetacheckError, MissingDependencyError, ResponseError
from ketacheck.files.checklist import loads as loads_checklist
from ketacheck.notebook import DROPDOWN_AFTER, Form, form
from ketacheck.response import Provider, Response
from ketacheck.scoring import CareModel, RedFlag

from .conftest import MINI_FORM_TOML as MINI_TOML

MINI = loads_checklist(MINI_TOML, source="mini.toml")


@pytest.fixture
def mini() -> Form:
    """A form over a new response to the mini checklist."""
    return form(MINI)


def _answer(f: Form, item: str) -> object:
    """The form's current answer to *item* (None when unanswered)."""
    return f.response.answers.get(item)


def _shown(f: Form) -> list[str]:
    return [i for i, c in f.controls.items() if c.box.layout.display != "none"]


class TestImport:
    """ipywidgets is imported by ketacheck.notebook only, and its absence is explained."""

    def test_import_ketacheck_does_not_import_ipywidgets(self) -> None:
        """``import ketacheck`` leaves ipywidgets alone."""
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                (
                    "import sys, ketacheck, ketacheck.interview, ketacheck.cli; "
                    "print('ipywidgets' in sys.modules)"
                ),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "False\n" == done.stdout

    def test_missing_ipywidgets(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without ipywidgets the import fails with an ImportError that says what to install."""
        monkeypatch.setitem(sys.modules, "ipywidgets", None)
        monkeypatch.delitem(sys.modules, "ketacheck.notebook")
        with pytest.raises(MissingDependencyError) as caught:
            importlib.import_module("ketacheck.notebook")
        assert isinstance(caught.value, ImportError)
        assert isinstance(caught.value, KetacheckError)
        assert (
            "ketacheck.notebook needs ipywidgets 8, which is not installed; "
            "install ketacheck[notebook] (pip install 'ketacheck[notebook]')"
        ) == str(caught.value)

    def test_old_ipywidgets(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """ipywidgets 7 is refused with the same advice."""
        old = types.ModuleType("ipywidgets")
        old.__version__ = "7.8.5"  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "ipywidgets", old)
        monkeypatch.delitem(sys.modules, "ketacheck.notebook")
        with pytest.raises(MissingDependencyError) as caught:
            importlib.import_module("ketacheck.notebook")
        assert (
            "ketacheck.notebook needs ipywidgets 8 or newer, found 7.8.5; "
            "install ketacheck[notebook] (pip install -U 'ketacheck[notebook]')"
        ) == str(caught.value)


class TestControls:
    """Every item gets the control its kind needs, with a notes box and its why."""

    def test_yes_no(self, mini: Form) -> None:
        """Yes-no: ToggleButtons yes / no / unknown, nothing selected."""
        c = mini.controls["screening"]
        assert isinstance(c.answer, widgets.ToggleButtons)
        assert (("yes", "yes"), ("no", "no"), ("unknown", "unknown"), None) == (
            *c.answer.options,
            c.answer.value,
        )

    def test_choice(self, mini: Form) -> None:
        """Choice: RadioButtons with the option labels, then unknown."""
        c = mini.controls["therapist"]
        assert isinstance(c.answer, widgets.RadioButtons)
        assert (
            ("A therapist", "therapist"),
            ("Nobody", "nobody"),
            ("unknown", "unknown"),
        ) == c.answer.options

    def test_long_choice_is_a_dropdown(self) -> None:
        """A choice with many options gets a dropdown."""
        options = ", ".join(f'{{ id = "o{n}", label = "O{n}" }}' for n in range(DROPDOWN_AFTER + 1))
        checklist = loads_checklist(
            'schema = 1\nid = "c"\nversion = "1"\ntitle = "C"\n[[sections]]\nid = "s"\n'
            'title = "S"\n[[sections.items]]\nid = "x"\nkind = "choice"\nprompt = "X?"\n'
            f"options = [{options}]\n"
        )
        c = form(checklist).controls["x"]
        assert isinstance(c.answer, widgets.Dropdown)
        assert (DROPDOWN_AFTER + 2, None) == (len(c.answer.options), c.answer.value)

    def test_multi(self, mini: Form) -> None:
        """Multi: a checkbox per option, "none of these", and an unknown toggle."""
        c = mini.controls["routes"]
        assert ["iv", "oral"] == list(c.options)
        assert [("IV", False), ("Oral", False), ("none of these", False)] == [
            (box.description, box.value) for box in c.answer.children
        ]
        assert isinstance(c.unknown, widgets.ToggleButton)
        assert (False, "unknown") == (c.unknown.value, c.unknown.description)

    def test_number(self, mini: Form) -> None:
        """Number: a bounded field when both bounds exist, its unit and bounds beside it."""
        c = mini.controls["minutes"]
        assert isinstance(c.answer, widgets.BoundedFloatText)
        assert (0, 600, 0) == (c.answer.min, c.answer.max, c.answer.value)
        row = c.box.children[0].children[1]
        assert "minutes, 0 to 600" == row.children[1].value
        assert isinstance(mini.controls["doses"].answer, widgets.FloatText)
        assert 1 == mini.controls["doses"].answer.value

    def test_text(self, mini: Form) -> None:
        """Text: a text area with the item's placeholder."""
        c = mini.controls["comments"]
        assert isinstance(c.answer, widgets.Textarea)
        assert ("", "what you noticed") == (c.answer.value, c.answer.placeholder)

    def test_notes_and_why(self, mini: Form) -> None:
        """Each item has a notes box beside it; the why is in a closed accordion."""
        c = mini.controls["screening"]
        assert c.note is c.box.children[1]
        assert isinstance(c.why, widgets.Accordion)
        assert (None, ("Why this matters",)) == (c.why.selected_index, c.why.titles)
        assert "<p>It finds risks.</p>" == c.why.children[0].value
        assert mini.controls["routes"].why is None

    def test_condition_in_words(self, mini: Form) -> None:
        """An item with a condition says when it applies."""
        header = mini.controls["minutes"].box.children[0].children[0].value
        assert header == (
            "<b>3.</b> Minutes observed?<br><small><i>Only if the answer to "
            "&quot;Which routes?&quot; includes &quot;IV&quot;.</i></small>"
        )

    def test_bundled_checklist(self) -> None:
        """The default form covers every item of the bundled checklist."""
        f = form()
        checklist = catalog.load()
        assert [i.id for i in checklist.items] == list(f.controls)
        assert checklist == f.response.checklist


class TestFilling:
    """Setting controls changes the response and the score, and shows or hides items."""

    def test_yes_no_and_choice(self, mini: Form) -> None:
        """Answers land in the response; the score follows."""
        mini.controls["screening"].answer.value = "yes"
        mini.controls["therapist"].answer.value = "nobody"
        assert {"screening": "yes", "therapist": "nobody"} == dict(mini.response.answers)
        s = mini.score
        assert (1, 2, 50.0, "good", CareModel.MEDICATION_ONLY) == (
            s.points,
            s.max_points,
            s.percent,
            s.band,
            s.care_model,
        )
        assert 2 / 5 == s.completeness
        mini.controls["screening"].answer.value = None
        assert {"therapist": "nobody"} == dict(mini.response.answers)

    def test_conditional_items_appear_and_disappear(self, mini: Form) -> None:
        """An item shows while its condition holds and hides when it stops holding."""
        assert ["screening", "routes", "therapist", "comments", "doses"] == _shown(mini)
        mini.controls["routes"].options["iv"].value = True
        assert ["screening", "routes", "minutes", "therapist", "comments", "doses"] == _shown(mini)
        mini.controls["minutes"].answer.value = 45
        mini.controls["routes"].options["iv"].value = False
        assert ["screening", "routes", "therapist", "comments", "doses"] == _shown(mini)
        assert {"minutes": 45} == dict(mini.response.answers)
        assert () == mini.score.red_flags

    def test_section_hidden_when_nothing_in_it_applies(self) -> None:
        """A section whose items all do not apply is hidden as a whole."""
        checklist = loads_checklist(
            'schema = 1\nid = "c"\nversion = "1"\ntitle = "C"\n'
            '[[sections]]\nid = "a"\ntitle = "A"\n'
            '[[sections.items]]\nid = "x"\nkind = "yes-no"\nprompt = "X?"\n'
            '[[sections]]\nid = "b"\ntitle = "B"\n'
            '[[sections.items]]\nid = "y"\nkind = "yes-no"\nprompt = "Y?"\n'
            'when = { item = "x", is = "yes" }\n'
        )
        f = form(checklist)
        section_b = f.children[-1]
        assert "none" == section_b.layout.display
        f.controls["x"].answer.value = "yes"
        assert section_b.layout.display is None

    def test_multi(self, mini: Form) -> None:
        """Checkboxes give the options in order; none and unknown exclude the options."""
        c = mini.controls["routes"]
        c.options["oral"].value = True
        c.options["iv"].value = True
        assert ("iv", "oral") == _answer(mini, "routes")
        c.none.value = True
        assert () == _answer(mini, "routes")
        assert [False, False] == [box.value for box in c.options.values()]
        c.unknown.value = True
        assert "unknown" == _answer(mini, "routes")
        assert [False, False, False] == [box.value for box in (*c.options.values(), c.none)]
        c.options["oral"].value = True
        assert ("oral",) == _answer(mini, "routes")
        assert (False, False) == (c.unknown.value, c.none.value)
        c.none.value = True
        c.unknown.value = True
        c.unknown.value = False
        assert "routes" not in mini.response.answers
        c.options["oral"].value = True
        c.options["oral"].value = False
        assert "routes" not in mini.response.answers

    def test_number(self, mini: Form) -> None:
        """Typing a number records it (integral values as ints); record takes the one shown."""
        mini.controls["routes"].options["iv"].value = True
        c = mini.controls["minutes"]
        c.record.click()
        assert 0 == _answer(mini, "minutes")
        assert isinstance(_answer(mini, "minutes"), int)
        assert (RedFlag("minutes", 0, "No observation."),) == mini.score.red_flags
        c.answer.value = 45.5
        assert 45.5 == _answer(mini, "minutes")
        c.answer.value = 90
        assert 90 == _answer(mini, "minutes")
        c.unknown.value = True
        assert "unknown" == _answer(mini, "minutes")
        c.answer.value = 60
        assert (60, False) == (_answer(mini, "minutes"), c.unknown.value)
        c.unknown.value = True
        c.unknown.value = False
        assert "minutes" not in mini.response.answers

    def test_number_out_of_range(self, mini: Form) -> None:
        """A number the item refuses is explained beside it and not recorded."""
        c = mini.controls["doses"]
        c.answer.value = 3
        c.answer.value = 0
        assert 3 == _answer(mini, "doses")
        assert (
            '<span style="color:#b00020">doses: 0 is below the minimum 1; '
            "expected a number of at least 1 (or &quot;unknown&quot;)</span>"
        ) == c.status.value
        c.answer.value = 2
        assert (2, "") == (_answer(mini, "doses"), c.status.value)

    def test_text(self, mini: Form) -> None:
        """Text is recorded as typed; an emptied box removes the answer."""
        c = mini.controls["comments"]
        c.answer.value = "Calm room"
        assert "Calm room" == _answer(mini, "comments")
        c.answer.value = ""
        assert "comments" not in mini.response.answers

    def test_clear(self, mini: Form) -> None:
        """The clear button empties the controls and removes the answer, for every kind."""
        controls = mini.controls
        controls["screening"].answer.value = "no"
        controls["routes"].options["iv"].value = True
        controls["minutes"].answer.value = 30
        controls["minutes"].unknown.value = True
        controls["therapist"].answer.value = "therapist"
        controls["comments"].answer.value = "ok"
        for c in controls.values():
            c.clear.click()
        assert {} == dict(mini.response.answers)
        assert (None, None, "", False, 0, False) == (
            controls["screening"].answer.value,
            controls["therapist"].answer.value,
            controls["comments"].answer.value,
            controls["routes"].options["iv"].value,
            controls["minutes"].answer.value,
            controls["minutes"].unknown.value,
        )
        assert 1 == controls["doses"].answer.value

    def test_notes(self, mini: Form) -> None:
        """Notes are kept per item; an emptied box removes the note."""
        mini.controls["screening"].note.value = "Nurse checks BP"
        assert {"screening": "Nurse checks BP"} == dict(mini.response.notes)
        mini.controls["screening"].note.value = ""
        assert {} == dict(mini.response.notes)

    def test_provider(self, mini: Form) -> None:
        """The provider field names the provider."""
        mini.provider.value = "Cedar Health"
        assert Provider(name="Cedar Health") == mini.response.provider

    def test_score_panel(self, mini: Form) -> None:
        """The panel shows percent, band, red flags, completeness and care model."""
        assert (
            "<p><b>Score:</b> 0.0% (poor), 0 red flags, completeness 0%, "
            "care model undetermined</p>"
        ) == mini.panel.value
        mini.controls["screening"].answer.value = "no"
        mini.controls["therapist"].answer.value = "therapist"
        assert (
            "<p><b>Score:</b> 50.0% (poor, capped), 1 red flag, completeness 40%, "
            "care model psychotherapy-integrated</p>"
            "<p><i>Band capped at &quot;poor&quot;: with 1 red flag the band is at best "
            "&quot;poor&quot; (the points alone reach &quot;good&quot;).</i></p>"
            "<p><b>Red flags (1):</b></p><ul><li>No screening. "
            "<small>(screening: no)</small></li></ul>"
        ) == mini.panel.value

    def test_profile(self) -> None:
        """The form's profile weighs the score."""
        f = form(MINI, profile="screening-first")
        f.controls["screening"].answer.value = "yes"
        f.controls["therapist"].answer.value = "nobody"
        assert 75.0 == f.score.percent

    def test_repr(self, mini: Form) -> None:
        """The repr names checklist, provider and the score in one line."""
        mini.provider.value = "Cedar"
        mini.controls["screening"].answer.value = "yes"
        assert (
            "<Form mini for 'Cedar': 50.0% (good), 0 red flags, completeness 20%, "
            "care model undetermined>"
        ) == repr(mini)

    def test_refresh_after_changes_in_code(self, mini: Form) -> None:
        """refresh() shows the effect of answers given to form.response directly."""
        mini.response.answer("routes", ["iv"])
        assert "minutes" not in _shown(mini)
        mini.refresh()
        assert "minutes" in _shown(mini)


class TestState:
    """Responses are continued; with a path every change is saved; mismatches are refused."""

    def test_continues_a_response(self) -> None:
        """Controls start from the answers and notes of a response passed in."""
        r = Response.new(MINI, provider="Cedar")
        r.answer("screening", "unknown", note="would not say")
        r.answer("routes", ["iv"])
        r.answer("minutes", 45)
        r.answer("therapist", "therapist")
        r.answer("comments", "Quiet")
        f = form(response=r)
        c = f.controls
        assert f.response is r
        assert (
            "unknown",
            "would not say",
            True,
            False,
            45,
            "therapist",
            "Quiet",
            "Cedar",
        ) == (
            c["screening"].answer.value,
            c["screening"].note.value,
            c["routes"].options["iv"].value,
            c["routes"].none.value,
            c["minutes"].answer.value,
            c["therapist"].answer.value,
            c["comments"].answer.value,
            f.provider.value,
        )
        assert "minutes" in _shown(f)

    def test_continues_unknown_and_empty_multi(self) -> None:
        """Unknown and empty answers set their toggles."""
        r = Response.new(MINI)
        r.answer("routes", [])
        f = form(response=r)
        assert (True, False) == (
            f.controls["routes"].none.value,
            f.controls["routes"].unknown.value,
        )
        r.answer("routes", "unknown")
        r.answer("doses", "unknown")
        f = form(response=r)
        assert (False, True, True, 1) == (
            f.controls["routes"].none.value,
            f.controls["routes"].unknown.value,
            f.controls["doses"].unknown.value,
            f.controls["doses"].answer.value,
        )

    def test_every_change_is_saved(self, tmp_path: Path) -> None:
        """With a path the file always holds what the form holds."""
        path = tmp_path / "cedar.toml"
        f = form("quick-screen", path=path)
        assert not path.exists()
        f.provider.value = "Cedar"
        f.controls["baseline-bp-check"].answer.value = "yes"
        assert f.response == response.read(path)
        f.controls["baseline-bp-check"].note.value = "every visit"
        assert f.response == response.read(path)
        assert (None, f"<p>Saved to {path}.</p>") == (f.save_error, f.saved.value)

    def test_existing_file_is_continued(self, tmp_path: Path) -> None:
        """A path that holds a response is continued when no response is given."""
        path = tmp_path / "cedar.toml"
        r = Response.new(catalog.load("quick-screen"), provider="Cedar")
        r.answer("baseline-bp-check", "no")
        r.save(path)
        f = form(path=path)
        assert r == f.response
        assert "no" == f.controls["baseline-bp-check"].answer.value
        f.controls["baseline-bp-check"].answer.value = "yes"
        assert "yes" == response.read(path).answers["baseline-bp-check"]

    def test_response_saved_to_a_new_path(self, tmp_path: Path) -> None:
        """A response and a path: the response is continued and saved there."""
        r = Response.new(MINI, provider="Cedar")
        path = tmp_path / "r.toml"
        f = form(MINI, response=r, path=path)
        f.controls["screening"].answer.value = "yes"
        assert r == response.read(path, checklist=MINI)

    def test_refuses_a_checklist_path(self, tmp_path: Path) -> None:
        """A path holding a checklist is refused and never overwritten."""
        path = tmp_path / "list.toml"
        path.write_text(MINI_TOML, encoding="utf-8")
        with pytest.raises(FileExistsError) as caught:
            form(path=path)
        assert "is a checklist, not a response; refusing to overwrite it" == caught.value.strerror
        assert MINI_TOML == path.read_text(encoding="utf-8")

    def test_checklist_by_id_or_path(self, tmp_path: Path) -> None:
        """A bundled id or a path is resolved like everywhere else."""
        assert "quick-screen" == form("quick-screen").response.checklist.id
        spec = tmp_path / "mini.toml"
        spec.write_text(MINI_TOML, encoding="utf-8")
        assert MINI == form(spec).response.checklist

    def test_mismatched_checklist(self) -> None:
        """A response to another checklist than the one named is refused."""
        with pytest.raises(ResponseError) as caught:
            form("quick-screen", response=Response.new(MINI))
        assert (
            '<response>: checklist: the response answers "mini" 1.0.0, not "quick-screen" 1.1.0'
        ) == str(caught.value)

    def test_save_failure_is_shown(self, tmp_path: Path) -> None:
        """When the file changed on disk the form says so and keeps the answers."""
        path = tmp_path / "r.toml"
        f = form(MINI, path=path)
        f.controls["screening"].answer.value = "yes"
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        f.controls["therapist"].answer.value = "nobody"
        assert {"screening": "yes", "therapist": "nobody"} == dict(f.response.answers)
        assert f.save_error == (
            f"{path}: the file changed on disk since it was read; nothing was written "
            "(load it again, or save to another file)"
        )
        assert f.saved.value.startswith('<p style="color:#b00020">Not saved: ')
        assert {"screening": "yes"} == dict(response.read(path, checklist=MINI).answers)
