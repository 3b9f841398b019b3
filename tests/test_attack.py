"""Issue 18: the eleven failures an attack found, one regression test each, and its weaknesses.

Each ``test_failure_N_...`` failed on the code before the fix (checked against main at
ebd8e34) and passes now. Failure 9 (the interview replacing a note silently) belongs to
``interview.py`` and is tested there. docs/security.md points here.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Final

import pytest

from ketacheck import catalog, fhir, response
from ketacheck.cli import main
from ketacheck.exceptions import AnswerError, ChecklistError, FileChangedError, LimitError
from ketacheck.files import checklist as checklist_io
from ketacheck.response import Provider, Response

from .test_fuzz import time_limit

ROOT: Final = Path(__file__).resolve().parents[1]
CHECKLIST: Final = ROOT / "checklists" / "quick-screen.toml"
EXAMPLE: Final = min((ROOT / "examples").glob("*.toml"))


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> tuple[int, str, str]:
    """``ketacheck ARGV`` in this process: (status, stdout, stderr)."""
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with time_limit():
            status = main(list(argv))
    finally:
        sys.stdin = saved
    out, err = capsys.readouterr()
    return status, out, err


def with_source_url(url: str) -> str:
    """The bundled quick-screen checklist with its first source's URL replaced by *url*."""
    text = CHECKLIST.read_text(encoding="utf-8")
    first = text.index('url = "', text.index("[[sources]]"))
    end = text.index('"', first + len('url = "'))
    return text[:first] + f"url = {json.dumps(url)}" + text[end + 1 :]


# -- 1: work bounded before the parser runs ---------------------------------------------------


def test_failure_1_long_dotted_keys_rejected_before_parsing() -> None:
    """A 127-part table name and keys of 127 parts: refused at the name, by a scan."""
    header = "[" + ".".join(["h"] * 127) + "]"
    keys = "".join(".".join([f"k{n}", *["a"] * 126]) + " = 1\n" for n in range(200))
    with pytest.raises(LimitError) as info:
        checklist_io.loads(f"schema = 1\n{header}\n{keys}", source="c.toml")
    assert (
        "c.toml: document (line 2): a dotted key or table name nests more than 64 levels "
        "deep (the limit)"
    ) == str(info.value)


def test_failure_1_many_dotted_keys_within_the_depth_limit_are_weighed() -> None:
    """A 31-part table name, 1,000 keys of 32 parts: deep enough to be slow, not too deep."""
    header = "[" + ".".join(["h"] * 31) + "]"
    keys = "".join(".".join([f"k{n}", *["a"] * 31]) + " = 1\n" for n in range(1000))
    with pytest.raises(LimitError) as info:
        checklist_io.loads(f"schema = 1\n{header}\n{keys}", source="c.toml")
    assert (
        "c.toml: document (line 251): the dotted keys up to here would cost the parser more "
        "than 500,000 steps (the limit): write shorter names"
    ) == str(info.value)


def test_failure_1_a_file_too_costly_to_parse_is_refused_unread() -> None:
    """Half a million array elements (1 MB) cost the parser seconds: weighed and refused."""
    with pytest.raises(LimitError) as info:
        checklist_io.loads("schema = 1\nx = [" + "1," * 500_000 + "]\n", source="c.toml")
    assert (
        "c.toml: document: the file would take too long to read: it costs 2,000,036 (the "
        "limit is 800,000; a character outside strings counts 2, one inside double-quoted "
        "strings 1, comments and single-quoted strings nothing)"
    ) == str(info.value)


# -- 2: one URL check that never raises -------------------------------------------------------

BROKEN_URL: Final = "https://[x"
URL_PROBLEM: Final = '"https://[x" is not a valid web address (Invalid IPv6 URL)'


def test_failure_2_malformed_url_is_a_problem_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``https://[x`` in a source: the loader and every command say so; nothing crashes."""
    with pytest.raises(ChecklistError) as info:
        checklist_io.loads(with_source_url(BROKEN_URL), source="c.toml")
    assert [("sources[0].url", URL_PROBLEM)] == [(p.path, p.message) for p in info.value.problems]
    path = tmp_path / "c.toml"
    path.write_text(with_source_url(BROKEN_URL), encoding="utf-8")
    for command in (["validate"], ["show"], ["print"]):
        line = path.read_text(encoding="utf-8").split(BROKEN_URL)[0].count("\n") + 1
        expected = f"ketacheck: {path}: sources[0].url (line {line}): {URL_PROBLEM}\n"
        assert (1, expected) == run(capsys, *command, str(path))[::2], command
    with pytest.raises(ValueError, match=r"\.website: \"https://\[x\" is not a valid web"):
        Provider(name="Cedar", website=BROKEN_URL)


def test_failure_2_malformed_url_in_a_questionnaire(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """import-fhir of a Questionnaire whose source link cannot be split: exit 1, a message."""
    questionnaire = fhir.to_questionnaire(catalog.load("quick-screen"))
    text = json.dumps(questionnaire).replace(
        json.dumps(catalog.load("quick-screen").sources[0].url), json.dumps(BROKEN_URL), 1
    )
    path = tmp_path / "q.json"
    path.write_text(text, encoding="utf-8")
    status, _, err = run(capsys, "import-fhir", str(path))
    assert 1 == status
    assert URL_PROBLEM in err


# -- 3: text that is not Unicode is refused where it comes in ---------------------------------

BYTE_E9: Final = (
    "not text: it holds the byte 0xE9, which is not UTF-8 (is the terminal or the file set "
    "to UTF-8?)"
)


def test_failure_3_lone_surrogates_are_refused_where_they_come_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A note, an argument, a typed line and a JSON escape: refused, named, never a crash."""
    filled = Response.new(catalog.load("quick-screen"))
    item = filled.checklist.items[0].id
    with pytest.raises(AnswerError, match=f"^{item}: the note is not text: it holds the byte"):
        filled.set_note(item, "\udce9")
    out = tmp_path / "new.toml"
    status, _, err = run(capsys, "interview", "-o", str(out), "--provider", "Caf\udce9")
    assert (1, f"ketacheck: .name: {BYTE_E9}\n") == (status, err)
    piped = subprocess.run(  # printf 'Caf\xe9 Clinic\n' | ketacheck interview -o new.toml
        [sys.executable, "-m", "ketacheck", "interview", "-o", str(out)],
        input=b"Caf\xe9 Clinic\n",
        capture_output=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        check=False,
        timeout=60,
    )
    assert (1, f"ketacheck: .name: {BYTE_E9}\n".encode()) == (piped.returncode, piped.stderr)
    assert not out.exists()
    questionnaire = fhir.to_questionnaire(catalog.load("quick-screen"))
    questionnaire["title"] = "\ud800"
    path = tmp_path / "q.json"
    path.write_text(json.dumps(questionnaire), encoding="utf-8")  # "\ud800" as an escape
    status, _, err = run(capsys, "import-fhir", str(path), "-o", str(tmp_path / "c.toml"))
    assert 1 == status
    assert "not text: it holds U+D800, half of a character (a lone surrogate)" in err


def test_bidirectional_controls_are_refused_in_checklists_and_shown_in_messages() -> None:
    """U+202E in a checklist's title is refused, and the message shows it as ``\\u202e``."""
    text = CHECKLIST.read_text(encoding="utf-8").replace('title = "', 'title = "\\u202eevil ', 1)
    with pytest.raises(ChecklistError) as info:
        checklist_io.loads(text, source="c.toml")
    assert (
        "holds the bidirectional control character U+202E; text may hold tabs and line "
        "breaks but no other control characters"
    ) == info.value.problems[0].message


# -- 4: CSV cells that cannot become formulas -------------------------------------------------

FORMULAS: Final = ('=HYPERLINK("https://evil.example","x")', "+1", "-1", "@SUM(A1)", "\tx")


def test_failure_4_csv_cells_are_neutralised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names starting =, +, -, @ or a tab get a leading '; a bare CR is quoted, not a row."""
    files = []
    for n, name in enumerate([*FORMULAS, "a\rb"]):
        filled = response.read(EXAMPLE)
        filled.provider = Provider(name=name)
        path = tmp_path / f"r{n}.toml"
        response.save(filled, path)
        files.append(str(path))
    status, out, _ = run(capsys, "compare", *files, "--format", "csv")
    assert 0 == status
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert {"'" + f for f in FORMULAS} | {"a\rb"} == {row["provider"] for row in rows}
    assert 8 == len(out.split("\n"))  # a header, six rows, the final line break
    assert '"a\rb"' in out


# -- 5: templates stay in their folder --------------------------------------------------------


def test_failure_5_template_folder_escape_through_a_link_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ln -s / d/root`` and an include of root/etc/passwd: refused, nothing printed."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "root").symlink_to("/")
    (folder / "blank.html.j2").write_text("{% include 'root/etc/passwd' %}", encoding="utf-8")
    status, out, err = run(
        capsys, "print", "quick-screen", "--format", "html", "--template-dir", str(folder)
    )
    assert (2, "") == (status, out)
    assert "ketacheck: blank.html.j2: template 'root/etc/passwd' not found\n" == err


# -- 6: the changed-file guard knows the file, however it is spelled -------------------------


@pytest.mark.parametrize("spelling", ["dotdot", "linked-folder", "linked-file"])
def test_failure_6_changed_file_guard_sees_through_other_spellings(
    tmp_path: Path, spelling: str
) -> None:
    """Saving through sub/../r.toml or a link, after another save, is refused: not lost."""
    (tmp_path / "sub").mkdir()
    path = tmp_path / "r.toml"
    response.save(response.read(EXAMPLE), path)
    mine = response.read(path)
    theirs = response.read(path)
    theirs.set_note(theirs.checklist.items[0].id, "their change")
    response.save(theirs, path)
    if spelling == "dotdot":
        other = tmp_path / "sub" / ".." / "r.toml"
    elif spelling == "linked-folder":
        (tmp_path / "link").symlink_to(tmp_path, target_is_directory=True)
        other = tmp_path / "link" / "r.toml"
    else:
        other = tmp_path / "r-link.toml"
        other.symlink_to(path)
    with pytest.raises(FileChangedError, match="the file changed on disk since it was read"):
        response.save(mine, other)
    assert "their change" in path.read_text(encoding="utf-8")


def test_saving_through_a_link_updates_the_file_it_points_to(tmp_path: Path) -> None:
    """The link stays a link; its target is replaced, atomically, in the target's folder."""
    (tmp_path / "synced").mkdir()
    target = tmp_path / "synced" / "r.toml"
    response.save(response.read(EXAMPLE), target)
    link = tmp_path / "r.toml"
    link.symlink_to(target)
    filled = response.read(link)
    filled.set_note(filled.checklist.items[0].id, "through the link")
    response.save(filled, link)
    assert link.is_symlink()
    assert "through the link" in target.read_text(encoding="utf-8")
    assert ["r.toml"] == sorted(p.name for p in (tmp_path / "synced").iterdir())


# -- 7 and 8: the notebook form ----------------------------------------------------------------


def test_failure_7_notebook_form_refuses_another_response(tmp_path: Path) -> None:
    """form(response=new, path=theirs) would replace their answers: refused, file untouched."""
    notebook = pytest.importorskip("ketacheck.notebook")
    theirs = tmp_path / "theirs.toml"
    response.save(response.read(EXAMPLE), theirs)
    before = theirs.read_bytes()
    existing = response.read(theirs)
    new = Response.new(existing.checklist)
    with pytest.raises(FileExistsError) as info:
        notebook.form(response=new, path=theirs)
    assert (
        f'[Errno 17] holds another response ("{existing.provider.name}", '
        f"{len(existing.answers)} answers); to continue it, leave out the response, or choose "
        f"another file: '{theirs}'"
    ) == str(info.value)
    assert before == theirs.read_bytes()
    assert notebook.form(response=existing, path=theirs).response is existing  # its own file


def test_failure_8_notebook_form_shows_what_it_could_not_keep(tmp_path: Path) -> None:
    """A note or a name over 10,000 characters: the form says so, never "Saved"."""
    notebook = pytest.importorskip("ketacheck.notebook")
    path = tmp_path / "r.toml"
    f = notebook.form("quick-screen", path=path)
    controls = next(iter(f.controls.values()))
    controls.note.value = "n" * 10_001
    message = f"{controls.item.id}: the note is 10,001 characters; the limit is 10,000"
    assert message == f.save_error
    assert message in controls.status.value
    assert f.saved.value.startswith('<p style="color:#b00020">Not saved: ')
    f.provider.value = "p" * 10_001
    assert "provider .name: 10,001 characters; the limit is 10,000" == f.save_error
    assert "Saved" not in f.saved.value


# -- 10: only regular files are read ----------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_failure_10_a_named_pipe_is_an_error_not_a_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate, interview -o and every loader refuse a FIFO at once, naming it."""
    fifo = tmp_path / "f.toml"
    os.mkfifo(fifo)
    status, _, err = run(capsys, "validate", str(fifo))
    assert (2, f"ketacheck: {fifo}: is a named pipe (FIFO), not a regular file\n") == (status, err)
    status, _, err = run(capsys, "interview", "-o", str(fifo))
    assert 2 == status
    assert "is a named pipe (FIFO), not a regular file; refusing to replace it" in err
    for read in (checklist_io.read, response.read, fhir.read_questionnaire):
        with time_limit(), pytest.raises(OSError, match="named pipe"):
            read(fifo)
    with time_limit(), pytest.raises(IsADirectoryError):
        response.read(tmp_path)


# -- 11: long names ---------------------------------------------------------------------------


def test_failure_11_a_255_byte_file_name_can_be_saved(tmp_path: Path) -> None:
    """83 Japanese characters, ``x`` and ``.toml``: 255 bytes, the longest name there is."""
    name = "日" * 83 + "x.toml"
    assert 255 == len(name.encode("utf-8"))
    path = tmp_path / name
    filled = response.read(EXAMPLE)
    response.save(filled, path)
    assert filled == response.read(path)
    response.save(filled, path)  # again, over the file: the temporary name fits too
    assert [name] == [p.name for p in tmp_path.iterdir()]


# -- errors name the file being saved ---------------------------------------------------------


def _disk_full(*_args: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _read_only_folder(*_args: Any, **_kwargs: Any) -> None:
    raise PermissionError(errno.EACCES, "Permission denied", "/folder/.r.toml.abcdefgh.tmp")


@pytest.mark.parametrize(("name", "patch"), [("fsync", _disk_full), ("mkstemp", _read_only_folder)])
def test_a_failed_save_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, patch: Any
) -> None:
    """A full disk and a read-only folder: the error names r.toml, not a temporary file."""
    path = tmp_path / "r.toml"
    monkeypatch.setattr(os if name == "fsync" else tempfile, name, patch)
    with pytest.raises(OSError, match=r"No space left on device|Permission denied") as info:
        response.save(response.read(EXAMPLE), path)
    assert str(path) == info.value.filename
    assert not path.exists()


def test_fuzz_help_works_without_hypothesis() -> None:
    """``benchmarks/fuzz.py --help`` needs only the standard library."""
    code = (
        "import runpy, sys; sys.modules['hypothesis'] = None; "
        "sys.argv = ['fuzz.py', '--help']; "
        f"runpy.run_path({str(ROOT / 'benchmarks' / 'fuzz.py')!r}, run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert (0, "") == (done.returncode, done.stderr)
    assert done.stdout.startswith("usage: fuzz.py")
