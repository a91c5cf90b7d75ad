"""The benchmark's results as a Markdown table and a PNG chart of the scale curves."""

from pathlib import Path


def ms(value: float) -> str:
    return f"{value:,.1f} ms"


def markdown(results: dict) -> str:
    """Tables of throughput, latencies and budgets, for the terminal and the docs."""
    lines = [
        f"Measured {results['when']} on {results['machine']}.",
        "",
        "| Throughput (wrk) | requests/s | p50 | p99 | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in results["throughput"]:
        lines.append(
            f"| {row['name']} | {row['requests_per_second']:,.0f} | {ms(row['p50_ms'])} "
            f"| {ms(row['p99_ms'])} | {row['errors']} |"
        )
    lines += [
        "",
        f"**Article page / baseline: {results['ratio']:.2f}× uncompressed, "
        f"{results['compressed_ratio']:.2f}× Brotli** against a baseline of as many bytes; "
        f"gzip per request (GZipMiddleware) / gzip stored once: "
        f"{results['per_request_gzip_ratio']:.2f}× "
        f"(medians of {results['rounds']} interleaved rounds; target ≥ 0.8×)",
        "",
        "| Bytes on the wire | uncompressed | gzip | Brotli | Brotli share |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {row['page']} | {row['identity']:,} | {row['gzip']:,} | {row['br']:,} "
            f"| {row['br'] / row['identity']:.0%} |"
            for row in results["wire"]
        ),
        "",
        "| Latency (sequential requests) | samples | p50 | p99 |",
        "|---|---:|---:|---:|",
    ]
    for row in results["latencies"]:
        lines.append(
            f"| {row['name']} | {len(row['samples_ms'])} | {ms(row['p50_ms'])} "
            f"| {ms(row['p99_ms'])} |"
        )
    lines += ["", "| Budget | target | measured | |", "|---|---|---|---|"]
    for row in results["budgets"]:
        verdict = "ok" if row["ok"] else ("not run" if row["ok"] is None else "**missed**")
        lines.append(f"| {row['what']} | {row['target']} | {row['measured']} | {verdict} |")
    if results.get("search_output"):
        lines += ["", "Search benchmark (bench/search_bench.py):", "", "```"]
        lines += [results["search_output"].rstrip(), "```"]
    return "\n".join(lines) + "\n"


def chart(results: dict, path: Path) -> None:
    """Three panels: article throughput and first-view time by sections, history by
    revisions (rendered and warm); log-scaled sizes, so a flat line means constant cost."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curves = results["curves"]
    figure, axes = plt.subplots(1, 3, figsize=(13, 4), constrained_layout=True)
    panels = [
        (axes[0], {"": curves["article_rps"]}, "Article page, warm", "requests/s", "sections"),
        (
            axes[1],
            {"": curves["article_first_view_ms"]},
            "Article page, first view",
            "ms",
            "sections",
        ),
        (axes[2], curves["history_ms"], "History page (p50)", "ms", "revisions"),
    ]
    colours = ["#1f5fa8", "#d17a00"]
    for axis, lines, title, unit, size in panels:
        for (label, curve), colour in zip(lines.items(), colours, strict=False):
            sizes = [int(key) for key in curve]
            axis.plot(sizes, list(curve.values()), marker="o", color=colour, label=label or None)
            for x, y in zip(sizes, curve.values(), strict=True):
                axis.annotate(f"{y:,.0f}", (x, y), textcoords="offset points", xytext=(0, 7))
        axis.set(title=title, xlabel=size, ylabel=unit, xscale="log", ylim=(0, None))
        axis.grid(alpha=0.3)
    axes[2].legend(loc="center right", fontsize="small")
    axes[0].axhline(
        results["baseline_rps"], color="#888", linestyle="--", label="constant-response baseline"
    )
    axes[0].axhline(
        0.8 * results["baseline_rps"], color="#c33", linestyle=":", label="0.8 × baseline"
    )
    axes[0].set_ylim(0, 1.1 * max(results["baseline_rps"], *curves["article_rps"].values()))
    axes[0].legend(loc="lower left", fontsize="small")
    figure.suptitle(f"MiitWiki on gunicorn ({results['machine']})", fontsize="medium")
    figure.savefig(path, dpi=110)
    plt.close(figure)
