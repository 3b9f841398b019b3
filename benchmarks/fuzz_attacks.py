"""Hostile shapes for the fuzzer (issue 18), each case run under a time-and-memory budget.

Every case runs in a forked child that measures its own wall time, CPU time and peak RSS
growth; a case over the budget (``--budget-seconds`` of CPU time, ``--budget-mb`` of RSS
growth: 2 s and 200 MB) is a failure like an exception, and so is one past ``--timeout`` of
wall time (a hang). CPU time, not wall time, is held to the 2 s: on a shared machine the wall
time of the same case varies threefold. The report gives the largest of each. The shapes are
the ones an attack found failures with:

* ``dotted``: a table name of 0-130 parts, then 1-20,000 dotted keys of 1-130 parts;
* ``bulk``: long arrays, inline tables, basic strings and keys, up to 5 MB;
* ``url``: malformed links (``https://[x``, schemes, spaces, random text) as a source URL
  and a provider's website;
* ``text``: notes and names with lone surrogates, bidirectional controls, control characters;
* ``csv``: provider names starting with formula characters or holding a carriage return;
* ``template``: a template folder with a link out of it, included by name;
* ``special``: a named pipe, a folder, ``/dev/zero`` and ``/dev/null`` given as files;
* ``link``: a response saved through a symbolic link, and through ``sub/../``;
* ``long name``: response names of 240-255 bytes of one- to four-byte characters.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from fuzz_cases import RESPONSES, OutcomeError, run_cli
from hypothesis import strategies as st

from ketacheck import response
from ketacheck.exceptions import KetacheckError
from ketacheck.files import checklist as checklist_io
from ketacheck.rendering.csv import FORMULA_STARTS
from ketacheck.rendering.html import environment

KINDS: Final = ("dotted", "bulk", "url", "text", "csv", "template", "special", "link", "long name")
URLS: Final = ("https://[x", "http://[::1", "https://", "javascript:alert(1)", "http://a b")


def _rss_mb() -> float:
    with Path("/proc/self/statm").open() as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def budgeted(case: Callable[[], str], seconds: float, megabytes: float) -> str:
    """Run *case* in a forked child; its outcome, or OutcomeError when over the budget."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, measure, report, exit without cleanup handlers
        os.close(read)
        base, wall, cpu = _rss_mb(), time.perf_counter(), time.process_time()
        try:
            outcome, detail = case(), ""
        except OutcomeError as e:
            outcome, detail = "FAILURE " + e.signature, e.detail
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            outcome, detail = f"FAILURE {type(e).__name__}", str(e)[:300]
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
        report = [outcome, detail, time.perf_counter() - wall, time.process_time() - cpu, grown]
        os.write(write, json.dumps(report).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    result, detail, wall, cpu, grown = json.loads(data)
    outcome = str(result)
    if outcome.startswith("FAILURE "):
        raise OutcomeError(outcome.removeprefix("FAILURE "), detail)
    for n, value in enumerate((wall, cpu, grown)):
        LARGEST[n] = max(LARGEST[n], (value, outcome))
    if cpu > seconds or grown > megabytes:
        raise OutcomeError(
            "over budget", f"{outcome}: {wall:.2f} s wall, {cpu:.2f} s CPU, +{grown:.0f} MB"
        )
    return outcome


LARGEST: Final[list[tuple[float, str]]] = [(0.0, ""), (0.0, ""), (0.0, "")]
"""The largest wall time, CPU time and RSS growth of any attack case, with its outcome."""


def largest() -> list[str]:
    """Lines for the report: the largest wall time, CPU time and RSS growth of a case."""
    (wall, w), (cpu, c), (grown, g) = LARGEST
    return [
        f"  wall time   {wall:7.2f} s   ({w})",
        f"  CPU time    {cpu:7.2f} s   ({c})",
        f"  RSS growth  {grown:7.0f} MB  ({g})",
    ]


def draw(data: st.DataObject) -> bytes:
    """One hostile case, as JSON bytes: its kind and its parameters."""
    kind = data.draw(st.sampled_from(KINDS), label="attack")
    params: dict[str, Any] = {"kind": kind}
    if kind == "dotted":
        params.update(
            table=data.draw(st.integers(0, 130)),
            parts=data.draw(st.integers(1, 130)),
            keys=data.draw(st.integers(1, 20_000)),
        )
    elif kind == "bulk":
        params.update(
            shape=data.draw(st.sampled_from(["1,", "{},", '"",', '"x" * 60,', "k = 1\n"])),
            size=data.draw(st.integers(1, 5_000_000)),
        )
    elif kind in ("url", "text", "csv"):
        alphabet = st.characters(exclude_categories=["Cs"]) | st.sampled_from(
            ["\ud800", "\udce9", "\u202e", "\u2066", "\x1b", "\r", "\t", *FORMULA_STARTS]
        )
        prefix = data.draw(st.sampled_from(["", *URLS, *FORMULA_STARTS]))
        params["text"] = prefix + data.draw(st.text(alphabet, max_size=40))
    elif kind == "long name":
        params.update(
            char=data.draw(st.sampled_from(["a", "é", "日", "😀"])),
            bytes=data.draw(st.integers(240, 255)),
        )
    return json.dumps(params, ensure_ascii=True).encode()


def run_attack(raw: bytes, limit: float) -> str:
    """Run the case *raw* describes; its outcome, or OutcomeError."""
    params = json.loads(raw)
    work = Path(tempfile.mkdtemp(prefix="attack-"))
    try:
        return ATTACKS[params["kind"]](params, work, limit)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _loaded(text: str, work: Path, limit: float) -> str:
    try:
        checklist_io.loads(text, source="attack.toml")
    except KetacheckError as e:
        outcome = type(e).__name__
    else:
        outcome = "loaded"
    path = work / "attack.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    status, _ = run_cli(["validate", str(path)], "", limit)
    return f"{outcome}, validate exit {status}"


def _dotted(p: dict[str, Any], work: Path, limit: float) -> str:
    header = "[" + ".".join(["h"] * p["table"]) + "]\n" if p["table"] else ""
    key = ".".join(["a"] * (p["parts"] - 1))
    lines = [f"k{n}{'.' if key else ''}{key} = 1\n" for n in range(p["keys"])]
    text = "schema = 1\n" + header + "".join(lines)
    return _loaded(text[: 5 * 1024 * 1024 - 1], work, limit)


def _bulk(p: dict[str, Any], work: Path, limit: float) -> str:
    shape = p["shape"]
    if shape.startswith('"x" * 60'):
        shape = '"' + "x" * 60 + '",'
    body = shape * (p["size"] // len(shape))
    if shape.endswith("\n"):
        body = "".join(f"k{n} = 1\n" for n in range(p["size"] // 8))
        return _loaded(("schema = 1\n" + body)[: 5 * 1024 * 1024 - 1], work, limit)
    return _loaded(f"schema = 1\nx = [{body}]\n"[: 5 * 1024 * 1024 - 1], work, limit)


def _url(p: dict[str, Any], work: Path, limit: float) -> str:
    text = (RESPONSES[0]).read_text(encoding="utf-8")
    url = json.dumps(p["text"], ensure_ascii=True)
    path = work / "r.toml"
    path.write_text(text.replace("[provider]\n", f"[provider]\nwebsite = {url}\n", 1))
    outcomes = [str(run_cli(argv, "", limit)[0]) for argv in (["validate", str(path)],)]
    try:
        response.Provider(name="x", website=p["text"])
    except KetacheckError:
        outcomes.append("refused")
    return "url: " + ",".join(outcomes)


def _text(p: dict[str, Any], work: Path, _limit: float) -> str:
    filled = response.read(RESPONSES[0])
    item = filled.checklist.items[0].id
    try:
        filled.set_note(item, p["text"] or None)
        filled.provider = response.Provider(name=p["text"] or "x")
    except KetacheckError:
        return "text refused"
    path = work / "r.toml"
    response.save(filled, path)
    if response.read(path) != filled:
        raise OutcomeError("text round trip", repr(p["text"]))
    return "text saved"


def _csv(p: dict[str, Any], work: Path, limit: float) -> str:
    filled = response.read(RESPONSES[0])
    try:
        filled.provider = response.Provider(name=p["text"] or "x")
    except KetacheckError:
        return "name refused"
    path = work / "r.toml"
    response.save(filled, path)
    status, out = run_cli(["compare", str(path), str(RESPONSES[0]), "--format", "csv"], "", limit)
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    if len(rows) != 3 or any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row):
        raise OutcomeError("csv: a formula or an extra row", repr(p["text"]))
    return f"csv exit {status}"


def _template(_p: dict[str, Any], work: Path, limit: float) -> str:
    folder = work / "templates"
    folder.mkdir()
    secret = work / "secret.txt"
    secret.write_text("SECRET-7f3a")
    (folder / "out").symlink_to(work)
    (folder / "blank.html.j2").write_text("{% include 'out/secret.txt' %}")
    status, out = run_cli(["print", "quick-screen", "--template-dir", str(folder)], "", limit)
    if b"SECRET-7f3a" in out:
        raise OutcomeError("template: read through a link", str(folder))
    environment(folder)  # the folder itself is accepted
    return f"template exit {status}"


def _special(_p: dict[str, Any], work: Path, limit: float) -> str:
    fifo = work / "pipe.toml"
    os.mkfifo(fifo)
    statuses = [
        run_cli(argv, "q\n", limit)[0]
        for path in (fifo, work, Path("/dev/zero"), Path("/dev/null"))
        for argv in (["validate", str(path)], ["interview", "-o", str(path)])
    ]
    if any(s not in (1, 2) for s in statuses):
        raise OutcomeError("special file accepted", str(statuses))
    return "special files refused"


def _link(_p: dict[str, Any], work: Path, _limit: float) -> str:
    (work / "real").mkdir()
    target, link = work / "real" / "r.toml", work / "r.toml"
    response.save(response.read(RESPONSES[0]), target)
    link.symlink_to(target)
    filled = response.read(link)
    filled.set_note(filled.checklist.items[0].id, "through the link")
    response.save(filled, work / "real" / ".." / "r.toml")
    if not link.is_symlink() or response.read(target) != filled:
        raise OutcomeError("link: not saved through", str(link))
    return "saved through the link"


def _long_name(p: dict[str, Any], work: Path, _limit: float) -> str:
    size = len(p["char"].encode())
    name = p["char"] * ((p["bytes"] - 5) // size)
    name += "x" * (p["bytes"] - 5 - len(name.encode())) + ".toml"
    filled = response.read(RESPONSES[0])
    response.save(filled, work / name)
    with contextlib.suppress(FileNotFoundError):
        response.save(filled, work / name)
    if response.read(work / name) != filled:
        raise OutcomeError("long name round trip", name)
    return "long name saved"


ATTACKS: Final[dict[str, Callable[[dict[str, Any], Path, float], str]]] = {
    "dotted": _dotted,
    "bulk": _bulk,
    "url": _url,
    "text": _text,
    "csv": _csv,
    "template": _template,
    "special": _special,
    "link": _link,
    "long name": _long_name,
}


if __name__ == "__main__":  # pragma: no cover - run through fuzz.py
    sys.exit("run benchmarks/fuzz.py --only attacks")
