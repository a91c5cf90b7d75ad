"""The layers drawn in docs/layers.svg are the code's: no module imports a layer
above its own, every module has a layer, and the picture is up to date."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "layers.py"


def test_no_module_imports_a_higher_layer_and_the_picture_is_current():
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_the_check_finds_an_upward_import(tmp_path, monkeypatch):
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import layers
    finally:
        sys.path.remove(str(SCRIPT.parent))
    low = tmp_path / "articles" / "citations.py"
    low.parent.mkdir()
    low.write_text("from articles.views import pages\n")
    (tmp_path / "articles" / "views").mkdir()
    (tmp_path / "articles" / "views" / "pages.py").write_text("from articles import citations\n")
    monkeypatch.setattr(layers, "ROOT", tmp_path)
    monkeypatch.setattr(layers, "PACKAGES", ("articles",))
    _, _, problems = layers.graph()
    assert problems == [
        "articles.citations (Pure text) imports articles.views.pages (Web), a higher layer"
    ]
