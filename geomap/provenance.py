"""Who rests on whom: the independent origins behind a claim.

``rests_on`` in ``sources.csv`` names the sources a source repeats. An event's sources come down
to fewer independent origins when some repeat others: a cited source that rests (directly or
through others) on another cited source adds nothing; one that rests on a single chain counts as
that chain's origin; one that rests on several sources, none of them cited here, counts once,
since we cannot tell which of them this claim came from. The count never overstates
independence: three articles repeating one wire report count as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Graph = Mapping[str, tuple[str, ...]]


def find_cycle(graph: Graph) -> list[str] | None:
    """A cycle of ``rests_on`` as ``[a, b, …, a]``, or ``None``.

    >>> find_cycle({"a": ("b",), "b": ("a",), "c": ()})
    ['a', 'b', 'a']
    >>> find_cycle({"a": ("b",), "b": ()}) is None
    True
    """
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [start], [iter(graph.get(start, ()))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            elif not state.get(nxt) and nxt in graph:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph.get(nxt, ())))
    return None


def _ancestors(sid: str, graph: Graph) -> set[str]:
    found: set[str] = set()
    todo = list(graph.get(sid, ()))
    while todo:
        parent = todo.pop()
        if parent in graph and parent not in found:
            found.add(parent)
            todo.extend(graph.get(parent, ()))
    return found


def _origin(sid: str, graph: Graph) -> str:
    """The root of a single chain of ``rests_on`` from ``sid``; ``sid`` itself where the chain
    branches (several parents: which one this claim came from is unknown) or ends."""
    seen = {sid}
    while True:
        parents = [p for p in graph.get(sid, ()) if p in graph]
        if len(parents) != 1 or parents[0] in seen:
            return sid
        sid = parents[0]
        seen.add(sid)


def independent_origins(cited: Iterable[str], graph: Graph) -> int:
    """How many independent origins the cited sources come down to (``graph``: rests_on).

    >>> graph = {"blog": ("ap", "borges"), "ap": (), "borges": (), "digest": ("blog",),
    ...          "dialogo": ("farda", "caracol"), "farda": ("mehr",), "mehr": (), "caracol": ()}
    >>> independent_origins(["blog", "ap"], graph)  # the blog repeats AP, which is cited
    1
    >>> independent_origins(["digest"], graph)  # a single chain: its origin is the blog
    1
    >>> independent_origins(["dialogo"], graph), independent_origins(["dialogo", "farda"], graph)
    (1, 1)
    >>> independent_origins(["dialogo", "ap", "borges"], graph)
    3
    """
    cited = list(dict.fromkeys(cited))
    chosen = set(cited)
    roots = set()
    for sid in cited:
        if _ancestors(sid, graph) & chosen:
            continue
        roots.add(_origin(sid, graph))
    return len(roots)


# ---- rules (called by ``validate.check`` with its report) ----


def check_sources(report, table, sources_by_id: dict[str, int]):
    """``rests_on`` names known sources, never the source itself, and forms no cycle."""
    import difflib

    from .schema import split_list

    graph = {}
    for line, row in table.records():
        sid = row["id"].strip()
        parents = tuple(split_list(row.get("rests_on", "")))
        for parent in parents:
            if parent == sid:
                report.error(table, line, "rests_on", f"source {sid!r} rests on itself")
            elif parent not in sources_by_id:
                close = difflib.get_close_matches(parent, list(sources_by_id), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                report.error(table, line, "rests_on", f"unknown source {parent!r}{hint}")
        if sid:
            graph[sid] = tuple(p for p in parents if p != sid)
    cycle = find_cycle(graph)
    if cycle:
        line = sources_by_id.get(cycle[0], table.header_line)
        report.error(
            table, line, "rests_on",
            "sources rest on each other in a circle: " + " → ".join(cycle)
            + "; an origin must rest on nothing",
        )
        return None
    return graph


def check_citations(report, table, events_table, event_sources: dict[str, tuple[str, ...]]):
    """Every citation names an event and one of its sources, once, with a quote and a stance;
    every source of an event that has citations has one."""
    from .schema import CITATION_COLUMNS, STANCES

    if not _header(report, table, CITATION_COLUMNS):
        return
    seen: dict[tuple[str, str], int] = {}
    cited_events = set()
    for line, row in table.records():
        event, source = row["event"].strip(), row["source"].strip()
        if event not in event_sources:
            report.error(table, line, "event", f"unknown event {event!r}")
            continue
        cited_events.add(event)
        if source not in event_sources[event]:
            report.error(
                table, line, "source",
                f"{source!r} is not among the sources of event {event!r} in events.csv",
            )
        if (event, source) in seen:
            report.error(
                table, line, "source",
                f"{event!r} cites {source!r} already on line {seen[event, source]}",
            )
        seen.setdefault((event, source), line)
        if not row["quote"].strip():
            report.error(table, line, "quote", "empty; quote the source briefly and verbatim")
        stance = row["stance"].strip()
        if stance not in STANCES:
            report.error(
                table, line, "stance", f"stance {stance!r} is not one of {', '.join(STANCES)}"
            )
    quotes: dict[str, set[str]] = {}
    for row in table.rows:
        quotes.setdefault(row["event"].strip(), set()).add(" ".join(row["quote"].split()))
    rows = zip(events_table.lines, events_table.column("id"), events_table.column("evidence"),
               strict=True)
    for line, eid, evidence in rows:
        eid = eid.strip()
        if eid not in cited_events:
            continue
        evidence = " ".join(evidence.split())
        if evidence and evidence not in quotes.get(eid, ()):
            report.warn(
                events_table, line, "evidence",
                f"differs from every quote of event {eid!r} in {table.path.name}; "
                "make it one of them (it is their shorthand)",
                rule="evidence-not-quoted",
            )
        for source in event_sources.get(eid, ()):
            if (eid, source) not in seen:
                report.warn(
                    events_table, line, "sources",
                    f"source {source!r} of event {eid!r} has no quote in {table.path.name}",
                    rule="no-quote",
                )


def _header(report, table, columns) -> bool:
    missing = [c for c in columns if c not in table.header]
    for column in missing:
        report.error(table, table.header_line, column, f"missing column {column!r}")
    for column in table.header:
        if column not in columns:
            report.error(table, table.header_line, column or "-", f"unknown column {column!r}")
    return not missing
