#!/usr/bin/env python3
"""The dependency rule of engine/ (engine/README.md), checked on every source.

The layers and their order come from engine/CMakeLists.txt (TCPGRADE_LAYERS, then cli on top);
what each layer may use comes from its own CMakeLists.txt (the tcpgrade_* libraries its
target_link_libraries names). Fails when
  - a layer links a layer that is not below it,
  - a source includes a header by bare name ("report.h" instead of "report/report.h"),
  - a source includes a header of a layer its library does not link (directly or through a
    layer it links): upwards or sideways,
  - an included engine header does not exist.
Before the real tree it checks itself on a small tree with one planted fault of each kind, so a
rule that stops catching its fault fails the test too.
Usage: layering_test.py SOURCE_DIR
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
LINKS = re.compile(r'target_link_libraries\(\s*tcpgrade_(\w+)([^)]*)\)', re.S)


def layers_of(engine):
    text = open(os.path.join(engine, 'CMakeLists.txt')).read()
    found = re.search(r'set\(TCPGRADE_LAYERS([^)]*)\)', text)
    if not found:
        return None
    return found.group(1).split() + ['cli']


def check(engine):
    """Returns the list of violations in the engine tree at `engine`."""
    problems = []
    order = layers_of(engine)
    if not order:
        return [f'{engine}/CMakeLists.txt: no set(TCPGRADE_LAYERS ...)']
    rank = {layer: i for i, layer in enumerate(order)}
    direct = {}
    for layer in order:
        path = os.path.join(engine, layer, 'CMakeLists.txt')
        if not os.path.exists(path):
            problems.append(f'{path}: missing (each layer builds its own library)')
            direct[layer] = set()
            continue
        uses = set()
        for _, args in LINKS.findall(open(path).read()):
            uses |= set(re.findall(r'\btcpgrade_(\w+)', args))
        uses &= set(order)
        for used in sorted(uses):
            if rank[used] >= rank[layer]:
                problems.append(f'{path}: tcpgrade_{layer} links tcpgrade_{used}, '
                                f'which is not below it')
        direct[layer] = uses

    def reachable(layer, seen=None):
        seen = set() if seen is None else seen
        for used in direct.get(layer, ()):
            if used not in seen and rank[used] < rank[layer]:
                seen.add(used)
                reachable(used, seen)
        return seen

    for layer in order:
        allowed = reachable(layer) | {layer}
        if layer == 'cli':
            allowed = set(order)  # the executable sits on everything
        folder = os.path.join(engine, layer)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if not name.endswith(('.h', '.cc')):
                continue
            path = os.path.join(folder, name)
            text = open(path, encoding='utf-8', errors='replace').read()
            for included in INCLUDE.findall(text):
                where = f'{layer}/{name}: #include "{included}"'
                if '/' not in included:
                    problems.append(f'{where}: name its folder ("LAYER/{included}")')
                    continue
                target = included.split('/', 1)[0]
                if target not in rank:
                    continue  # not an engine header
                if not os.path.exists(os.path.join(engine, included)):
                    problems.append(f'{where}: no such header')
                elif target not in allowed:
                    direction = ('points upwards' if rank[target] > rank[layer] else
                                 'reaches a layer its library does not link')
                    problems.append(f'{where}: {direction} ({layer} may include '
                                    f'{", ".join(sorted(allowed))})')
    return problems


def self_test():
    """Each kind of fault, planted in a small tree, must be found."""
    faults = {
        'upwards': ('low/a.h', '#include "high/b.h"\n'),
        'bare': ('high/b.cc', '#include "b.h"\n'),
        'sideways': ('side/c.h', '#include "low/a.h"\n'),
        'links up': ('low/CMakeLists.txt', 'target_link_libraries(tcpgrade_low PUBLIC tcpgrade_high)\n'),
    }
    for kind, (fault_path, fault_text) in faults.items():
        with tempfile.TemporaryDirectory() as root:
            files = {
                'CMakeLists.txt': 'set(TCPGRADE_LAYERS low side high)\n',
                'low/CMakeLists.txt': 'add_library(tcpgrade_low STATIC a.cc)\n',
                'side/CMakeLists.txt': 'add_library(tcpgrade_side INTERFACE)\n',
                'high/CMakeLists.txt': 'target_link_libraries(tcpgrade_high PUBLIC tcpgrade_low)\n',
                'cli/CMakeLists.txt': '',
                'low/a.h': '#pragma once\n',
                'high/b.h': '#include "low/a.h"\n',
                'high/b.cc': '#include "high/b.h"\n',
                'side/c.h': '#pragma once\n',
            }
            if check_tree(root, files):
                return f'self-test: the clean tree is reported'
            files[fault_path] = fault_text
            if not check_tree(root, files):
                return f'self-test: a planted {kind} fault is not found'
    return None


def check_tree(root, files):
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, path)) or root, exist_ok=True)
        with open(os.path.join(root, path), 'w') as out:
            out.write(text)
    return check(root)


def main():
    failed = self_test()
    if failed:
        print(failed)
        return 1
    engine = os.path.join(sys.argv[1], 'engine')
    problems = check(engine)
    for problem in problems:
        print(problem)
    layers = layers_of(engine) or []
    print(f'layering: {len(layers)} layers ({" < ".join(layers)}), '
          f'{len(problems)} problem{"s" if len(problems) != 1 else ""}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
