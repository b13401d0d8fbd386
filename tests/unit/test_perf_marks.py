"""Optimisations earn their place (docs/design.md, rule 12): every cache decorator in caseflow/ is marked with a
``# perf:`` comment, and every ``# perf:`` comment names bench/README.md and only figures that are written there."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = (ROOT / "bench" / "README.md").read_text(encoding="utf-8")
CACHE = re.compile(r"^\s*@(functools\.)?(lru_cache|cache)\b|=\s*(functools\.)?(lru_cache|cache)\(")
NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# Caches kept for a reason other than speed, by file and the function they decorate.
NOT_FOR_SPEED = {
    ("caseflow/services/accounts.py", "_dummy_hash"): "one hash per process, so that a login with an unknown "
    "e-mail costs one password check, as a known one does (a timing rule)",
}


def sources():
    for path in sorted((ROOT / "caseflow").rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8").splitlines()


def perf_comments():
    """Each ``# perf:`` comment with the comment lines that continue it: (file, line number, text)."""
    for name, lines in sources():
        for i, line in enumerate(lines):
            if "# perf:" in line:
                text = line.split("# perf:", 1)[1]
                for more in lines[i + 1:]:
                    if not more.strip().startswith("#"):
                        break
                    text += " " + more.strip().lstrip("#").strip()
                yield name, i + 1, text


def test_every_cache_decorator_is_marked_with_a_perf_comment_or_its_other_reason():
    found, unmarked = [], []
    for name, lines in sources():
        for i, line in enumerate(lines):
            if not CACHE.search(line):
                continue
            decorated = next((re.match(r"\s*def (\w+)", ln).group(1) for ln in lines[i + 1:i + 4]
                              if re.match(r"\s*def \w+", ln)), None)
            found.append((name, decorated))
            if (name, decorated) in NOT_FOR_SPEED:
                continue
            if not any("# perf:" in ln for ln in lines[max(i - 2, 0):i + 3]):
                unmarked.append(f"{name}:{i + 1} ({decorated})")
    assert found, "the scan found no cache at all: is the pattern still right?"
    assert not unmarked, f"caches without a '# perf:' comment naming their figure in bench/README.md: {unmarked}"
    assert set(NOT_FOR_SPEED) <= set(found), "NOT_FOR_SPEED lists a cache that is gone"


def test_every_perf_comment_names_a_figure_written_in_bench_readme():
    comments = list(perf_comments())
    assert len(comments) >= 3, "the gc pause, the breached filter's due bound and the holiday cache are marked"
    for name, line, text in comments:
        assert "bench/README.md" in text, f"{name}:{line}: a '# perf:' comment names where its figure is"
        figures = [n for n in NUMBER.findall(text) if len(n) >= 3]  # 0.16, 327, 2,202 (not "2" or "14")
        assert figures, f"{name}:{line}: a '# perf:' comment names its figure"
        missing = [n for n in figures if n not in BENCH]
        assert not missing, f"{name}:{line}: {missing} not in bench/README.md"
