"""Tests for the ``score`` and ``compare`` commands, through ketacheck.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from ketacheck import response
from ketacheck.cli import main
from ketacheck.cli._score import score_text
from ketacheck.files import checklist as checklist_io
from ketacheck.scoring import score

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PHQ9 = str(DATA / "phq9.toml")
WEEK1 = str(DATA / "responses" / "phq9-week1.toml")
WEEK4 = str(DATA / "responses" / "phq9-week4.toml")
BAD = str(DATA / "responses" / "bad-answers.toml")
EXAMPLES = [str(p) for p in sorted((ROOT / "examples").glob("*.toml"))]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return (status, stdout, stderr)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


class TestScore:
    """ketacheck score RESPONSE.toml."""

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The text summary of a PHQ-9 response scored with its checklist file."""
        expected = """\
Self-report, week 1 (other)
Checklist phq-9 1.0.0

Score         44.4%, 12 of 27 points
Red flags     0
Cautions      0
Completeness  100% (10 of 10 applicable items answered)
Care model    undetermined

What cost the most points
  - little-interest (Not at all): lost 3 of 3 points.
  - appetite (Not at all): lost 3 of 3 points.
  - self-harm-thoughts (Not at all): lost 3 of 3 points.
  - feeling-down (Several days): lost 2 of 3 points.
  - feeling-bad-about-self (Several days): lost 2 of 3 points.

Phases
  general  44.4%  12 of 27

Sections
  Over the last two weeks  44.4%  12 of 27
"""
        assert (0, expected, "") == run(capsys, "score", WEEK1, "--checklist", PHQ9)

    def test_markdown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The Markdown summary, with unknown items listed."""
        expected = """\
# Self-report, week 4

Checklist `phq-9` 1.0.0

- **Score:** 11.1%, 3 of 27 points
- **Red flags:** 0
- **Cautions:** 0
- **Completeness:** 90% (9 of 10 applicable items answered)
- **Care model:** undetermined

## What cost the most points

- little-interest (Not at all): lost 3 of 3 points.
- appetite (Not at all): lost 3 of 3 points.
- feeling-bad-about-self (Not at all): lost 3 of 3 points.
- concentration (unknown): lost 3 of 3 points.
- moving-speaking (Not at all): lost 3 of 3 points.

## Phases

| | Percent | Points |
| --- | ---: | ---: |
| general | 11.1% | 3 of 27 |

## Sections

| | Percent | Points |
| --- | ---: | ---: |
| Over the last two weeks | 11.1% | 3 of 27 |

## Unknown

`concentration`

## Unanswered

`difficulty`
"""
        assert (0, expected, "") == run(
            capsys, "score", WEEK4, "--checklist", PHQ9, "--format", "markdown"
        )

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """JSON is the score's to_dict, with exactly the documented keys."""
        status, out, err = run(capsys, "score", EXAMPLES[0], "--format", "json")
        assert (0, "") == (status, err)
        data = json.loads(out)
        assert score(response.read(EXAMPLES[0])).to_dict() == data
        expected_keys = [
            "checklist",
            "checklist_version",
            "provider",
            "points",
            "max_points",
            "percent",
            "band",
            "band_capped",
            "completeness",
            "care_model",
            "red_flags",
            "cautions",
            "unknown",
            "unanswered",
            "sections",
            "phases",
            "tags",
        ]
        assert expected_keys == list(data)
        assert out.endswith("}\n")

    def test_json_keeps_unicode(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Non-ASCII text is written as is."""
        path = tmp_path / "zoe.toml"
        path.write_text('schema = 1\nchecklist = "quick-screen"\n[provider]\nname = "Zoë"\n')
        status, out, _ = run(capsys, "score", str(path), "--format", "json")
        assert (0, '"provider": "Zoë"') == (status, out.splitlines()[3].strip().rstrip(","))

    def test_red_flags_and_profile(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Red flags are listed first and the profile is named."""
        status, out, err = run(capsys, "score", EXAMPLES[2], "--profile", "at-home")
        assert (0, "") == (status, err)
        lines = out.splitlines()
        assert "Checklist ketamine-consumer 1.1.0, profile at-home" == lines[1]
        start = lines.index("Red flags")
        expected = [
            "Red flags",
            "  ! home-live-clinician (no): During a home dose there is no way to reach anyone",
            "    from the care team quickly.",
            "  ! home-after-hours-contact (no): With doses at home, there is no after-hours",
            "    number to call if something goes wrong.",
        ]
        assert expected == lines[start : start + 5]

    def test_markdown_red_flags(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Markdown lists red flags under their own heading."""
        status, out, _ = run(capsys, "score", EXAMPLES[0], "--format", "markdown")
        assert 0 == status
        expected = (
            "## Red flags\n\n- suicide-risk-check (no): Nobody checks your suicide risk before "
            "treatment.\n- off-label-disclosure (no): They claim, or let you believe, "
            "that ordinary or compounded ketamine is approved for depression.\n"
        )
        assert expected in out

    def test_unknown_profile(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown profile is a usage error (2) naming the known ones."""
        expected = (
            "ketacheck: checklist 'ketamine-consumer' has no profile 'nope' "
            "(known: symptom-relief, therapy-focused, at-home)\n"
        )
        assert (2, "", expected) == run(capsys, "score", EXAMPLES[0], "--profile", "nope")

    def test_bad_answers(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Answers that do not fit are problems (1) with paths and lines."""
        expected = f"""\
ketacheck: {BAD}: 2 problems
  answers.routes (line 9): "intravenous" is not an option; expected a list of: iv, im, \
sublingual, intranasal, oral, subcutaneous (or "unknown")
  answers.observation-minutes (line 10): 900 is above the maximum 600; expected a number \
from 0 to 600 (or "unknown")
"""
        assert (1, "", expected) == run(capsys, "score", BAD)

    def test_unbundled_checklist(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A response to a checklist that is not bundled needs --checklist."""
        expected = (
            f'ketacheck: {WEEK1}: checklist (line 3): no bundled checklist "phq-9" '
            "(bundled: ketamine-consumer, quick-screen); give the checklist explicitly "
            "(--checklist)\n"
        )
        assert (1, "", expected) == run(capsys, "score", WEEK1)

    def test_missing_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing response file is exit 2."""
        assert (2, "", "ketacheck: nope.toml: no such file\n") == run(capsys, "score", "nope.toml")

    def test_missing_checklist_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing checklist file is exit 2."""
        expected = (2, "", "ketacheck: missing.toml: no such file\n")
        assert expected == run(capsys, "score", WEEK1, "--checklist", "missing.toml")

    def test_unknown_bundled_checklist(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown bundled id for --checklist is exit 2."""
        expected = (
            2,
            "",
            'ketacheck: no bundled checklist "nope" (bundled: ketamine-consumer, quick-screen)\n',
        )
        assert expected == run(capsys, "score", WEEK1, "--checklist", "nope")

    def test_nothing_applies(self) -> None:
        """Without a percent or completeness the summary says n/a."""
        s = score(response.read(WEEK1, checklist=checklist_io.read(PHQ9)))
        s = attrs.evolve(s, percent=None, completeness=None)
        lines = score_text(s).splitlines()
        assert "Score         n/a, 12 of 27 points" == lines[3]
        assert "Completeness  n/a (no item applies)" == lines[6]

    def test_huge_weights_never_give_nan(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Weights near the float limit once summed to inf and printed NaN as "JSON": refused."""
        text = (ROOT / "checklists" / "ketamine-consumer.toml").read_text("utf-8")
        big = tmp_path / "big.toml"
        big.write_text(text.replace("weight = 5", "weight = 1e308", 1), "utf-8")
        status, out, err = run(
            capsys, "score", EXAMPLES[1], "--checklist", str(big), "--format", "json"
        )
        assert (1, "") == (status, out)
        assert (
            f"ketacheck: {big}: sections[0].items[0].weight (line 207): must be at most "
            "1,000,000, got 1e+308\n"
        ) == err

    def test_bad_format(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown format is a usage error."""
        status, out, err = run(capsys, "score", WEEK1, "--format", "csv")
        assert (2, "") == (status, out)
        assert err.endswith(
            "argument --format: invalid choice: 'csv' (choose from 'text', 'markdown', 'json')\n"
        )


class TestCompare:
    """ketacheck compare RESPONSE.toml..."""

    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The example providers ranked in a plain table."""
        expected = """\
#  Provider                              Red flags  Cautions  Score  Band           Complete  Care model
1  Willow Path Psychotherapy Collective  0          0         98.0%  strong         100%      psychotherapy-integrated
2  Harborview Infusion Center            2          5         78.5%  weak (capped)  100%      medication-only
3  Nimbus Mind Telehealth                2          6         63.3%  weak (capped)  98%       therapy-supported

1. Willow Path Psychotherapy Collective: what cost it most
  - vascular-history-screen (unknown): lost 4 of 4 points.

2. Harborview Infusion Center: what cost it most
  - Band capped at "weak": with 2 red flags the band is at best "weak" (the
    points alone reach "adequate").
  - suicide-risk-check (no): lost 5 of 5 points.
  - mental-health-clinician (no): lost 4 of 4 points.
  - off-label-disclosure (no): lost 4 of 4 points.
  - crisis-plan (no): lost 3 of 3 points.
  - realistic-outcomes (They give little or no information): lost 3 of 3 points.

3. Nimbus Mind Telehealth: what cost it most
  - Band capped at "weak": with 2 red flags the band is at best "weak" (the
    points alone reach "adequate").
  - home-live-clinician (no): lost 5 of 5 points.
  - vascular-history-screen (no): lost 4 of 4 points.
  - home-after-hours-contact (no): lost 4 of 4 points.
  - stop-rule (no): lost 4 of 4 points.
  - interaction-review (unknown): lost 3 of 3 points.

Where they differ most (weighted points by rank)
  - suicide-risk-check: 5 points apart (1. 5, 2. 0, 3. 5)
  - mental-health-clinician: 4 points apart (1. 4, 2. 0, 3. 4)
  - vascular-history-screen: 4 points apart (1. 0, 2. 4, 3. 0)
  - off-label-disclosure: 4 points apart (1. 4, 2. 0, 3. 4)
  - stop-rule: 4 points apart (1. 4, 2. 4, 3. 0)
"""  # noqa: E501 - the table is wider than a line of code
        assert (0, expected, "") == run(capsys, "compare", *EXAMPLES)

    def test_markdown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A Markdown table."""
        expected = """\
| # | Provider | Red flags | Cautions | Score | Band | Complete | Care model |
| ---: | --- | ---: | ---: | ---: | --- | ---: | --- |
| 1 | Self-report, week 1 | 0 | 0 | 44.4% | - | 100% | undetermined |
| 2 | Self-report, week 4 | 0 | 0 | 11.1% | - | 90% | undetermined |

## 1. Self-report, week 1: what cost it most

- little-interest (Not at all): lost 3 of 3 points.
- appetite (Not at all): lost 3 of 3 points.
- self-harm-thoughts (Not at all): lost 3 of 3 points.
- feeling-down (Several days): lost 2 of 3 points.
- feeling-bad-about-self (Several days): lost 2 of 3 points.

## 2. Self-report, week 4: what cost it most

- little-interest (Not at all): lost 3 of 3 points.
- appetite (Not at all): lost 3 of 3 points.
- feeling-bad-about-self (Not at all): lost 3 of 3 points.
- concentration (unknown): lost 3 of 3 points.
- moving-speaking (Not at all): lost 3 of 3 points.

## Where they differ most (weighted points by rank)

- moving-speaking: 3 points apart (1. 3, 2. 0)
- tired: 2 points apart (1. 3, 2. 1)
- concentration: 2 points apart (1. 2, 2. 0)
- sleep: 1 point apart (1. 2, 2. 1)
- feeling-bad-about-self: 1 point apart (1. 1, 2. 0)
"""
        assert (0, expected, "") == run(
            capsys, "compare", WEEK4, WEEK1, "--checklist", PHQ9, "--format", "markdown"
        )

    def test_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        """CSV of the records, with a header row; None is an empty cell."""
        expected = """\
rank,provider,kind,points,max_points,percent,band,band_capped,red_flags,cautions,completeness,care_model,phase:general,cost_most
1,"Self-report, week 1",other,12,27,44.44444444444444,,False,0,0,1.0,undetermined,44.44444444444444,little-interest (lost 3 of 3); appetite (lost 3 of 3); self-harm-thoughts (lost 3 of 3); feeling-down (lost 2 of 3); feeling-bad-about-self (lost 2 of 3)
2,"Self-report, week 4",,3,27,11.11111111111111,,False,0,0,0.9,undetermined,11.11111111111111,little-interest (lost 3 of 3); appetite (lost 3 of 3); feeling-bad-about-self (lost 3 of 3); concentration (lost 3 of 3); moving-speaking (lost 3 of 3)
"""  # noqa: E501 - CSV rows are wider than a line of code
        assert (0, expected, "") == run(
            capsys, "compare", WEEK1, WEEK4, "--checklist", PHQ9, "--format", "csv"
        )

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """JSON: one object per provider in rank order, each with its rank."""
        status, out, err = run(capsys, "compare", *EXAMPLES, "--format", "json")
        assert (0, "") == (status, err)
        rows = json.loads(out)
        assert [1, 2, 3] == [r["rank"] for r in rows]
        first = score(response.read(EXAMPLES[1])).to_dict()
        assert {"rank": 1, **first} == rows[0]

    def test_profile(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A profile applies to every response."""
        status, out, _ = run(capsys, "compare", *EXAMPLES, "--profile", "symptom-relief")
        assert 0 == status
        assert out.splitlines()[1].startswith("1  Willow Path")

    def test_one_bad_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """One bad response stops the comparison with its problems."""
        status, out, err = run(capsys, "compare", EXAMPLES[0], BAD)
        assert (1, "") == (status, out)
        assert err.startswith(f"ketacheck: {BAD}: 2 problems\n")


class TestValidate:
    """ketacheck validate reads response files through ketacheck.response."""

    def test_examples(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every example is a valid response."""
        expected = "".join(f"{p}: valid response to ketamine-consumer 1.1.0\n" for p in EXAMPLES)
        assert (0, expected, "") == run(capsys, "validate", *EXAMPLES)

    def test_with_checklist(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--checklist gives the checklist a response answers."""
        expected = (0, f"{WEEK1}: valid response to phq-9 1.0.0\n", "")
        assert expected == run(capsys, "validate", WEEK1, "--checklist", PHQ9)

    def test_bad(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Problems are reported with exit 1."""
        status, out, err = run(capsys, "validate", BAD)
        assert (1, "") == (status, out)
        assert err.startswith(f"ketacheck: {BAD}: 2 problems\n")
