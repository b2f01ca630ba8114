"""Reading catalogue YAML while keeping the line of every key, so problems can name it."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Loc = tuple[str | int, ...]
# libyaml's parser keeps the same line marks and is several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DOCUMENT = "(document)"


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class YamlDocument:
    """The plain data of a YAML file and the node tree it was built from."""

    data: Any
    root: Node | None

    def line_of(self, loc: Loc) -> int:
        """The line of the key (or list item) at loc, or of the nearest parent that exists."""
        if self.root is None:
            return 1
        node, line = self.root, self.root.start_mark.line + 1
        for part in loc:
            if isinstance(node, MappingNode):
                # The last duplicate wins, as in the constructed data.
                matches = [(k, v) for k, v in node.value if _is_key(k, part)]
                if not matches:
                    break
                key, node = matches[-1]
                line = key.start_mark.line + 1
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line


def _is_key(node: Node, part: str | int) -> bool:
    return isinstance(node, ScalarNode) and node.value == str(part)


def read_yaml(text: str) -> YamlDocument:
    """Parse one YAML document with the safe loader; raise YamlSyntaxError with its line."""
    loader = _Loader(text)
    root = None
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        message = f"YAML syntax error: {_describe(error)}"
        raise YamlSyntaxError(_error_line(error), message) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(1, f"YAML syntax error: {error}") from None
    except ValueError as error:
        # The safe loader raises ValueError for impossible dates such as 2023-02-30.
        line = _bad_timestamp_line(loader, root)
        raise YamlSyntaxError(line, f"unreadable value: {error}") from None
    finally:
        loader.dispose()
    return YamlDocument(data=data, root=root)


def _error_line(error: yaml.MarkedYAMLError) -> int:
    # Something left open (a quote, a bracket) is found only at the end of the file, but
    # is fixed where it was opened: the context mark.
    at_end = "end of stream" in (error.problem or "")
    mark = (error.context_mark if at_end else None) or error.problem_mark or error.context_mark
    return mark.line + 1 if mark else 1


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [error.context, error.problem]
    return "; ".join(part for part in parts if part) or "cannot parse"


def _bad_timestamp_line(loader: Any, root: Node | None) -> int:
    for node in _nodes(root):
        if isinstance(node, ScalarNode) and node.tag.endswith(":timestamp"):
            try:
                loader.construct_yaml_timestamp(node)
            except ValueError:
                return node.start_mark.line + 1
    return 1


def _nodes(node: Node | None) -> Iterator[Node]:
    if node is None:
        return
    yield node
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _nodes(key)
            yield from _nodes(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _nodes(item)


def duplicate_keys(node: Node | None, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Keys given twice in one mapping, which YAML would otherwise resolve silently."""
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else None
            if name is not None and name in seen:
                yield (*loc, name), f"key '{name}' is given twice; the first value would be lost"
            if name is not None:
                seen.add(name)
            yield from duplicate_keys(value, (*loc, name) if name is not None else loc)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from duplicate_keys(item, (*loc, index))


def dotted(loc: Loc) -> str:
    """A loc as a field path: requirements[2].indicators[0].text."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or DOCUMENT
