"""Reading and writing checklists: lossless, readable, strict, with located errors."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import given

from ketacheck.exceptions import ChecklistError, LimitError
from ketacheck.files import checklist as checklist_io
from ketacheck.files._locate import find_line, line_index
from ketacheck.files._toml import MAX_FILE_BYTES
from ketacheck.model import Checklist

from .strategies import checklists

DATA = Path(__file__).parent / "data"
MINIMAL = (DATA / "valid" / "minimal.toml").read_text(encoding="utf-8")


class TestRoundTrip:
    """``loads(dumps(c)) == c`` for every valid checklist."""

    @given(checklists())
    def test_generated(self, checklist: Checklist) -> None:
        """Generated checklists survive a trip through TOML unchanged; dumping twice gives the
        same text (one test, so each generated checklist serves both)."""
        checklist.validated()
        text = checklist_io.dumps(checklist)
        loaded = checklist_io.loads(text)
        assert checklist == loaded
        assert text == checklist_io.dumps(loaded)

    def test_file_object_and_save(self, tmp_path: Path) -> None:
        """dump/load through a binary file object and save/read through a path agree."""
        checklist = checklist_io.read(DATA / "valid" / "full.toml")
        buffer = io.BytesIO()
        checklist_io.dump(checklist, buffer)
        buffer.seek(0)
        assert checklist == checklist_io.load(buffer)
        checklist_io.save(checklist, tmp_path / "c.toml")
        assert checklist == checklist_io.read(tmp_path / "c.toml")


class TestDumps:
    """The written TOML is readable: arrays of tables, small tables inline, no nulls."""

    def test_exact_output(self) -> None:
        """A small checklist dumps to exactly this text."""
        text = (
            'schema = 1\nid = "demo"\nversion = "1"\ntitle = "Demo"\n\n'
            "[scoring]\nbands = [\n"
            '  { min = 50, label = "ok" },\n  { min = 0, label = "weak" },\n]\n\n'
            '[[sections]]\nid = "s"\ntitle = "S"\nphase = "before"\n\n'
            '[[sections.items]]\nid = "routes"\nkind = "multi"\nprompt = "Which?"\nweight = 0\n'
            'options = [\n  { id = "iv", label = "IV" },\n'
            '  { id = "im", label = "Shot", points = 1 },\n]\n\n'
            '[[sections.items]]\nid = "minutes"\nkind = "number"\nprompt = "How long?"\n'
            'unit = "minutes"\nwhen = { item = "routes", includes = "iv" }\ntags = ["safety"]\n'
        )
        assert text == checklist_io.dumps(checklist_io.loads(text))

    def test_no_nulls_and_multiline_strings_escaped(self) -> None:
        """Absent values are left out; newlines in strings survive."""
        checklist = checklist_io.loads(
            MINIMAL.replace('title = "The', 'summary = "two\\nlines"\ntitle = "The')
        )
        text = checklist_io.dumps(checklist)
        assert "null" not in text
        assert 'summary = "two\\nlines"' in text
        assert "two\nlines" == checklist_io.loads(text).summary


class TestReading:
    """Bad bytes, syntax and sizes get their own clear messages."""

    def test_byte_order_mark_is_accepted(self) -> None:
        """A leading UTF-8 byte-order mark is ignored."""
        data = b"\xef\xbb\xbf" + MINIMAL.encode()
        assert "minimal" == checklist_io.load(io.BytesIO(data)).id
        assert "minimal" == checklist_io.loads("\ufeff" + MINIMAL).id

    def test_stream_name(self) -> None:
        """A stream without a name is reported as <stream>."""
        with pytest.raises(ChecklistError) as info:
            checklist_io.load(io.BytesIO(b"schema = 2\n"))
        assert (
            "<stream>: schema (line 1): unsupported schema 2; "
            "this version of ketacheck reads schema 1" == str(info.value)
        )

    def test_text_file_object_is_refused(self, tmp_path: Path) -> None:
        """load() needs a binary file, as tomllib.load does."""
        path = tmp_path / "c.toml"
        path.write_text(MINIMAL, encoding="utf-8")
        with path.open(encoding="utf-8") as fp, pytest.raises(TypeError, match="binary file"):
            checklist_io.load(fp)  # type: ignore[arg-type]

    def test_file_too_large(self, tmp_path: Path) -> None:
        """A file over 5 MiB is refused before parsing."""
        path = tmp_path / "big.toml"
        path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
        with pytest.raises(LimitError) as info:
            checklist_io.read(path)
        assert (
            f"{os.fspath(path)}: document: file is 5,242,881 bytes; "
            "the limit is 5,242,880 bytes (5 MiB)" == str(info.value)
        )

    def test_string_too_large(self) -> None:
        """loads() applies the same limit to text."""
        with pytest.raises(LimitError, match="the limit is 5,242,880 bytes"):
            checklist_io.loads("#" * (MAX_FILE_BYTES + 1))

    def test_deep_nesting(self) -> None:
        """Arrays nested thousands deep (too deep for the parser) are a LimitError."""
        with pytest.raises(LimitError) as info:
            checklist_io.loads("schema = 1\nx = " + "[" * 5000 + "]" * 5000, source="deep.toml")
        assert (
            "deep.toml: document: tables and arrays nest more than 64 levels deep (the limit)"
            == str(info.value)
        )

    def test_syntax_error_at_end(self) -> None:
        """An error at the end of the document names the last line."""
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads('schema = 1\nid = "x"\ntitle = [1,', source="s")
        assert 3 == info.value.problems[0].line

    def test_strict_applies_content_rules(self) -> None:
        """loads(strict=True) adds the content rules, with lines."""
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(MINIMAL.replace("Is this the only question?", "One"), strict=True)
        assert [
            "sections[0].items[0].why (line 10): a scored item needs a why",
            "sections[0].items[0].sources (line 10): a scored item needs at least one source",
            "sections[0].items[0].prompt (line 13): a prompt should be a question ending in ?",
        ] == [str(p) for p in info.value.problems[:3]]


class TestLineIndex:
    """TOML paths are found on their lines."""

    def test_paths(self) -> None:
        """Headers, keys, inline arrays and multi-line strings are followed."""
        text = (DATA / "valid" / "full.toml").read_text(encoding="utf-8")
        index = line_index(text)
        assert 15 == index["scoring.unknown"]
        assert 18 == index["scoring.bands[1]"]
        assert 23 == index["scoring.red-flag-band"]
        assert 30 == index["sources[1]"]
        assert 70 == index["sections[1]"]
        assert 65 == index["sections[0].items[1].options[0]"]
        assert 111 == find_line(index, "sections[1].items[2].when.includes")
        assert find_line(index, "nowhere") is None

    def test_multiline_strings_are_skipped(self) -> None:
        """A header-like line inside a multi-line string is not a header."""
        text = 'a = """\n[[sections]]\n"""\nb = 1\n'
        assert {"a": 1, "b": 4} == line_index(text)


class TestLimits:
    """Nesting depth and TOML's integer range, each with its own message."""

    def test_depth_at_the_limit_loads(self) -> None:
        """Tables and arrays 64 levels deep are read (and then checked as usual)."""
        text = "schema = 1\nx = " + "[" * 64 + "]" * 64
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(text, source="c.toml")
        assert "x" in [p.path for p in info.value.problems]

    def test_depth_over_the_limit(self) -> None:
        """One level more is a LimitError naming the path and line where it happens."""
        text = 'schema = 1\nid = "c"\n[deep]\nx = ' + "[" * 64 + "]" * 64
        with pytest.raises(LimitError) as info:
            checklist_io.loads(text, source="c.toml")
        path = "deep.x" + "[0]" * 63
        assert (
            f"c.toml: {path} (line 4): tables and arrays nest more than 64 levels deep (the limit)"
            == str(info.value)
        )

    @pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**30])
    def test_integer_out_of_range(self, value: int) -> None:
        """Integers outside TOML's 64-bit range are refused, not read as huge numbers."""
        text = f'schema = 1\nid = "c"\nweights = [1, {value}]\n'
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(text, source="c.toml")
        assert (
            "c.toml: weights[1] (line 3): integer out of range (integers are 64-bit: from "
            "-9,223,372,036,854,775,808 to 9,223,372,036,854,775,807)" == str(info.value)
        )

    def test_integer_too_long_to_read(self) -> None:
        """An integer with more digits than Python converts is a TOML error, not a crash."""
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads("schema = 1\nx = 1" + "0" * 5000, source="c.toml")
        assert (
            "c.toml: document: invalid TOML: an integer is too long (TOML integers are 64-bit)"
            == str(info.value)
        )

    @pytest.mark.parametrize(
        "name",
        [
            ".".join(["a"] * 200) + " = 1",
            " . ".join(['"a"'] * 200) + " = 1",
            "[" + ".".join(["a"] * 200) + "]",
            "x = { " + ".".join(["a"] * 200) + " = 1 }",
        ],
        ids=["key", "quoted-key", "table", "inline-table"],
    )
    def test_long_dotted_name(self, name: str) -> None:
        """A name nesting past the depth limit is refused before parsing (tomllib is quadratic)."""
        with pytest.raises(LimitError) as info:
            checklist_io.loads(f'schema = 1\ny = "a.b.c"\n{name}\n', source="c.toml")
        assert (
            "c.toml: document (line 3): a dotted key or table name nests more than 64 levels "
            "deep (the limit)"
        ) == str(info.value)

    def test_dots_in_strings_and_numbers_are_not_names(self) -> None:
        """Dots in strings, comments and floats do not count."""
        names = ".".join(["a"] * 200)
        text = (
            f'schema = 1\nx = "{names}"\ny = [{", ".join(["1.5"] * 200)}]\n# {names}\n'
            f"z = '''\n{names} = 1\n'''\n"
        )
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(text, source="c.toml")
        assert {"x", "y", "z"} <= {p.path for p in info.value.problems}

    def test_largest_integers_load(self) -> None:
        """The extremes of the 64-bit range are fine."""
        number = '\n  [[sections.items]]\n  id = "n"\n  kind = "number"\n  prompt = "N?"\n'
        text = MINIMAL + number + f"  min = {-(2**63)}\n  max = {2**63 - 1}\n"
        item = checklist_io.loads(text).item("n")
        assert (-(2**63), 2**63 - 1) == (item.min, item.max)
