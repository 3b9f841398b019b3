"""The public API's shape: renamed names still work, with a warning naming the new one."""

from __future__ import annotations

from pathlib import Path

import pytest

import ketacheck
from ketacheck import _format, exceptions, scoring
from ketacheck.files import checklist as checklist_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kap-practice.toml"


class TestDeprecatedNames:
    """Old names keep working for a while and say what replaces them."""

    def test_io_is_files_checklist(self) -> None:
        """ketacheck.io is ketacheck.files.checklist."""
        with pytest.deprecated_call(
            match=r"^ketacheck.io is deprecated; use ketacheck.files.checklist$"
        ):
            module = ketacheck.io
        assert checklist_file is module

    def test_load_checklist(self) -> None:
        """load_checklist(path) is read_checklist(path)."""
        path = ROOT / "checklists" / "quick-screen.toml"
        with pytest.deprecated_call(
            match=r"^ketacheck.load_checklist is deprecated; use ketacheck.read_checklist$"
        ):
            loaded = ketacheck.load_checklist(path)
        assert ketacheck.read_checklist(path) == loaded

    def test_load_response(self) -> None:
        """load_response(path) is read_response(path)."""
        with pytest.deprecated_call(
            match=r"^ketacheck.load_response is deprecated; use ketacheck.read_response$"
        ):
            loaded = ketacheck.load_response(EXAMPLE)
        assert ketacheck.read_response(EXAMPLE) == loaded


class TestNames:
    """What ``ketacheck`` offers by name."""

    def test_render_is_the_function_and_rendering_the_package(self) -> None:
        """ketacheck.render renders; ketacheck.rendering holds FORMATS and PAPERS."""
        assert callable(ketacheck.render)
        assert ("text", "markdown", "html", "pdf") == ketacheck.rendering.FORMATS

    def test_every_public_name_resolves(self) -> None:
        """Each name in __all__ is an attribute of the package."""
        missing = [name for name in ketacheck.__all__ if not hasattr(ketacheck, name)]
        assert [] == missing

    def test_enumerations_and_score_parts(self) -> None:
        """Status, UnknownPolicy, Subtotal and ItemScore are public beside their siblings."""
        assert (_format.Status, _format.UnknownPolicy, scoring.Subtotal, scoring.ItemScore) == (
            ketacheck.Status,
            ketacheck.UnknownPolicy,
            ketacheck.Subtotal,
            ketacheck.ItemScore,
        )
        assert {"Status", "UnknownPolicy", "Subtotal", "ItemScore"} <= set(ketacheck.__all__)


class TestExceptions:
    """Every public exception is importable from ``ketacheck`` and ``ketacheck.exceptions``."""

    def test_each_name_in_exceptions_all_is_in_the_package(self) -> None:
        """ketacheck.X is ketacheck.exceptions.X for each name of exceptions.__all__."""
        different = [
            name
            for name in exceptions.__all__
            if name not in ketacheck.__all__
            or getattr(ketacheck, name) is not getattr(exceptions, name)
        ]
        assert [] == different

    def test_every_exception_class_is_public(self) -> None:
        """No exception class of ketacheck.exceptions is left out of its __all__."""
        classes = sorted(
            name
            for name, value in vars(exceptions).items()
            if isinstance(value, type)
            and issubclass(value, BaseException)
            and value.__module__ == exceptions.__name__
        )
        assert [] == [name for name in classes if name not in exceptions.__all__]

    def test_data_errors_have_a_public_base(self) -> None:
        """ChecklistError, ResponseError, FhirError and LimitError are each a DataError."""
        data_errors = (
            ketacheck.ChecklistError,
            ketacheck.ResponseError,
            ketacheck.FhirError,
            ketacheck.LimitError,
        )
        assert [] == [e.__name__ for e in data_errors if not issubclass(e, ketacheck.DataError)]
        with pytest.raises(ketacheck.DataError, match=r"^quick\.toml: id: bad$"):
            raise ketacheck.ChecklistError("quick.toml", [ketacheck.Problem("id", "bad")])
