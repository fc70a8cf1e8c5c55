#!/usr/bin/env python3
"""split_wast.py OUT_DIR FILE.wast...: cuts spec scripts into small seeds, one per module with the
commands that follow it (the wast fuzz target runs a whole input; small inputs run fast)."""
import hashlib
import os
import sys


def top_level_forms(text):
    depth, start, i, n = 0, None, 0, len(text)
    while i < n:
        c = text[i]
        if c == ';' and text.startswith(';;', i):
            i = text.find('\n', i)
            i = n if i < 0 else i
            continue
        if c == '(' and text.startswith('(;', i):
            end = text.find(';)', i)
            i = n if end < 0 else end + 2
            continue
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == '\\' else 1
        elif c == '(':
            if depth == 0:
                start = i
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0 and start is not None:
                yield text[start:i + 1]
        i += 1


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[2:]:
        with open(path, encoding='utf-8', errors='replace') as f:
            forms = list(top_level_forms(f.read()))
        pieces, current = [], []
        for form in forms:
            if form.startswith('(module') and current:
                pieces.append(current)
                current = []
            current.append(form)
        if current:
            pieces.append(current)
        for piece in pieces:
            text = '\n'.join(piece) + '\n'
            if len(text) > 8192:  # the fuzzer's -max_len
                continue
            name = hashlib.sha1(text.encode()).hexdigest()[:16]
            with open(os.path.join(out, name + '.wast'), 'w', encoding='utf-8') as f:
                f.write(text)


main()
