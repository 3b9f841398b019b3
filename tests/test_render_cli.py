"""``ketacheck print``: formats from --format or the output's suffix, safe writing, errors."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from ketacheck.cli import main
from ketacheck.rendering import render

from .render_support import DATA, birch, cedar, sample

SAMPLE = str(DATA / "sample.toml")
CEDAR = str(DATA / "cedar.toml")
BIRCH = str(DATA / "birch.toml")


class _Stdout(io.TextIOWrapper):
    """A stdout that is or is not a terminal, with its bytes kept."""

    def __init__(self, tty: bool) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty

    def data(self) -> bytes:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue()


class TestStdout:
    """Without -o, the printout goes to stdout."""

    def test_default_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The default is the blank checklist as text, laid out for paper."""
        assert 0 == main(["print", SAMPLE])
        assert (render(sample(), "text"), "") == capsys.readouterr()

    def test_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        """One --response prints the filled report."""
        assert 0 == main(["print", "--checklist", SAMPLE, "--response", CEDAR, "-f", "markdown"])
        assert render(cedar(), "markdown") == capsys.readouterr().out

    def test_comparison(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Several --response options print the comparison."""
        assert 0 == main(["print", SAMPLE, "--response", CEDAR, "--response", BIRCH])
        c = sample()
        assert render([cedar(c), birch(c)], "text") == capsys.readouterr().out

    def test_pdf_to_pipe(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """PDF goes to stdout as bytes when stdout is not a terminal."""
        out = _Stdout(tty=False)
        monkeypatch.setattr("sys.stdout", out)
        assert 0 == main(["print", SAMPLE, "--format", "pdf"])
        assert out.data().startswith(b"%PDF-")

    def test_pdf_to_terminal(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """PDF is not written to a terminal."""
        out = _Stdout(tty=True)
        monkeypatch.setattr("sys.stdout", out)
        assert 2 == main(["print", SAMPLE, "--format", "pdf"])
        assert b"" == out.data()
        assert (
            "ketacheck: PDF is binary: write it to a file with -o OUT.pdf (or redirect stdout)\n"
            == capsys.readouterr().err
        )


class TestOutput:
    """-o writes a file atomically; the suffix decides the format."""

    @pytest.mark.parametrize(
        ("name", "fmt"),
        [("a.txt", "text"), ("a.md", "markdown"), ("a.html", "html"), ("a.HTM", "html")],
    )
    def test_suffix(self, tmp_path: Path, name: str, fmt: str) -> None:
        """The format follows the suffix when --format is absent."""
        out = tmp_path / name
        assert 0 == main(["print", SAMPLE, "-o", str(out), "--paper", "letter"])
        assert render(sample(), fmt, paper="letter") == out.read_text(encoding="utf-8")

    def test_pdf(self, tmp_path: Path) -> None:
        """A .pdf name gives a PDF."""
        out = tmp_path / "a.pdf"
        assert 0 == main(["print", SAMPLE, "-o", str(out)])
        assert out.read_bytes().startswith(b"%PDF-")

    def test_format_wins(self, tmp_path: Path) -> None:
        """--format overrides the suffix for a new file."""
        out = tmp_path / "a.txt"
        assert 0 == main(["print", SAMPLE, "-o", str(out), "--format", "markdown"])
        assert render(sample(), "markdown") == out.read_text(encoding="utf-8")

    def test_same_kind_replaced(self, tmp_path: Path) -> None:
        """An existing file of the same kind is replaced."""
        out = tmp_path / "a.md"
        out.write_text("old", encoding="utf-8")
        assert 0 == main(["print", SAMPLE, "-o", str(out)])
        assert render(sample(), "markdown") == out.read_text(encoding="utf-8")

    def test_other_kind_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An existing file of another kind is kept unless --force is given."""
        out = tmp_path / "answers.toml"
        out.write_text("keep me", encoding="utf-8")
        assert 2 == main(["print", SAMPLE, "-o", str(out), "--format", "html"])
        assert "keep me" == out.read_text(encoding="utf-8")
        assert (
            f"ketacheck: {out}: exists and is not html output (its name does not end in "
            ".html, .htm); use --force to replace it\n"
        ) == capsys.readouterr().err
        assert 0 == main(["print", SAMPLE, "-o", str(out), "--format", "html", "--force"])
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    def test_directory(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A folder is not an output file."""
        assert 2 == main(["print", SAMPLE, "-o", str(tmp_path), "--format", "text"])
        assert f"ketacheck: {tmp_path}: is a directory, not a file\n" == capsys.readouterr().err

    def test_unknown_suffix(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A suffix that names no format needs --format."""
        out = tmp_path / "a.out"
        assert 2 == main(["print", SAMPLE, "-o", str(out)])
        assert not out.exists()
        assert (
            f"ketacheck: cannot tell the format from {str(out)!r}; use --format (text, "
            "markdown, html or pdf) or a .txt, .md, .html or .pdf name\n"
        ) == capsys.readouterr().err


class TestOptions:
    """Templates, papers and errors."""

    def test_template_dir(self, tmp_path: Path) -> None:
        """--template-dir brands the HTML."""
        (tmp_path / "brand.html.j2").write_text("<p>Acme</p>", encoding="utf-8")
        out = tmp_path / "a.html"
        assert 0 == main(["print", SAMPLE, "--template-dir", str(tmp_path), "-o", str(out)])
        assert "<p>Acme</p>" in out.read_text(encoding="utf-8")

    def test_template_dir_needs_html(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--template-dir with another format is a usage error."""
        assert 2 == main(["print", SAMPLE, "--template-dir", ".", "--format", "markdown"])
        assert (
            "ketacheck: --template-dir applies to html output only, not markdown\n"
            == capsys.readouterr().err
        )

    def test_template_error(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A broken template is reported with its file and line, exit status 2."""
        brand = tmp_path / "brand.html.j2"
        brand.write_text("{{ oops }}", encoding="utf-8")
        assert 2 == main(["print", SAMPLE, "--template-dir", str(tmp_path), "--format", "html"])
        assert f"ketacheck: {brand}, line 1: 'oops' is undefined\n" == capsys.readouterr().err

    def test_no_fpdf2(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without the pdf extra, PDF output says what to install."""
        package = sys.modules["ketacheck.rendering"]  # ketacheck.render is the function
        for name in ("pdf", "_pdfdoc"):
            monkeypatch.delitem(sys.modules, f"ketacheck.rendering.{name}", raising=False)
            monkeypatch.delattr(package, name, raising=False)
        monkeypatch.setitem(sys.modules, "fpdf", None)
        out = tmp_path / "a.pdf"
        assert 2 == main(["print", SAMPLE, "-o", str(out)])
        assert not out.exists()
        assert (
            "ketacheck: PDF output needs fpdf2, which is not installed (fpdf): "
            "pip install 'ketacheck[pdf]'\n"
        ) == capsys.readouterr().err

    def test_bad_paper(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown paper size is a usage error."""
        assert 2 == main(["print", "--paper", "a5"])
        assert "invalid choice: 'a5'" in capsys.readouterr().err

    def test_missing_response(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A response file that does not exist is reported."""
        missing = tmp_path / "none.toml"
        assert 2 == main(["print", "--response", str(missing)])
        assert f"ketacheck: {missing}: no such file\n" == capsys.readouterr().err

    def test_mixed_checklists(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Responses to different checklists cannot be compared."""
        names = []
        for checklist in ("ketamine-consumer", "quick-screen"):
            path = tmp_path / f"{checklist}.toml"
            path.write_text(f'schema = 1\nchecklist = "{checklist}"\n', encoding="utf-8")
            names += ["--response", str(path)]
        assert 1 == main(["print", *names])
        assert (
            "ketacheck: comparison: checklist: the responses answer different checklists "
            "(ketamine-consumer 1.1.0, quick-screen 1.1.0)\n"
        ) == capsys.readouterr().err

    def test_checklist_twice(self, capsys: pytest.CaptureFixture[str]) -> None:
        """CHECKLIST and --checklist together are a usage error."""
        assert 2 == main(["print", SAMPLE, "--checklist", SAMPLE])
        assert (
            "ketacheck: give the checklist once: as CHECKLIST or with --checklist\n"
            == capsys.readouterr().err
        )
