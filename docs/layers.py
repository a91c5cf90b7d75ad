"""The layers of MiitWiki, read from the code: `python docs/layers.py` draws
docs/layers.svg, `python docs/layers.py --check` fails when a module imports a
layer above its own, belongs to no layer, or the picture is out of date.

Each module of `articles/` and `miitwiki/` is put in a layer by the patterns
below; its imports are read with `ast` (nothing is imported), so the picture
shows what the code does, not what someone remembered to write down.
"""

import ast
import sys
from fnmatch import fnmatch
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "layers.svg"
PACKAGES = ("articles", "miitwiki")
# Lowest first. A module may import from its own layer and those below it.
LAYERS = (
    (
        "Pure text",
        [
            "articles.citations",
            "articles.diff",
            "articles.ids",
            "articles.anchors",
            "articles.languages",
            "articles.interchange.parsed",
            "articles.interchange.plain",
            "articles.interchange.references",
            "articles.interchange.markdown",
            "articles.interchange.bibliography",
            "articles.interchange.pandoc",
            "articles.interchange.wikitext",
            "articles.interchange.formats",
            "articles.interchange.cite",
            "articles.interchange.export",
            "articles.reliability",
            "articles.reliability.domains",
            "articles.checks",
            "articles.checks.addresses",
            "articles.checks.fetching",
            "articles.checks.quotes",
            "articles.checks.extraction",
        ],
    ),
    (
        "Search engines",
        [
            "articles.search",
            "articles.search.han",
            "articles.search.searched",
            "articles.search.query",
            "articles.search.snippets",
            "articles.search.postgres",
            "articles.search.fallback",
        ],
    ),
    (
        "Data",
        [
            "articles.models",
            "articles.reliability.models",
            "articles.stamps",
            "articles.permissions",
            "articles.translations",
            "articles.checks.models",
            "articles.checks.snapshots",
        ],
    ),
    (
        "Revisions",
        ["articles.revisions", "articles.interchange.lossless", "articles.interchange.writer"],
    ),
    ("Rendering", ["articles.bare_links", "articles.headings", "articles.rendering"]),
    (
        "Features",
        [
            "articles.debates",
            "articles.sources",
            "articles.maintenance",
            "articles.search.results",
            "articles.linked_data",
            "articles.reliability.warnings",
            "articles.claims",
            "articles.claims.passages",
            "articles.checks.running",
            "articles.checks.archive",
            "articles.checks.queue",
            "articles.checks.dashboard",
        ],
    ),
    (
        "Editing",
        [
            "articles.merging",
            "articles.forms",
            "articles.interchange.upload",
            "articles.admin",
            "articles.editor",
            "articles.reliability.admin",
            "articles.date_hierarchy",
            "articles.checks.actions",
        ],
    ),
    (
        "Web",
        [
            "articles.caching",
            "articles.views.*",
            "articles.feeds",
            "articles.sitemaps",
            "articles.urls",
            "articles.templatetags.*",
        ],
    ),
    ("API", ["articles.api.*"]),
    ("Commands", ["articles.management.commands.*"]),
    (
        "Project",
        ["articles.apps", "miitwiki.*"],
    ),
)
# Not code of any layer: migrations. Package markers with code (a package's
# __init__.py) count as the package itself; empty ones are left out.
IGNORED = ["articles.migrations", "articles.migrations.*"]


def has_code(path: Path) -> bool:
    body = ast.parse(path.read_text(), str(path)).body
    return any(not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
               for node in body)  # fmt: skip


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                if not has_code(path):
                    continue
                parts = parts[:-1]
            name = ".".join(parts)
            if not any(fnmatch(name, pattern) for pattern in IGNORED):
                found[name] = path
    return found


def layer_of(module: str) -> int | None:
    for index, (_, patterns) in enumerate(LAYERS):
        if any(fnmatch(module, pattern) for pattern in patterns):
            return index
    return None


def imports(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports (`from articles.x import y` counts x, or
    x.y when that is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found |= {name for name in names if name in known} or {node.module}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name in known}


def graph() -> tuple[dict[str, int], dict[str, set[str]], list[str]]:
    """Each module's layer, its imports, and the problems found."""
    found = modules()
    layers, problems = {}, []
    for module in found:
        layer = layer_of(module)
        if layer is None:
            problems.append(f"{module} is in no layer: add it to LAYERS in docs/layers.py")
        else:
            layers[module] = layer
    edges = {module: imports(path, set(layers)) - {module} for module, path in found.items()}
    for module, targets in edges.items():
        for target in sorted(targets):
            if module in layers and layers[target] > layers[module]:
                problems.append(
                    f"{module} ({LAYERS[layers[module]][0]}) imports {target} "
                    f"({LAYERS[layers[target]][0]}), a higher layer"
                )
    return layers, edges, problems


BOX_W, BOX_H, GAP, PER_ROW, LABEL_W = 150, 24, 10, 6, 90
SHORTER = ("articles.management.commands.", "articles.")


def label(module: str) -> str:
    return next((module.removeprefix(p) for p in SHORTER if module.startswith(p)), module)


def svg(layers: dict[str, int], edges: dict[str, set[str]]) -> str:
    """Bands, one per layer (lowest at the bottom), modules as boxes, imports as lines."""
    bands = [[m for m in sorted(layers) if layers[m] == index] for index in range(len(LAYERS))]
    heights = [GAP + -(-len(band) // PER_ROW) * (BOX_H + GAP) for band in bands]
    width = LABEL_W + PER_ROW * (BOX_W + GAP) + GAP
    height = sum(heights)
    place, tops, top = {}, [], height
    for band, band_height in zip(bands, heights, strict=True):
        top -= band_height
        tops.append(top)
        for n, module in enumerate(band):
            row, column = divmod(n, PER_ROW)
            place[module] = (
                LABEL_W + GAP + column * (BOX_W + GAP),
                top + GAP + row * (BOX_H + GAP),
            )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="#fff"/>',
    ]
    for index, ((name, _), top, band_height) in enumerate(zip(LAYERS, tops, heights, strict=True)):
        fill = "#f4f6f8" if index % 2 else "#e6ecf2"
        parts += [
            f'<rect x="0" y="{top}" width="{width}" height="{band_height}" fill="{fill}"/>',
            f'<text x="8" y="{top + band_height // 2 + 4}" font-weight="bold">'
            f"{escape(name)}</text>",
        ]
    for module in sorted(edges):
        for target in sorted(edges[module]):
            if module in place and target in place and layers[target] < layers[module]:
                (x1, y1), (x2, y2) = place[module], place[target]
                parts.append(
                    f'<line x1="{x1 + BOX_W // 2}" y1="{y1 + BOX_H}" x2="{x2 + BOX_W // 2}" '
                    f'y2="{y2}" stroke="#7a8ca0" stroke-opacity="0.35"/>'
                )
    for module, (x, y) in sorted(place.items()):
        parts += [
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="#fff" '
            'stroke="#34495e"><title>' + escape(module) + "</title></rect>",
            f'<text x="{x + BOX_W // 2}" y="{y + 16}" text-anchor="middle">'
            f"{escape(label(module))}</text>",
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv: list[str]) -> int:
    layers, edges, problems = graph()
    picture = svg(layers, edges)
    if "--check" in argv:
        if not PICTURE.exists() or PICTURE.read_text() != picture:
            problems.append("docs/layers.svg is out of date: run `make docs`")
        for problem in problems:
            sys.stderr.write(f"{problem}\n")
        return 1 if problems else 0
    PICTURE.write_text(picture)
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
