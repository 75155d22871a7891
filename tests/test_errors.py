"""The error tree drawn in analysis.errors' docstring is the real one."""

import inspect
import re

import analysis.errors as errors


def _drawn_tree():
    """(class name, parent name) for every line of the drawn hierarchy."""
    lines = errors.__doc__.split("::", 1)[1].strip("\n").splitlines()
    stack, pairs = [], []
    margin = len(lines[0]) - len(lines[0].lstrip())
    for line in lines:
        name = re.search(r"\w+$", line).group()
        depth = (len(line) - len(line.lstrip(" │├└─")) - margin) // 4
        del stack[depth:]
        pairs.append((name, stack[-1] if stack else None))
        stack.append(name)
    return pairs


def test_docstring_draws_every_error_with_its_parent():
    classes = {
        name: cls
        for name, cls in vars(errors).items()
        if inspect.isclass(cls) and issubclass(cls, Exception)
    }
    drawn = dict(_drawn_tree())
    assert set(drawn) == {*classes, "ValueError"}
    for name, cls in classes.items():
        assert cls.__bases__[0].__name__ == drawn[name], name
        assert cls.__doc__, name
