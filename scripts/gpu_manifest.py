#!/usr/bin/env python3
"""Turns the `gpu`-labelled ctests of a build into a manifest that scripts/gpu-check.sh runs
without ctest or cmake (a GPU machine has neither), and copies the files they read.

  gpu_manifest.py BUILD_DIR SOURCE_DIR BUNDLE_DIR

Reads `ctest --show-only=json-v1 -L gpu`, writes BUNDLE_DIR/check/manifest.tsv and copies every
file a test names into BUNDLE_DIR/check/{build,source}/ under its path relative to BUILD_DIR or
SOURCE_DIR (the parawasm binary itself is the bundle's bin/parawasm). One line per test, fields
separated by tabs, '-' for an empty field:

  name  environment(K=V,K=V)  expected-stdout  exit-status  stderr-regex  command words...

Paths inside fields are written @B@/... (build) and @S@/... (source); the runner substitutes.
Each example.*.gpu test also gets an example.*.device_gpu twin run with `--device gpu`.
Tests run by tests/*/check_output.cmake (COMMAND, EXPECTED or EXPECTED_TEXT, EXIT_CODE,
STDERR_MATCH) become the command itself with its expectations (an EXPECTED_TEXT written to a file
of the bundle); every other test is its command, expected to exit 0.
"""
import json
import os
import shutil
import subprocess
import sys


def main():
    build, source, bundle = (os.path.realpath(a) for a in sys.argv[1:4])
    out = subprocess.run(["ctest", "--test-dir", build, "-L", "gpu", "--show-only=json-v1"],
                         check=True, capture_output=True, text=True).stdout
    tests = json.loads(out)["tests"]
    cli = os.path.join(build, "parawasm")
    check = os.path.join(bundle, "check")
    os.makedirs(check, exist_ok=True)

    def place(path):
        """The bundle's name for a path, copying the file when it is one."""
        real = os.path.realpath(path) if os.path.isabs(path) else None
        if real == cli:
            return "@R@/bin/parawasm"
        for root, tag, sub in ((build, "@B@", "build"), (source, "@S@", "source")):
            if real and (real == root or real.startswith(root + os.sep)):
                rel = os.path.relpath(real, root)
                if os.path.isfile(real):
                    dst = os.path.join(check, sub, rel)
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    shutil.copy2(real, dst)
                return tag + "/" + rel
        return path

    def word(w):
        # A word may be KEY=PATH (an option or an environment entry).
        if "=" in w and not w.startswith("/"):
            k, v = w.split("=", 1)
            return k + "=" + place(v)
        return place(w)

    lines = []
    for t in tests:
        cmd = t.get("command") or []
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        env = [word(e) for e in props.get("ENVIRONMENT", [])]
        expected, status, stderr_re = "-", "0", "-"
        if len(cmd) > 2 and cmd[-2] == "-P" and cmd[-1].endswith("check_output.cmake"):
            defs = dict(a[2:].split("=", 1) for a in cmd[1:-2] if a.startswith("-D"))
            words = [word(w) for w in defs["COMMAND"].split("|")]
            if defs.get("EXPECTED"):
                expected = place(defs["EXPECTED"])
            elif "EXPECTED_TEXT" in defs:
                # the text becomes a file of the bundle
                rel = os.path.join("expected_text", t["name"] + ".stdout")
                os.makedirs(os.path.join(check, "build", "expected_text"), exist_ok=True)
                with open(os.path.join(check, "build", rel), "w") as f:
                    f.write(defs["EXPECTED_TEXT"].replace("\\n", "\n"))
                expected = "@B@/" + rel
            status = defs.get("EXIT_CODE", "0")
            stderr_re = defs.get("STDERR_MATCH") or "-"
        else:
            words = [word(w) for w in cmd]
        if "\t" in "".join(words + env) or not words:
            sys.exit(f"gpu_manifest.py: cannot express test {t['name']}")
        fields = [",".join(env) or "-", expected, status, stderr_re]
        lines.append("\t".join([t["name"]] + fields + words))
        # The examples also run with the device forced (`--device gpu`: no fallback to the CPU).
        if t["name"].startswith("example.") and t["name"].endswith(".gpu") and words[1] == "run":
            forced = words[:2] + ["--device", "gpu"] + words[2:]
            lines.append("\t".join([t["name"][:-4] + ".device_gpu"] + fields + forced))
    with open(os.path.join(check, "manifest.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"gpu_manifest.py: {len(lines)} gpu tests")


if __name__ == "__main__":
    main()
