#!/usr/bin/env python3
"""Module cycles: no crate of ours has two modules that depend on each other, however indirectly.

Each source file is a module (`src/a.rs` and `src/a/mod.rs` are `a`, `src/a/b.rs` is `a::b`). A
module depends on another when its production code (test modules cut off) names it by a
`crate::…` or `super::…` path, in a `use` tree or inline. A path resolves to the longest module
it starts with; a name the crate root re-exports (`pub use app::App`) resolves to the module it
comes from. `mod` declarations are not dependencies. Prints each crate's cycles (the strongly
connected components of more than one module) and exits 1 when there is one.

Usage: module_cycles.py [--report] [CRATE_DIR ...]  (default: every crate of the workspace)
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def crate_dirs():
    dirs = []
    for pattern in ("shared", "shared/*", "infra/*", "functions/*"):
        for d in sorted(ROOT.glob(pattern)):
            if (d / "Cargo.toml").is_file() and (d / "src").is_dir():
                dirs.append(d)
    return dirs


def module_of(src: Path, path: Path):
    rel = path.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod":
        parts.pop()
    if parts in (["lib"], ["main"]):
        return ()
    if parts[0] == "bin":
        return None  # binaries are crates of their own
    return tuple(parts)


def production_text(text: str) -> str:
    """The file without its comments, string literals and `#[cfg(test)]` modules."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+" + IDENT + r"\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def expand_use_tree(tree: str):
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e] (as lists of segments)."""
    tree = re.sub(r"\s+as\s+" + IDENT, "", tree)
    tree = re.sub(r"\s+", "", tree)
    paths = []

    def walk(prefix, s):
        depth, start, items = 0, 0, []
        for k, ch in enumerate(s):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(s[start:k])
                start = k + 1
        items.append(s[start:])
        for item in items:
            if not item:
                continue
            if "{" in item:
                head, rest = item.split("{", 1)
                walk(prefix + [p for p in head.split("::") if p], rest[: rest.rfind("}")])
            else:
                paths.append(prefix + [p for p in item.split("::") if p])

    walk([], tree)
    return paths


def references(text: str, here, children):
    """The module paths (absolute segment lists) a file's production code names. `children` are
    the names of the file's own submodules, which a bare path (`app::App`) may start with."""
    found = []
    for m in re.finditer(r"\buse\s+([^;]*);", text):
        for segments in expand_use_tree(m.group(1)):
            if segments and (segments[0] in ("crate", "super", "self") or segments[0] in children):
                found.append(segments if segments[0] not in children else ["self"] + segments)
    inline = re.sub(r"\buse\s+[^;]*;", "", text)
    for m in re.finditer(r"(?<![:\w])((?:crate|super|self)(?:\s*::\s*" + IDENT + r")+)", inline):
        found.append([p.strip() for p in m.group(1).split("::")])
    for m in re.finditer(r"(?<![:\w])(" + IDENT + r")\s*::\s*" + IDENT, inline):
        if m.group(1) in children:
            found.append(["self", m.group(1)])
    absolute = []
    for segments in found:
        if not segments:
            continue
        if segments[0] == "crate":
            absolute.append(segments[1:])
        elif segments[0] in ("super", "self"):
            base = list(here)
            rest = segments
            while rest and rest[0] in ("super", "self"):
                if rest[0] == "super" and base:
                    base.pop()
                rest = rest[1:]
            absolute.append(base + rest)
    return absolute


def strongly_connected(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def crate_cycles(crate: Path):
    src = crate / "src"
    modules, texts = {}, {}
    for path in sorted(src.rglob("*.rs")):
        module = module_of(src, path)
        if module is None:
            continue
        modules[module] = path
        texts[module] = production_text(path.read_text())
    # Names the crate root re-exports: `pub use a::b::Name;` makes `crate::Name` mean `a::b`.
    aliases = {}
    root_text = texts.get((), "")
    for m in re.finditer(r"\bpub\s+use\s+([^;]*);", root_text):
        for segments in expand_use_tree(m.group(1)):
            if segments and segments[0] not in ("crate", "self", "super"):
                aliases[segments[-1]] = segments
    graph = {m: set() for m in modules if m}
    for module, text in texts.items():
        if not module:
            continue
        children = {m[-1] for m in modules if len(m) == len(module) + 1 and m[:-1] == module}
        for segments in references(text, module, children):
            if len(segments) == 1 and segments[0] in aliases:
                segments = aliases[segments[0]]
            target = None
            for k in range(len(segments), 0, -1):
                if tuple(segments[:k]) in modules:
                    target = tuple(segments[:k])
                    break
            if target and target != module:
                graph[module].add(target)
    cycles = [sorted(c) for c in strongly_connected(graph) if len(c) > 1]
    return graph, cycles


def main(argv):
    report = "--report" in argv
    dirs = [ROOT / a for a in argv if not a.startswith("--")] or crate_dirs()
    failed = 0
    for crate in dirs:
        graph, cycles = crate_cycles(crate)
        name = crate.relative_to(ROOT)
        for cycle in cycles:
            failed += 1
            members = ", ".join("::".join(m) for m in cycle)
            print(f"module cycle in {name}: {len(cycle)} modules: {members}", file=sys.stderr)
            if report:
                for m in cycle:
                    inside = sorted("::".join(t) for t in graph[m] if t in cycle)
                    print(f"    {'::'.join(m)} -> {', '.join(inside)}", file=sys.stderr)
    if failed:
        print(f"module cycles: {failed} cycle(s) found", file=sys.stderr)
        return 1
    print(f"module cycles: none in {len(dirs)} crates")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
