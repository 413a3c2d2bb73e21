"""`tasks validate`: the problems that make a tag inconsistent, and `--fix`."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from taskctl.core.models import Subtask, Task, as_int
from taskctl.core.settings import PRIORITIES, STATUSES
from taskctl.core.tagview import TagView
from taskctl.core.tasks.graph import (
    dependencies_without,
    dependency_graph,
    find_cycles,
    subtask_dep_keys,
    task_dep_keys,
)
from taskctl.core.tasks.ids import next_id, parse_ref, resolve


class Problem(msgspec.Struct, frozen=True):
    code: str
    task: str
    message: str
    fixable: bool


# A node of the dependency graph: a task's id, or a subtask's (task id, subtask id).
# Integer keys: no "N.M" string is built for a task that has no problem.
Node = int | tuple[int, int]
_STATUSES = frozenset(STATUSES)
_PRIORITIES = frozenset(PRIORITIES)
_NONE: tuple[Node, ...] = ()
_NO_EDGES: tuple[int, ...] = ()


class _Graph:
    """The dependency graph as `dependency_graph` builds it: the same nodes in the same
    order (the first of duplicate ids wins), numbered in that order.

    `wanted[n]`: node n's dependencies, as a task's file gives them (7, "7", "7.2")
    or, for a subtask, as nodes (its bare numbers need its siblings to read)."""

    def __init__(self) -> None:
        self.numbers: dict[Node, int] = {}
        self.nodes: list[Node] = []
        self.wanted: list[Sequence[Node | str]] = []


def validate(view: TagView) -> list[Problem]:
    """Problems that make a tag inconsistent, though still readable.

    Linear passes over integer keys: one over the tasks (field checks, duplicate ids,
    the graph's nodes), one over the dependencies (on itself, on nothing), and a
    depth-first search for cycles only when some dependency points forward in the
    file's order: when none does, that order is a topological one and there is no
    cycle. A string is built only for a problem. The problems, their order and their
    words are those of the reference in tests/test_validate.py, which a differential
    test holds this to."""
    problems: list[Problem] = []
    graph = _Graph()
    repeated = _scan_tasks(view.tasks, graph, problems)
    problems += [
        Problem("duplicate_id", str(tid), f"task id {tid} is used {repeated[tid]} times", True)
        for tid in sorted(repeated, key=graph.numbers.__getitem__)  # in the order first met
    ]
    if _check_dependencies(graph, problems):
        nodes = graph.nodes
        for cycle in _cycles(_edges(graph)):
            names = [_name(nodes[n]) for n in cycle]
            problems.append(
                Problem("cycle", names[0], f"dependency cycle: {' -> '.join(names)}", True)
            )
    return problems


def _scan_tasks(tasks: list[Task], graph: _Graph, problems: list[Problem]) -> dict[int, int]:
    """The pass over the tasks: field problems and repeated subtask ids, task by task;
    the graph's nodes. Returns how many tasks carry each repeated task id."""
    numbers, nodes, wanted = graph.numbers, graph.nodes, graph.wanted
    repeated: dict[int, int] = {}
    for task in tasks:
        tid = task.id if isinstance(task.id, int) else int(task.id)
        if (
            task.status not in _STATUSES
            or (task.priority is not None and task.priority not in _PRIORITIES)
            or not task.title.strip()
            or not (task.description or "").strip()
        ):
            _check_fields(problems, str(tid), task)
        number = len(nodes)
        if numbers.setdefault(tid, number) == number:
            nodes.append(tid)
            wanted.append(task.dependencies)
        else:
            repeated[tid] = repeated.get(tid, 1) + 1
        if task.subtasks:
            _scan_subtasks(tid, task.subtasks, graph, problems)
    return repeated


def _scan_subtasks(
    tid: int, subtasks: list[Subtask], graph: _Graph, problems: list[Problem]
) -> None:
    numbers, nodes, wanted = graph.numbers, graph.nodes, graph.wanted
    sids = [s.id if isinstance(s.id, int) else int(s.id) for s in subtasks]
    siblings: set[int] | None = None
    for sid, sub in zip(sids, subtasks, strict=True):
        if (
            sub.status not in _STATUSES
            or (sub.priority is not None and sub.priority not in _PRIORITIES)
            or not sub.title.strip()
        ):
            _check_fields(problems, f"{tid}.{sid}", sub)
        node = (tid, sid)
        number = len(nodes)
        if numbers.setdefault(node, number) == number:  # the first of duplicates wins
            nodes.append(node)
            if sub.dependencies:
                siblings = set(sids) if siblings is None else siblings
                wanted.append(_subtask_dep_nodes(tid, sub.dependencies, siblings))
            else:
                wanted.append(_NONE)
    if len(sids) > 1 and len(set(sids)) < len(sids):
        counts = dict.fromkeys(sids, 0)
        for sid in sids:
            counts[sid] += 1
        problems += [
            Problem(
                "duplicate_id", f"{tid}.{sid}", f"subtask id {tid}.{sid} is used {n} times", True
            )
            for sid, n in counts.items()
            if n > 1
        ]


def _dep_node(dep: str) -> Node:
    """A dependency written as a string: "7" is task 7, "7.2" subtask 2 of task 7."""
    task, dot, sub = dep.partition(".")
    return (int(task), int(sub)) if dot else int(task)


def _subtask_dep_nodes(tid: int, deps: list[int | str], siblings: set[int]) -> list[Node]:
    """A subtask's dependencies as nodes: a bare number is a sibling when the parent
    has such a subtask, else a task (`subtask_dep_keys`'s rule)."""
    out: list[Node] = []
    for dep in deps:
        if isinstance(dep, int) or "." not in dep:
            number = int(dep)
            out.append((tid, number) if number in siblings else number)
        else:
            out.append(_dep_node(dep))
    return out


def _check_dependencies(graph: _Graph, problems: list[Problem]) -> bool:
    """The pass over the dependencies, in the graph's order: reports those on the node
    itself or on a node that does not exist. Returns whether any points forward (to
    a node numbered after its own), without which there can be no cycle."""
    numbers = graph.numbers
    forward = False
    for number, deps in enumerate(graph.wanted):
        for dep in deps:
            target = numbers.get(_dep_node(dep) if isinstance(dep, str) else dep)
            if target is not None and target < number:
                continue  # the usual case: a dependency on an earlier task
            if target is None:
                name = _name(graph.nodes[number])
                problems.append(
                    Problem(
                        "missing_dependency",
                        name,
                        f"task {name} depends on {_name(_as_node(dep))}, which does not exist",
                        True,
                    )
                )
            elif target == number:
                name = _name(graph.nodes[number])
                problems.append(
                    Problem("self_dependency", name, f"task {name} depends on itself", True)
                )
            else:
                forward = True
    return forward


def _edges(graph: _Graph) -> list[Sequence[int]]:
    """Each node's dependencies as node numbers, without those on itself or on nothing."""
    numbers = graph.numbers
    edges: list[Sequence[int]] = []
    for number, deps in enumerate(graph.wanted):
        out: list[int] = []
        for dep in deps:
            target = numbers.get(_dep_node(dep) if isinstance(dep, str) else dep)
            if target is not None and target != number:
                out.append(target)
        edges.append(out or _NO_EDGES)
    return edges


def _cycles(edges: list[Sequence[int]]) -> list[list[int]]:
    """Every cycle closed by a back edge, as `find_cycles` finds them (the same starts,
    the same order of dependencies), in one iterative depth-first pass over numbers."""
    state = bytearray(len(edges))  # 0: not reached; 1: on the path; 2: done
    where = [0] * len(edges)  # a node's position on the path, while it is on it
    cycles: list[list[int]] = []
    for start, first in enumerate(edges):
        if state[start]:
            continue
        if not first:  # a node without dependencies closes no cycle
            state[start] = 2
            continue
        state[start] = 1
        path = [start]
        pending = [iter(first)]
        while pending:
            for dep in pending[-1]:
                seen = state[dep]
                if seen == 0 and not edges[dep]:
                    state[dep] = 2
                elif seen == 0:
                    state[dep] = 1
                    where[dep] = len(path)
                    path.append(dep)
                    pending.append(iter(edges[dep]))
                    break
                if seen == 1:
                    cycles.append([*path[where[dep] :], dep])
            else:
                state[path.pop()] = 2
                pending.pop()
    return cycles


def _as_node(dep: Node | str) -> Node:
    return _dep_node(dep) if isinstance(dep, str) else dep


def _name(node: Node) -> str:
    """How a node is written: "7" for a task, "7.2" for a subtask."""
    return str(node) if isinstance(node, int) else f"{node[0]}.{node[1]}"


def _check_fields(problems: list[Problem], key: str, item: Task | Subtask) -> None:
    if item.status not in STATUSES:
        problems.append(
            Problem("unknown_status", key, f"task {key} has unknown status {item.status!r}", False)
        )
    if item.priority is not None and item.priority not in PRIORITIES:
        problems.append(
            Problem(
                "unknown_priority", key, f"task {key} has unknown priority {item.priority!r}", False
            )
        )
    if not item.title.strip():
        problems.append(Problem("empty_title", key, f"task {key} has an empty title", False))
    if isinstance(item, Task) and not (item.description or "").strip():
        problems.append(
            Problem("empty_description", key, f"task {key} has an empty description", True)
        )


def fix(view: TagView) -> list[str]:
    """Repair what can be repaired; returns what was done, one line each."""
    done: list[str] = []
    done += _fix_duplicate_ids(view)
    for i, task in enumerate(list(view.tasks)):
        if not (task.description or "").strip() and task.title.strip():
            with view.editing(i) as item:
                item["description"] = task.title
            done.append(f"task {as_int(task.id)}: set the empty description to the title")
    done += _fix_bad_dependencies(view)
    graph = dependency_graph(view)
    for cycle in find_cycles(graph):
        owner, dep = cycle[-2], cycle[-1]
        _drop_dependency(view, owner, dep)
        done.append(
            f"task {owner}: removed dependency on {dep} (closed the cycle {' -> '.join(cycle)})"
        )
    return done


def _fix_duplicate_ids(view: TagView) -> list[str]:
    done = []
    seen: set[int] = set()
    top = next_id(view)
    for i, task in enumerate(list(view.tasks)):
        tid = as_int(task.id)
        if tid in seen:
            with view.editing(i) as item:
                item["id"] = top
            done.append(f"task at position {i + 1}: renumbered duplicate id {tid} to {top}")
            tid = top
            top += 1
        seen.add(tid)
        sub_ids = [as_int(s.id) for s in view.tasks[i].subtasks]
        if len(sub_ids) != len(set(sub_ids)):
            used: set[int] = set()
            free = max(sub_ids) + 1
            with view.editing(i) as item:
                for j, sid in enumerate(sub_ids):
                    if sid in used:
                        item["subtasks"][j]["id"] = free
                        done.append(
                            f"subtask {tid}.{sid} (position {j + 1}): renumbered to {tid}.{free}"
                        )
                        used.add(free)
                        free += 1
                    else:
                        used.add(sid)
    return done


def _fix_bad_dependencies(view: TagView) -> list[str]:
    done = []
    graph = dependency_graph(view)
    for node, deps in graph.items():
        for dep in deps:
            if dep == node or dep not in graph:
                _drop_dependency(view, node, dep)
                why = "itself" if dep == node else f"{dep}, which does not exist"
                done.append(f"task {node}: removed dependency on {why}")
    return done


def _drop_dependency(view: TagView, owner: str, dep: str) -> None:
    ref = parse_ref(owner)
    index, j = resolve(view, ref)
    task = view.tasks[index]
    keys = task_dep_keys(task) if j is None else subtask_dep_keys(task, task.subtasks[j])
    with view.editing(index) as item:
        target = item if j is None else item["subtasks"][j]
        target["dependencies"] = dependencies_without(target, keys, lambda k: k == dep)
