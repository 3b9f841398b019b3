"""examples/tutorial.ipynb runs top to bottom in a real Jupyter kernel, without any error."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from ipykernel.kernelspec import write_kernel_spec
from nbclient import NotebookClient

from ketacheck import response

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "examples" / "tutorial.ipynb"


@pytest.fixture
def kernel(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ``python3`` kernelspec running this interpreter, found before any other one."""
    jupyter = tmp_path_factory.mktemp("jupyter")
    write_kernel_spec(jupyter / "kernels" / "python3")  # argv: sys.executable -m ipykernel
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # silences jupyter_core's path notice
    return "python3"


def _read(path: Path) -> Any:
    """The notebook at *path* (nbformat's functions are untyped)."""
    return nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]


def _execute(notebook: nbformat.NotebookNode, folder: Path, kernel: str) -> None:
    client = NotebookClient(
        notebook,
        kernel_name=kernel,
        timeout=600,  # a safety net against a hung kernel, not a speed requirement
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()


def _outputs(notebook: nbformat.NotebookNode) -> str:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            texts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


class TestTutorial:
    """The tutorial notebook executes cleanly and does what it says."""

    def test_committed_without_outputs(self) -> None:
        """The committed notebook has no outputs or execution counts."""
        notebook = _read(TUTORIAL)
        nbformat.validate(notebook)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert [([], None)] * len(code) == [(c.outputs, c.execution_count) for c in code]

    @pytest.mark.slow
    def test_runs(self, tmp_path: Path, kernel: str) -> None:
        """Every cell runs; both providers are saved, scored, compared and plotted."""
        shutil.copytree(ROOT / "examples", tmp_path, dirs_exist_ok=True)
        notebook = _read(tmp_path / "tutorial.ipynb")
        _execute(notebook, tmp_path, kernel)
        birch = response.read(tmp_path / "birch.toml")
        cedar = response.read(tmp_path / "cedar.toml")
        assert ("Birch KAP Practice", "Cedar Infusion Center") == (
            birch.provider.name,
            cedar.provider.name,
        )
        assert ("im", "sublingual") == birch.answers["routes"]
        assert {"integration-offered": "Two integration sessions after each dose."} == dict(
            birch.notes
        )
        text = _outputs(notebook)
        assert "IV questions shown: False\nIM questions shown: True\n" in text
        assert "care model psychotherapy-integrated" in text
        assert "care model medication-only" in text
        assert (
            "Red flags (1), dealbreakers:\n- realistic-outcomes (They promise a cure or guaranteed "
            "results): "
            "Promising a cure is not honest"
        ) in text
        assert "  1. 'Birch KAP Practice': " in text
        images = [
            output
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if "image/png" in output.get("data", {})
        ]
        assert 1 == len(images)

    @pytest.mark.slow
    def test_runs_without_matplotlib_or_pandas(self, tmp_path: Path, kernel: str) -> None:
        """Without matplotlib and pandas the plot and the table are skipped, with a note."""
        shutil.copytree(ROOT / "examples", tmp_path, dirs_exist_ok=True)
        notebook = _read(tmp_path / "tutorial.ipynb")
        hide = "import sys\nfor name in ('matplotlib', 'matplotlib.pyplot', 'pandas'):\n"
        hide += "    sys.modules[name] = None\n"
        notebook.cells.insert(0, nbformat.v4.new_code_cell(hide))  # type: ignore[no-untyped-call]
        _execute(notebook, tmp_path, kernel)
        text = _outputs(notebook)
        assert (
            "matplotlib is not installed, so there is no plot (pip install matplotlib).\n" in text
        )
        assert "pandas is not installed; the records are plain dicts: [{'rank': 1," in text
