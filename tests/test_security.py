"""Security: what a hostile checklist, response or template can and cannot do.

Each class backs one point of docs/security.md. Points already covered elsewhere are named
there too: test_render_html.py (TestEscaping, TestTemplates), test_render_markdown.py,
test_render_pdf.py (TestHostile), test_render_api.py (safe_link), test_crash_safety.py.
"""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest
import tomli_w

import ketacheck
from ketacheck import fhir, response
from ketacheck.cli import main
from ketacheck.exceptions import ChecklistError, ResponseError, TemplateError
from ketacheck.files import checklist as checklist_io
from ketacheck.rendering import render

from .test_render_html import Page
from .test_render_pdf import _uris

SRC: Final = Path(ketacheck.__file__).resolve().parent
DATA: Final = Path(__file__).parent / "data" / "render"
SCRIPT: Final = "<script>alert(1)</script>"
QUOTE: Final = "\" onmouseover='alert(2)' x=\""
TEMPLATE: Final = "{{ 7 * 7 }}{% if true %}ran{% endif %}"
HOSTILE_URL: Final = 'https://example.org/?q=<script>&x="onclick=alert(3)'
TEXT_KEYS: Final = frozenset(
    {"title", "summary", "license", "label", "prompt", "why", "guidance", "placeholder"}
    | {"red-flag", "unit"}
)


def hostile(tag: str) -> str:
    """A string that would inject a script, an attribute and template code if not escaped."""
    return f"{tag}: {SCRIPT} {QUOTE} {TEMPLATE}"


def _taint(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _taint(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_taint(v, key) for v in value]
    if isinstance(value, str) and key in TEXT_KEYS:
        return hostile(key)
    return value


def hostile_files(folder: Path) -> tuple[Path, Path]:
    """A checklist and a response file with a hostile string in every free-text field."""
    doc = _taint(tomllib.loads((DATA / "sample.toml").read_text("utf-8")))
    doc["authors"] = [hostile("author")]
    doc["sources"][0]["url"] = HOSTILE_URL
    checklist = folder / "hostile-checklist.toml"
    checklist.write_text(tomli_w.dumps(doc), "utf-8")
    answers = tomllib.loads((DATA / "cedar.toml").read_text("utf-8"))
    provider = answers["provider"]
    for key in ("name", "location", "interviewer"):
        provider[key] = hostile(key)
    answers["answers"]["bp-limit"] = hostile("text answer")
    answers["answers"]["old-item"] = hostile("orphan answer")
    answers["notes"] = {k: hostile("note") for k in [*answers["answers"], "old-item"]}
    filled = folder / "hostile-response.toml"
    filled.write_text(tomli_w.dumps(answers), "utf-8")
    return checklist, filled


# -- no code from data ----------------------------------------------------------------------


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield str(path.relative_to(SRC)), ast.parse(path.read_text("utf-8"))


def _enclosing(tree: ast.Module) -> dict[ast.AST, str]:
    """Each node's innermost enclosing function (or class) name; ``<module>`` at the top."""
    owner: dict[ast.AST, str] = {}

    def visit(node: ast.AST, name: str) -> None:
        for child in ast.iter_child_nodes(node):
            here = name
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                here = child.name
            owner[child] = here
            visit(child, here)

    visit(tree, "<module>")
    return owner


def _called(node: ast.Call) -> str:
    """``eval``, ``os.system``, ``x.write_text``: the called name as written (last two parts)."""
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        base = func.value
        prefix = base.id if isinstance(base, ast.Name) else "?"
        return f"{prefix}.{func.attr}"
    return "?"


FORBIDDEN_CALLS: Final = frozenset(
    {"eval", "exec", "compile", "__import__", "breakpoint"}
    | {"os.system", "os.popen", "os.execv", "os.execve", "os.spawnv", "os.posix_spawn"}
    | {"pickle.load", "pickle.loads", "marshal.loads", "yaml.load", "yaml.unsafe_load"}
)
FORBIDDEN_MODULES: Final = frozenset(
    {"pickle", "marshal", "shelve", "dill", "yaml", "subprocess", "ctypes", "code", "socket"}
    | {"urllib.request", "http.client", "requests", "httpx"}
)
WRITING_CALLS: Final = frozenset(
    {"os.open", "os.remove", "os.rename", "os.replace", "os.unlink", "os.rmdir", "os.mkdir"}
    | {"os.chmod", "os.fdopen", "tempfile.mkstemp", "shutil.rmtree", "shutil.move"}
    | {"shutil.copy", "shutil.copyfile"}
)
WRITING_METHODS: Final = frozenset(
    {"write_atomic", "write_text", "write_bytes", "unlink", "chmod", "mkdir", "rmdir", "touch"}
)


def _writes(node: ast.Call) -> bool:
    """Whether the call writes, renames or removes a file (as far as the syntax tells)."""
    called = _called(node)
    method = called.split(".")[-1]
    if called in WRITING_CALLS or method in WRITING_METHODS:
        return True
    if method in ("replace", "rename"):
        return len(node.args) == 1  # Path.replace(target), not str.replace(old, new)
    if method == "open":
        modes = list(node.args[1:2] if called == "open" else node.args[:1])
        modes += [k.value for k in node.keywords if k.arg == "mode"]
        return any(
            isinstance(m, ast.Constant) and isinstance(m.value, str) and set(m.value) & set("wax+")
            for m in modes
        )
    return False


REVIEWED_WRITES: Final = {
    ("files/_atomic.py", "_locked", "os.open"),  # the folder, read-only, for flock
    ("files/_atomic.py", "_remove_stale", "path.unlink"),
    ("files/_atomic.py", "_replace", "tempfile.mkstemp"),
    ("files/_atomic.py", "_replace", "os.fdopen"),
    ("files/_atomic.py", "_replace", "tmp.chmod"),
    ("files/_atomic.py", "_replace", "tmp.replace"),
    ("files/_atomic.py", "_replace", "tmp.unlink"),
    ("files/_atomic.py", "_fsync_directory", "os.open"),  # the folder, read-only
    ("cli/_fhir.py", "_emit", "write_atomic"),
    ("cli/_print.py", "cmd_print", "write_atomic"),
    ("files/checklist.py", "save", "write_atomic"),
    ("response.py", "save", "write_atomic"),
}
"""Every place the package writes, renames or removes a file, each reviewed: the target is a
path the caller passed (API) or the user named (-o, interview), or a temporary file beside
it. No path ever comes from a file's content."""


class TestNoCodeFromData:
    """No eval, exec, pickle, yaml.load, shell or network anywhere in the package."""

    def test_no_dangerous_calls(self) -> None:
        """A syntax-tree search of src/ finds none of the calls that run or load code."""
        found = [
            f"{name}:{node.lineno}: {_called(node)}"
            for name, tree in _modules()
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _called(node) in FORBIDDEN_CALLS
        ]
        assert [] == found

    def test_no_shell(self) -> None:
        """No call anywhere passes shell=True."""
        found = [
            f"{name}:{node.lineno}"
            for name, tree in _modules()
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and any(
                k.arg == "shell" and not (isinstance(k.value, ast.Constant) and not k.value.value)
                for k in node.keywords
            )
        ]
        assert [] == found

    def test_no_dangerous_modules(self) -> None:
        """Nothing imports pickle, yaml, subprocess, sockets or an HTTP client."""
        found = []
        for name, tree in _modules():
            for node in ast.walk(tree):
                modules = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                found += [f"{name}: {m}" for m in modules if m in FORBIDDEN_MODULES]
        assert [] == found

    def test_dynamic_imports_name_constants(self) -> None:
        """import_module is called in six places, each with names fixed in the source."""
        found = {
            (name, _enclosing(tree)[node], ast.unparse(node.args[0]))
            for name, tree in _modules()
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _called(node).endswith("import_module")
        }
        assert {
            ("cli/__init__.py", "build_parser", "name"),  # for name in _COMMAND_MODULES
            ("__init__.py", "__getattr__", "module_name"),  # from the constant _LAZY table
            ("__init__.py", "__getattr__", "home"),  # from the constant _DEPRECATED table
            ("__init__.py", "__getattr__", "'ketacheck._version'"),
            ("__init__.py", "_notebook_display", "'ketacheck.rendering'"),
            ("scoring/_compare.py", "to_dataframe", "'pandas'"),
        } == found

    def test_regular_expressions_are_constants(self) -> None:
        """Every regular expression is written in the source; none comes from a file."""
        calls = ("re.compile", "re.match", "re.fullmatch", "re.search", "re.sub", "re.split")
        found = []
        for name, tree in _modules():
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _called(node) in calls:
                    pattern = node.args[0]
                    literal = isinstance(pattern, ast.Constant) or (
                        isinstance(pattern, ast.BinOp)  # re.escape(...) + a literal
                        and isinstance(pattern.right, ast.Constant)
                        and isinstance(pattern.left, ast.Call)
                        and _called(pattern.left) == "re.escape"
                    )
                    if not literal:
                        found.append(f"{name}:{node.lineno}")
        assert [] == found

    def test_every_write_is_reviewed(self) -> None:
        """The places that write, rename or remove files are exactly the reviewed ones."""
        found = {
            (name, _enclosing(tree)[node], _called(node))
            for name, tree in _modules()
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _writes(node)
        }
        assert REVIEWED_WRITES == found

    def test_conditions_are_data(self) -> None:
        """A when that is a string of code is refused as a string, never evaluated."""
        text = (DATA / "sample.toml").read_text("utf-8")
        code = "__import__('os').system('touch pwned')"
        text = text.replace(
            'when = { item = "route", is = "drip" }', f"when = {json.dumps(code)}", 1
        )
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(text, source="c.toml")
        assert (
            "c.toml: sections[0].items[2].when (line 69): expected a table (a condition), "
            f'got a string ("{code}")'
        ) == str(info.value)


# -- escaping and links ---------------------------------------------------------------------


class TestHostileFiles:
    """Strings from files are text in every format; only http(s) URLs become links."""

    @pytest.fixture
    def files(self, tmp_path: Path) -> tuple[Path, Path]:
        """The hostile checklist and response, written as files."""
        return hostile_files(tmp_path)

    def _subjects(self, files: tuple[Path, Path]) -> dict[str, object]:
        checklist = checklist_io.read(files[0])
        filled = response.read(files[1], checklist=checklist)
        return {"blank": checklist, "report": filled, "comparison": [filled, filled]}

    def test_files_load(self, files: tuple[Path, Path]) -> None:
        """Such strings are allowed: they are text, and the renderers must cope."""
        filled = self._subjects(files)["report"]
        assert isinstance(filled, response.Response)
        assert hostile("name") == filled.provider.name
        assert hostile("orphan answer") == filled.orphans["old-item"]

    @pytest.mark.parametrize("kind", ["blank", "report", "comparison"])
    def test_html(self, files: tuple[Path, Path], kind: str) -> None:
        """No script element, no event attribute, no template run; the text is all there."""
        markup = render(self._subjects(files)[kind], "html")
        page = Page(markup)
        assert [] == page.named("script")
        assert [] == [(t, a) for t, v in page.tags for a in v if a.startswith("on")]
        assert "<script" not in markup.lower()
        assert "ran" not in page.all_text.split()
        assert hostile("prompt") in page.all_text
        assert [] == [r for r in page.refs() if r.startswith("javascript")]
        assert all(r == HOSTILE_URL for r in page.refs() if r.startswith("https://example"))
        if kind != "blank":
            assert hostile("name") in page.all_text
        if kind == "report":
            assert hostile("note") in page.all_text
            assert hostile("text answer") in page.all_text

    @pytest.mark.parametrize("kind", ["blank", "report"])
    def test_markdown(self, files: tuple[Path, Path], kind: str) -> None:
        """Markdown shows the strings as text: no raw HTML survives."""
        out = render(self._subjects(files)[kind], "markdown")
        assert "<script" not in out.lower()
        assert "&lt;script&gt;" in out

    @pytest.mark.parametrize("kind", ["blank", "report"])
    def test_pdf_links(self, files: tuple[Path, Path], kind: str) -> None:
        """The PDF links only the http(s) source URL (the one vetted link)."""
        assert [HOSTILE_URL] == _uris(render(self._subjects(files)[kind], "pdf"))

    def test_fhir_keeps_strings_as_data(self, files: tuple[Path, Path]) -> None:
        """FHIR export carries the strings unchanged in JSON; importing gives them back."""
        checklist = self._subjects(files)["blank"]
        assert isinstance(checklist, ketacheck.Checklist)
        exported = fhir.to_questionnaire(checklist)
        assert checklist == fhir.from_questionnaire(json.loads(json.dumps(exported))).checklist


class TestLinkSchemes:
    """Files hold only http(s) links; objects built in Python never link anything else."""

    @pytest.mark.parametrize(
        "url", ["javascript:alert(1)", "data:text/html,<script>", "file:///etc/passwd", "/x"]
    )
    def test_checklist_file(self, url: str) -> None:
        """A source URL with another scheme is refused when the file loads."""
        text = (DATA / "sample.toml").read_text("utf-8")
        text = text.replace("https://example.org/guideline", url)
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(text, source="c.toml")
        assert (
            f'c.toml: sources[0].url (line 24): only http and https links are allowed, got "{url}"'
        ) == str(info.value)

    def test_response_file(self) -> None:
        """So is a provider's website."""
        text = (DATA / "cedar.toml").read_text("utf-8")
        text = text.replace("https://cedar.example.org", "javascript:alert(1)")
        with pytest.raises(ResponseError) as info:
            response.loads(text, checklist=checklist_io.read(DATA / "sample.toml"), source="r.toml")
        assert (
            "r.toml: provider.website (line 10): only http and https links are allowed, "
            'got "javascript:alert(1)"'
        ) == str(info.value)

    def test_fhir_import(self) -> None:
        """A Questionnaire whose source link is javascript: does not import."""
        checklist = checklist_io.read(DATA / "sample.toml")
        exported = json.dumps(fhir.to_questionnaire(checklist))
        bad = json.loads(exported.replace("https://example.org/guideline", "javascript:x"))
        with pytest.raises(fhir.FhirError) as info:
            fhir.from_questionnaire(bad, source="q.json")
        assert (
            "q.json: sources[0].url: the imported checklist breaks a rule: only http and https "
            'links are allowed, got "javascript:x"'
        ) == str(info.value)

    def test_fhir_export_of_an_object_built_in_python(self) -> None:
        """A javascript: source URL set in Python is not written to the Questionnaire."""
        from .render_support import HOSTILE_URL as JS_URL  # noqa: PLC0415
        from .render_support import hostile as python_hostile  # noqa: PLC0415

        checklist, _ = python_hostile()
        exported = json.dumps(fhir.to_questionnaire(checklist))
        assert JS_URL not in exported
        assert "https://example.org/guideline" not in exported  # that source was replaced


class _Tty(io.StringIO):
    """A captured stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class TestTerminalEscapes:
    """Text from files never reaches a terminal as control characters (escape sequences)."""

    ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m"

    def test_checklist_refuses_control_characters(self) -> None:
        """A checklist string with an escape sequence is refused, every field alike."""
        text = (DATA / "sample.toml").read_text("utf-8")
        text = text.replace('"Safety checks"', json.dumps(f"Safety {self.ESCAPES}"), 1)
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(text, source="c.toml")
        assert (
            "c.toml: sections[0].title (line 37): holds the control character U+001B; text may "
            "hold tabs and line breaks but no other control characters"
        ) == str(info.value)

    def test_tabs_and_line_breaks_are_text(self) -> None:
        """Tabs and line breaks (also CR LF line ends in the file) are fine."""
        text = (DATA / "sample.toml").read_text("utf-8")
        text = text.replace('"Safety checks"', '"""Safety\tchecks\r\nand more"""', 1)
        assert "Safety\tchecks\nand more" == checklist_io.loads(text).sections[0].title

    def test_messages_show_control_characters(self) -> None:
        """A refused value is quoted with its control characters written out."""
        text = (DATA / "cedar.toml").read_text("utf-8")
        text = text.replace('screening = "yes"', f"screening = {json.dumps(self.ESCAPES)}")
        with pytest.raises(ResponseError) as info:
            response.loads(text, checklist=checklist_io.read(DATA / "sample.toml"), source="r.toml")
        assert (
            'r.toml: answers.screening (line 16): "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m" is not '
            'an option; expected one of: yes, no (or "unknown")'
        ) == str(info.value)

    def test_terminal_output(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A response's note with escapes prints them as text on a terminal, raw to a pipe."""
        doc = tomllib.loads((DATA / "cedar.toml").read_text("utf-8"))
        doc["notes"]["screening"] = f"Note {self.ESCAPES}"
        path = tmp_path / "r.toml"
        path.write_text(tomli_w.dumps(doc), "utf-8")
        args = ["print", "--response", str(path), "--checklist", str(DATA / "sample.toml")]
        terminal = _Tty()
        monkeypatch.setattr(sys, "stdout", terminal)
        assert 0 == main(args)
        monkeypatch.undo()
        shown = terminal.getvalue()
        assert "Note \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m" in shown
        assert [] == [ch for ch in shown if ch in "\x1b\x07\x9b"]
        pipe = io.StringIO()
        monkeypatch.setattr(sys, "stdout", pipe)
        assert 0 == main(args)
        assert f"Note {self.ESCAPES}" in pipe.getvalue()


# -- what a file can reach --------------------------------------------------------------------

AUDIT: Final = """
import json, os, sys

mark, log = sys.argv[1], sys.argv[2]
events = []

def hook(event, args):
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int):
            return
        writing = bool(mode and any(c in mode for c in "wax+")) or bool(
            flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        events.append(["open", os.path.abspath(os.fspath(path)), writing])
    elif event in ("os.rename", "os.replace", "os.remove", "os.rmdir", "os.mkdir"):
        events.append([event, os.path.abspath(os.fspath(args[0])), True])
        if event in ("os.rename", "os.replace"):
            events.append([event, os.path.abspath(os.fspath(args[1])), True])
    elif event.split(".")[0] in ("socket", "subprocess", "urllib", "http", "ftplib", "smtplib"):
        events.append([event, "", False])
    elif event in ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"):
        events.append([event, "", False])
    elif event == "compile":
        source = args[0]
        if isinstance(source, bytes):
            source = source.decode("utf-8", "replace")
        if isinstance(source, str) and mark in source:
            events.append(["compile", str(args[1]), False])

sys.addaudithook(hook)
from ketacheck.cli import main

commands = json.loads(sys.argv[3])
statuses = [main(argv) for argv in commands]
with open(log, "w") as fp:
    json.dump({"events": events, "statuses": statuses}, fp)
"""


class TestWhatAFileCanReach:
    """Run every command on hostile files under an audit hook: no network, no processes,
    no code compiled from the files, no file touched beyond those named and the package."""

    def test_audit(self, tmp_path: Path) -> None:
        """Opens, renames, sockets, processes and compiles, all recorded and checked."""
        inputs = tmp_path / "in"
        inputs.mkdir()
        checklist, filled = hostile_files(inputs)
        orphan = inputs / "elsewhere.toml"
        doc = tomllib.loads(filled.read_text("utf-8"))
        doc["checklist"] = "../../../../etc/passwd"
        orphan.write_text(tomli_w.dumps(doc), "utf-8")
        out = tmp_path / "out"
        out.mkdir()
        c, r = str(checklist), str(filled)
        commands = [
            ["validate", c],
            ["validate", "--checklist", c, r],
            ["validate", str(orphan)],
            ["show", c],
            ["score", r, "--checklist", c, "--format", "json"],
            ["compare", r, r, "--checklist", c, "--format", "csv"],
            ["print", c, "-o", str(out / "blank.html")],
            ["print", c, "-o", str(out / "blank.pdf")],
            ["print", "--response", r, "--checklist", c, "-o", str(out / "report.md")],
            ["export-fhir", c, "-o", str(out / "q.json")],
            ["export-fhir", c, "--response", r, "-o", str(out / "qr.json")],
            ["import-fhir", str(out / "q.json"), "-o", str(out / "back.toml")],
        ]
        log = tmp_path / "audit.json"
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(AUDIT), SCRIPT, str(log), json.dumps(commands)],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )
        assert 0 == done.returncode, done.stderr
        result = json.loads(log.read_text("utf-8"))
        assert [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] == result["statuses"]
        events = [tuple(e) for e in result["events"]]
        assert [] == [e for e in events if not e[0].startswith(("open", "os."))]
        named = {str(checklist), str(filled), str(orphan)}
        roots = [str(SRC), sys.prefix, sys.base_prefix, sys.exec_prefix]

        def allowed_read(path: str) -> bool:
            inside = path == str(out) or path.startswith(str(out) + os.sep)  # named outputs
            return path in named or path.startswith(tuple(roots)) or inside

        writes = sorted({e[1] for e in events if e[2] and e[1] != str(log)})
        assert {str(checklist), str(filled), str(out / "blank.pdf")} <= {e[1] for e in events}
        assert [] == [w for w in writes if not w.startswith(str(out) + os.sep)]
        assert [] == [e[1] for e in events if not e[2] and not allowed_read(e[1])]
        assert "/etc/passwd" not in {e[1] for e in events}
        assert sorted(
            ["back.toml", "blank.html", "blank.pdf", "q.json", "qr.json", "report.md"]
        ) == (sorted(p.name for p in out.iterdir()))


# -- templates ------------------------------------------------------------------------------


class TestTemplateSandbox:
    """User templates cannot reach Python internals or files outside their folders."""

    @pytest.mark.parametrize(
        "source",
        [
            "{{ ''.__class__.__mro__ }}",
            "{{ cycler.__init__.__globals__ }}",
            "{{ lipsum.__globals__['os'] }}",
            "{{ view.__class__.__init__.__globals__ }}",
            "{{ self._TemplateReference__context }}",
            "{{ view.doc.__class__.__subclasses__() }}",
        ],
    )
    def test_internals(self, tmp_path: Path, source: str) -> None:
        """Attribute access to dunder and private names is refused: TemplateError."""
        path = tmp_path / "brand.html.j2"
        path.write_text(source, "utf-8")
        with pytest.raises(TemplateError) as info:
            render(checklist_io.read(DATA / "sample.toml"), "html", template_dir=tmp_path)
        assert str(info.value).startswith(f"{path}, line 1: ")
        assert "unsafe" in str(info.value) or "undefined" in str(info.value)

    @pytest.mark.parametrize(
        "statement",
        [
            '{% include "../secret.html.j2" %}',
            '{% include "../../secret.html.j2" %}',
            "{% include '/etc/passwd' %}",
            '{% extends "../secret.html.j2" %}',
            '{% import "../secret.html.j2" as s %}',
        ],
    )
    def test_no_files_outside(self, tmp_path: Path, statement: str) -> None:
        """include, extends and import cannot climb out of the template folders."""
        folder = tmp_path / "brand"
        folder.mkdir()
        (tmp_path / "secret.html.j2").write_text("SECRET", "utf-8")
        (folder / "brand.html.j2").write_text(statement, "utf-8")
        with pytest.raises(TemplateError) as info:
            render(checklist_io.read(DATA / "sample.toml"), "html", template_dir=folder)
        assert "not found" in str(info.value)
        assert "SECRET" not in str(info.value)

    def test_strings_from_files_are_not_templates(self, tmp_path: Path) -> None:
        """A user template that prints a hostile string prints it escaped, never runs it."""
        checklist, _ = hostile_files(tmp_path)
        (tmp_path / "brand.html.j2").write_text("<p>{{ view.doc.title }}</p>", "utf-8")
        markup = render(checklist_io.read(checklist), "html", template_dir=tmp_path)
        assert "<p>title: &lt;script&gt;alert(1)&lt;/script&gt;" in markup
        assert "{{ 7 * 7 }}" in markup


# -- limits ---------------------------------------------------------------------------------


class TestBoundedWork:
    """A hostile file costs bounded time and memory: it is refused at a limit, not obeyed."""

    def test_many_unknown_keys(self) -> None:
        """100,000 unknown keys: one error listing the first 20 (all kept in .problems)."""
        text = "schema = 1\n" + "".join(f"a{n} = 1\n" for n in range(100_000))
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(text, source="c.toml")
        assert 100_004 == len(info.value.problems)
        assert 22 == len(str(info.value).splitlines())

    def test_long_dotted_names(self) -> None:
        """A 200,000-part dotted key (quadratic for tomllib) is refused at once."""
        text = "schema = 1\n" + ".".join(['"a"'] * 200_000) + " = 1\n"
        with pytest.raises(ketacheck.LimitError) as info:
            checklist_io.loads(text, source="c.toml")
        assert 2 == info.value.problems[0].line

    def test_locating_is_linear(self) -> None:
        """Lines that once made the line finder quadratic (a regex, long dotted names)."""
        weird = '"""\n]]]\n[a' + " " * 200_000 + "b\n" + "[" + ".".join("a" * 40_000) + '\n"""'
        text = "schema = 1\nx = [\n  " + weird + ",\n]\n" + "[" + ".".join("b" * 30_000) + "]\n"
        with pytest.raises(ketacheck.LimitError) as info:
            checklist_io.loads(text, source="c.toml")
        assert 1 == len(info.value.problems)
