"""The command line: export-fhir, import-fhir and schema; exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ketacheck import catalog
from ketacheck import response as responses
from ketacheck.cli import main
from ketacheck.fhir import from_questionnaire, to_questionnaire
from ketacheck.files import checklist as checklist_io
from ketacheck.schema import checklist_schema, response_schema

from .test_fhir import fixture

DATA = Path(__file__).parent / "data"
CALCULATED = (
    '"/44261-6" has a calculatedExpression (a calculated value, such as a total; ketacheck '
    "computes scores itself)"
)


def _response_file(tmp_path: Path) -> Path:
    checklist = catalog.load("quick-screen")
    r = responses.Response.new(checklist, provider="Cedar")
    r.answer("office-dosing", "no")
    r.answer("intake-evaluation", "in-person", note="An hour with a psychiatrist")
    r._answers["clinician-presence"] = "in-room"  # stale: the item no longer applies
    path = tmp_path / "cedar.toml"
    r.save(path)
    return path


class TestExportFhir:
    """``ketacheck export-fhir`` writes JSON to stdout or, atomically, to -o."""

    def test_default_checklist_to_stdout(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without arguments: the consumer checklist's Questionnaire, indented JSON."""
        assert 0 == main(["export-fhir"])
        out = capsys.readouterr().out
        assert out.startswith('{\n  "resourceType": "Questionnaire",\n')
        assert to_questionnaire(catalog.load()) == json.loads(out)

    def test_file_to_output(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A checklist path and -o: the file holds the Questionnaire; stdout stays empty."""
        out = tmp_path / "q.json"
        assert 0 == main(["export-fhir", str(DATA / "valid" / "full.toml"), "-o", str(out)])
        assert ("", "") == capsys.readouterr()
        exported = json.loads(out.read_text("utf-8"))
        assert (
            checklist_io.read(DATA / "valid" / "full.toml")
            == from_questionnaire(exported).checklist
        )

    def test_response(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--response writes a QuestionnaireResponse and warns about what it leaves out."""
        path = _response_file(tmp_path)
        assert 0 == main(["export-fhir", "--response", str(path)])
        captured = capsys.readouterr()
        qr = json.loads(captured.out)
        assert ("QuestionnaireResponse", "in-progress") == (qr["resourceType"], qr["status"])
        assert (
            f"ketacheck: warning: {path}: answers.clinician-presence: the item does not apply; "
            "the answer is not written\n"
        ) == captured.err

    def test_response_with_another_checklist(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """CHECKLIST with --response reads the answers against that checklist."""
        path = _response_file(tmp_path)
        assert 0 == main(["export-fhir", "ketamine-consumer", "--response", str(path)])
        qr = json.loads(capsys.readouterr().out)
        assert (
            qr["questionnaire"]
            == "https://ketacheck.org/fhir/Questionnaire/ketamine-consumer|1.1.0"
        )

    def test_missing_response(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An unreadable response file exits 2."""
        assert 2 == main(["export-fhir", "--response", str(tmp_path / "none.toml")])
        assert f"ketacheck: {tmp_path / 'none.toml'}: no such file\n" == capsys.readouterr().err


class TestImportFhir:
    """``ketacheck import-fhir`` writes TOML; warnings go to stderr; --strict refuses."""

    def test_round_trip_through_files(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """export-fhir then import-fhir gives back the same checklist, with no warning."""
        q, out = tmp_path / "q.json", tmp_path / "back.toml"
        assert 0 == main(["export-fhir", "quick-screen", "-o", str(q)])
        assert 0 == main(["import-fhir", str(q), "-o", str(out)])
        assert ("", "") == capsys.readouterr()
        text = out.read_text("utf-8")
        assert text.startswith(f"# Imported from the FHIR Questionnaire {q} by ketacheck.\n\n")
        assert catalog.load("quick-screen") == checklist_io.loads(text)

    def test_real_questionnaire(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The PHQ-9: TOML on stdout with the linkId mapping; the skipped total on stderr."""
        path = fixture("phq9-lforms-r4.json")
        assert 0 == main(["import-fhir", str(path)])
        captured = capsys.readouterr()
        assert (
            f"ketacheck: warning: {path}: item[9]: {CALCULATED}; the item is skipped\n"
        ) == captured.err
        header = captured.out.split("\n\n", 1)[0].splitlines()
        assert [
            "# Item ids made from linkIds (id <- linkId):",
            "#   44250-9 <- /44250-9",
        ] == header[1:3]
        assert 10 == len(checklist_io.loads(captured.out).items)

    def test_strict(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--strict turns the warning into an error: exit 1, message names file and path."""
        path = fixture("phq9-lforms-r4.json")
        assert 1 == main(["import-fhir", str(path), "--strict"])
        assert (
            f"ketacheck: {path}: item[9]: cannot be carried over: {CALCULATED}\n"
        ) == capsys.readouterr().err

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b'{"resourceType": ', "document (line 1, column 18): not valid JSON: Expecting value"),
            (
                b'{"resourceType": "Patient"}',
                'resourceType: expected "Questionnaire", got "Patient"',
            ),
            (
                (
                    b'{"resourceType": "Questionnaire", "item": [{"linkId": "a", "type": "text", '
                    b'"answerOption": [{"valueCoding": {}}]}]}'
                ),
                "item[0].answerOption[0]: an answer option needs a code",
            ),
        ],
        ids=["bad-json", "not-questionnaire", "bad-option"],
    )
    def test_bad_input_exits_1(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
    ) -> None:
        """Bad JSON, another resource, a malformed item: one line naming file and path."""
        path = tmp_path / "q.json"
        path.write_bytes(content)
        assert 1 == main(["import-fhir", str(path)])
        assert f"ketacheck: {path}: {message}\n" == capsys.readouterr().err

    def test_unreadable_exits_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing file or a directory is a usage error."""
        assert 2 == main(["import-fhir", str(tmp_path / "none.json")])
        assert 2 == main(["import-fhir", str(tmp_path)])
        assert (
            f"ketacheck: {tmp_path / 'none.json'}: no such file\n"
            f"ketacheck: {tmp_path}: is a directory, not a file\n"
        ) == capsys.readouterr().err

    def test_failed_import_leaves_the_output_alone(self, tmp_path: Path) -> None:
        """With --strict refusing, an existing -o checklist is not touched."""
        out = tmp_path / "out.toml"
        kept = (DATA / "valid" / "full.toml").read_text("utf-8")
        out.write_text(kept, "utf-8")
        args = ["import-fhir", str(fixture("phq9-lforms-r4.json")), "--strict", "-o", str(out)]
        assert 1 == main(args)
        assert kept == out.read_text("utf-8")


class TestOutput:
    """-o replaces only output of the same kind (or an empty file) unless --force is given."""

    def test_export_refuses_a_response(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """export-fhir --response r.toml -o r.toml would destroy the answers: refused, exit 2."""
        path = _response_file(tmp_path)
        before = path.read_bytes()
        assert 2 == main(["export-fhir", "--response", str(path), "-o", str(path)])
        assert before == path.read_bytes()
        assert (
            f"ketacheck: {path}: exists and is not a FHIR QuestionnaireResponse (JSON); "
            "use --force to replace it\n"
        ) == capsys.readouterr().err

    def test_export_refuses_another_resource(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A Questionnaire is not replaced by a QuestionnaireResponse, nor the reverse."""
        out = tmp_path / "q.json"
        assert 0 == main(["export-fhir", "quick-screen", "-o", str(out)])
        before = out.read_bytes()
        assert 2 == main(
            ["export-fhir", "--response", str(_response_file(tmp_path)), "-o", str(out)]
        )
        assert before == out.read_bytes()
        assert (
            f"ketacheck: {out}: exists and is not a FHIR QuestionnaireResponse (JSON); "
            "use --force to replace it\n"
        ) == capsys.readouterr().err

    @pytest.mark.parametrize("content", [b"", b"  \n", b'{"resourceType": "Questionnaire"}'])
    def test_export_replaces_the_same_kind(self, tmp_path: Path, content: bytes) -> None:
        """An empty file or an earlier Questionnaire is replaced."""
        out = tmp_path / "q.json"
        out.write_bytes(content)
        assert 0 == main(["export-fhir", "quick-screen", "-o", str(out)])
        assert to_questionnaire(catalog.load("quick-screen")) == json.loads(out.read_text("utf-8"))

    @pytest.mark.parametrize(
        "content",
        [b"not json", b"\xff\xfe", b"[1, 2]", b'{"resourceType": "Patient"}', b"[" * 5000],
        ids=["text", "not-utf8", "array", "patient", "deep"],
    )
    def test_export_refuses_other_files(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
    ) -> None:
        """Anything else is kept, with one message, unless --force is given."""
        out = tmp_path / "notes.json"
        out.write_bytes(content)
        assert 2 == main(["export-fhir", "-o", str(out)])
        assert content == out.read_bytes()
        assert (
            f"ketacheck: {out}: exists and is not a FHIR Questionnaire (JSON); "
            "use --force to replace it\n"
        ) == capsys.readouterr().err
        assert 0 == main(["export-fhir", "-o", str(out), "--force"])
        assert "Questionnaire" == json.loads(out.read_text("utf-8"))["resourceType"]

    def test_import_refuses_a_response(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """import-fhir -o never replaces a response (or anything but a checklist)."""
        q, path = tmp_path / "q.json", _response_file(tmp_path)
        assert 0 == main(["export-fhir", "quick-screen", "-o", str(q)])
        before = path.read_bytes()
        assert 2 == main(["import-fhir", str(q), "-o", str(path)])
        assert before == path.read_bytes()
        assert (
            f"ketacheck: {path}: exists and is not a checklist; use --force to replace it\n"
        ) == capsys.readouterr().err
        assert 2 == main(["import-fhir", str(q), "-o", str(q)])
        assert "Questionnaire" == json.loads(q.read_text("utf-8"))["resourceType"]
        assert 0 == main(["import-fhir", str(q), "-o", str(path), "--force"])
        assert catalog.load("quick-screen") == checklist_io.read(path)

    def test_import_replaces_a_checklist(self, tmp_path: Path) -> None:
        """An earlier import (a checklist) is replaced."""
        q, out = tmp_path / "q.json", tmp_path / "c.toml"
        out.write_text((DATA / "valid" / "full.toml").read_text("utf-8"), "utf-8")
        assert 0 == main(["export-fhir", "quick-screen", "-o", str(q)])
        assert 0 == main(["import-fhir", str(q), "-o", str(out)])
        assert catalog.load("quick-screen") == checklist_io.read(out)

    @pytest.mark.parametrize("command", ["export-fhir", "import-fhir"])
    def test_folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
        """A folder is never an output file, --force or not."""
        q = tmp_path / "q.json"
        assert 0 == main(["export-fhir", "quick-screen", "-o", str(q)])
        args = [command, str(q)] if command == "import-fhir" else [command]
        assert 2 == main([*args, "-o", str(tmp_path), "--force"])
        assert f"ketacheck: {tmp_path}: is a directory, not a file\n" == capsys.readouterr().err


class TestSchema:
    """``ketacheck schema`` prints a JSON Schema, indented by 2."""

    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            ([], checklist_schema()),
            (["checklist"], checklist_schema()),
            (["response"], response_schema()),
        ],
        ids=["default", "checklist", "response"],
    )
    def test_output(
        self, args: list[str], expected: object, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The printed JSON is the schema; the default is the checklist schema."""
        assert 0 == main(["schema", *args])
        out = capsys.readouterr().out
        assert out == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"

    def test_unknown_format(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Anything else is a usage error."""
        assert 2 == main(["schema", "provider"])
        assert "invalid choice: 'provider'" in capsys.readouterr().err


class TestConsoleScript:
    """Through the installed console script: no traceback, ever."""

    def test_bad_json_has_no_traceback(self, tmp_path: Path) -> None:
        """python -m ketacheck import-fhir on garbage: exit 1, one line on stderr."""
        path = tmp_path / "q.json"
        path.write_bytes(b"\x00\xff not json")
        done = subprocess.run(
            [sys.executable, "-m", "ketacheck", "import-fhir", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (1, "") == (done.returncode, done.stdout)
        assert [
            f"ketacheck: {path}: document: the file is not UTF-8 text (byte 0xff at offset 1)"
        ] == done.stderr.splitlines()
