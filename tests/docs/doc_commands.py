#!/usr/bin/env python3
"""Runs the commands the README and docs/ show, so that what they claim cannot drift (issue 16).

    doc_commands.py --repo DIR --build DIR [--rust] [--list] [FILE.md ...]

Every line of a ```sh / ```console block that starts with `build/parawasm` or `sdk/bin/` (or a
`VAR=value` prefix before one) is run with bash in a scratch directory that looks like the
repository (its top-level folders linked in, `build` linked to the build tree). A line
`$ COMMAND` followed by output lines is a transcript: the command's stdout and stderr together
must equal those lines. Any other command must exit with status 0.

Placeholders the docs use for the reader's own files (app.wasm, lib.wat, ...) are replaced by
small stand-ins (PLACEHOLDERS below); a command that names a file that exists neither in the
repository, nor in the build tree, nor as a placeholder, fails the test: a renamed example makes
the docs wrong. Lines with usage syntax (`[options]`, `...`), the set-up commands
(./scripts/..., ctest: CI runs those) and the benchmarks (their own commands, minutes long)
are not run. Lines ending in a backslash continue on the next line.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# Placeholder in the docs -> the file that stands in for it (relative to the repository).
PLACEHOLDERS = {
    "app.wasm": "tests/docs/app.wat",
    "server.wasm": "tests/docs/app.wat",
    "lib.wat": "tests/docs/lib.wat",
    "lib.wasm": "tests/docs/lib.wat",
    "pthreads.wasm": "tests/threads/return_main_busy.wat",
    "kernel.wasm": "examples/wat/vector_add_kernel.wat",
    "module.wasm": "examples/wat/vector_add_kernel.wat",
    "prog.c": "examples/openmp/pi.c",
    "spin.wasm": "tests/docs/spin.wat",
}
# Text replaced before running: a fixed port could be taken on the machine running the tests.
REWRITES = {"127.0.0.1:8080": "127.0.0.1:0"}
# Files commands create (outputs), so their absence before the run is fine.
OUTPUT_WORDS = {"trace.json", "stencil.json", "prog.wasm"}
RUN_PREFIXES = ("build/parawasm", "sdk/bin/")
SKIP_PATTERNS = [r"\[", r"\.\.\.", r"^\./scripts/", r"^ctest", r"^bench/", r"^mpirun"]


def default_files(repo):
    files = [os.path.join(repo, "README.md"), os.path.join(repo, "sdk", "README.md")]
    docs = os.path.join(repo, "docs")
    files += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    return files


def blocks(text):
    """Yields the lines of each shell code block."""
    for m in re.finditer(r"^```(sh|console|bash|shell)\n(.*?)^```", text, re.S | re.M):
        yield m.group(2).splitlines()


def commands(path):
    """Yields (line number, command, expected transcript or None)."""
    text = open(path, encoding="utf-8").read()
    for lines in blocks(text):
        i = 0
        while i < len(lines):
            line = lines[i].rstrip()
            i += 1
            transcript = line.startswith("$ ")
            cmd = line[2:] if transcript else line
            while cmd.endswith("\\") and i < len(lines):
                cmd = cmd[:-1] + " " + lines[i].strip()
                i += 1
            expected = None
            if transcript:
                out = []
                while i < len(lines) and not lines[i].startswith("$ "):
                    out.append(lines[i])
                    i += 1
                expected = "\n".join(out).strip()
            yield cmd.strip(), expected


def strip_comment(cmd):
    """The command without a trailing `# comment` (a # after a blank, outside quotes)."""
    quote = None
    for i, c in enumerate(cmd):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and i > 0 and cmd[i - 1].isspace():
            return cmd[:i].rstrip()
    return cmd


def runnable(cmd):
    body = re.sub(r"^([A-Z_]+=\S+\s+)+", "", cmd)
    if not body.startswith(RUN_PREFIXES):
        return False
    return not any(re.search(p, cmd) for p in SKIP_PATTERNS)


def missing_files(cmd, repo, build):
    """Words of the command that look like files and exist nowhere."""
    missing = []
    for word in shlex.split(cmd):
        word = word.rsplit("=", 1)[-1]  # VAR=file, --extern name=file
        if "/" not in word and not re.search(r"\.(wasm|wat|wast|c|rs|json)$", word):
            continue
        if word.startswith("-") or ":" in word or "*" in word or word.startswith("/tmp/"):
            continue
        if word in PLACEHOLDERS or word in OUTPUT_WORDS:
            continue
        if word.startswith("build/"):
            if not os.path.exists(os.path.join(build, word[len("build/"):])):
                missing.append(word)
        elif not os.path.exists(os.path.join(repo, word)):
            missing.append(word)
    return missing


def prepare(scratch, repo, build):
    for entry in os.listdir(repo):
        if entry in ("build", ".git") or entry.startswith("."):
            continue
        os.symlink(os.path.join(repo, entry), os.path.join(scratch, entry))
    os.symlink(build, os.path.join(scratch, "build"))
    os.mkdir(os.path.join(scratch, "data"))
    os.mkdir(os.path.join(scratch, "tmp"))


def substitute(cmd, scratch, repo):
    words = []
    for word in shlex.split(cmd):
        if word in PLACEHOLDERS:
            word = os.path.join(repo, PLACEHOLDERS[word])
        for old, new in REWRITES.items():
            word = word.replace(old, new)
        words.append(word.replace("/tmp/", scratch + "/tmp/"))
    return " ".join(shlex.quote(w) if not re.search(r"[*]", w) else w for w in words)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--rust", action="store_true", help="also run the rustc commands")
    ap.add_argument("--list", action="store_true", help="only list what would run")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    repo, build = os.path.abspath(args.repo), os.path.abspath(args.build)
    files = args.files or default_files(repo)
    env = dict(os.environ)
    # Debian's rustc (with the wasm32 targets) before a rustup one.
    env["PATH"] = "/usr/bin:" + env.get("PATH", "")
    failures = ran = 0
    with tempfile.TemporaryDirectory(prefix="pw-docs.") as scratch:
        prepare(scratch, repo, build)
        for path in files:
            rel = os.path.relpath(path, repo)
            for raw, expected in commands(path):
                cmd = strip_comment(raw)
                rust = "rustc" in cmd or cmd.endswith(".rs") or "_rs.wasm" in cmd
                if not runnable(cmd) and not (args.rust and rust and cmd.startswith(("rustc", "WP_"))):
                    continue
                if rust and not args.rust:
                    continue
                gone = missing_files(cmd, repo, build)
                if gone:
                    print(f"FAIL {rel}: {raw}\n  names files that do not exist: {', '.join(gone)}")
                    failures += 1
                    continue
                line = substitute(cmd, scratch, repo)
                if args.list:
                    print(f"{rel}: {line}")
                    continue
                ran += 1
                proc = subprocess.run(["bash", "-c", line], cwd=scratch, env=env, timeout=600,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                output = proc.stdout.strip()
                if expected is not None:
                    ok = output == expected
                    why = f"output:\n{output}\nexpected:\n{expected}"
                else:
                    ok = proc.returncode == 0
                    why = f"exit status {proc.returncode}; output:\n{output[-2000:]}"
                print(f"{'ok  ' if ok else 'FAIL'} {rel}: {raw}")
                if not ok:
                    print("  " + why.replace("\n", "\n  "))
                    failures += 1
    print(f"{ran} commands run, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
