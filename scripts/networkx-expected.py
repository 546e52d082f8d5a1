#!/usr/bin/env python3
"""Expected metric values for the graph engine's tests, computed by networkx (SPEC §6.2).

Writes fixtures/graphs/<name>.json: the graph (account ids as strings, edges as given, self-loops
included), the seeds, and networkx's values: PageRank without and with seeds, exact betweenness
on the undirected view. The tests compare the engine with these files; they need no Python.

Run again only when a graph changes:  python3 scripts/networkx-expected.py   (networkx >= 3)
"""
import json
import random
from pathlib import Path

import networkx as nx

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "graphs"
BASE = 1_700_000_000_000_000_000  # ids above 2**53, like X's


def account(i):
    return str(BASE + i)


def graphs():
    # Dangling nodes (E follows nobody), an isolated node (F), a cycle.
    yield "dangling", 6, [(0, 1), (1, 2), (2, 0), (3, 0), (0, 4), (3, 4)], [0]
    # Self-loops in the input: the engine drops them, so networkx sees the graph without them.
    yield "self-loops", 5, [(0, 0), (0, 1), (1, 1), (1, 2), (2, 0), (3, 3), (3, 2), (4, 3), (2, 4)], [1, 3]
    # Two parts that never meet, plus an isolated node; mutual edges.
    yield "disconnected", 9, [(0, 1), (1, 0), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (5, 6), (6, 5), (7, 6)], [4]
    rng = random.Random(20261123)
    n = 2000
    edges = set()
    while len(edges) < 9000:
        # Preferential targets: a few accounts are followed by many.
        u = rng.randrange(n)
        v = int(n * rng.random() ** 2.5)
        if u != v:
            edges.add((u, v))
    yield "random-2000", n, sorted(edges), [7, 42, 1999, 500, 3]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, n, edges, seeds in graphs():
        graph = nx.DiGraph()
        graph.add_nodes_from(account(i) for i in range(n))
        graph.add_edges_from((account(u), account(v)) for u, v in edges if u != v)
        personalization = {account(s): 1.0 for s in seeds}
        expected = {
            "pagerank": nx.pagerank(graph, alpha=0.85, tol=1e-14, max_iter=100_000),
            "pagerank_seeded": nx.pagerank(graph, alpha=0.85, personalization=personalization, tol=1e-14, max_iter=100_000),
            "betweenness": nx.betweenness_centrality(graph.to_undirected(), normalized=True),
        }
        document = {
            "generator": f"scripts/networkx-expected.py, networkx {nx.__version__}",
            "nodes": [account(i) for i in range(n)],
            "edges": [[account(u), account(v)] for u, v in edges],
            "seeds": [account(s) for s in seeds],
            "expected": expected,
        }
        (OUT / f"{name}.json").write_text(json.dumps(document, indent=None, separators=(",", ":")) + "\n")
        print(f"{name}: {n} nodes, {len(edges)} edges")


if __name__ == "__main__":
    main()
