"""A guard on the administration's code staying readable: no function grows back into one branch per kind of row
(the validation was once a single if/elif over every entity, with some fifty paths through it)."""
import ast
from pathlib import Path

MAX_BRANCHES = 12
CHECKED = [Path(__file__).resolve().parents[2] / "caseflow" / "services" / "admin.py"]


def branches(function: ast.AST) -> int:
    """Decision points in a function (nested ones included): each if/elif, conditional expression, loop, while,
    try, except clause and comprehension condition, and each extra operand of an ``and``/``or``."""
    count = 0
    for node in ast.walk(function):
        if isinstance(node, (ast.If, ast.IfExp, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.ExceptHandler)):
            count += 1
        elif isinstance(node, ast.comprehension):
            count += 1 + len(node.ifs)
        elif isinstance(node, ast.BoolOp):
            count += len(node.values) - 1
    return count


def too_branchy(path: Path) -> dict[str, int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {f"{path.name}:{node.name}": n for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (n := branches(node)) > MAX_BRANCHES}


def test_no_administration_function_has_more_than_a_dozen_branches():
    for path in CHECKED:
        assert too_branchy(path) == {}, f"split these into smaller functions (branches > {MAX_BRANCHES})"


def test_the_counter_sees_a_branch_per_entity():
    """The guard can fail: an if/elif over thirteen kinds of row is caught."""
    chain = "\n".join(f"    {'if' if i == 0 else 'elif'} entity == 'e{i}':\n        pass" for i in range(13))
    source = f"def validate(entity):\n{chain}\n"
    assert branches(ast.parse(source).body[0]) == 13
