#!/usr/bin/env python3
"""The docs check (`make test-docs`): README.md and every docs/*.md must hold up.

- Every relative link resolves to a file or directory inside the repository, and a link to a
  heading (`file.md#anchor`, `#anchor`) names a heading that exists there.
- Every code block marked `c` is compiled against include/ and the static library with
  warnings as errors; one with a `main` is linked and run and must exit 0.
- Every file with a code block marked `rust` is wired into the doctests of the core crate
  (an `include_str!` in core/src/lib.rs), so `cargo test` compiles and runs those blocks.

Usage: check_docs.py [--cc CC] [--lib path/to/libringcore.a] [--libs "-lpthread ..."]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), ".."))
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([^`\s]*)")
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+)")
INLINE_CODE = re.compile(r"`[^`]*`")


def doc_files():
    files = ["README.md"]
    for name in sorted(os.listdir(os.path.join(ROOT, "docs"))):
        if name.endswith(".md"):
            files.append(os.path.join("docs", name))
    return files


def split_blocks(text):
    """Yields ("text", line_no, line) for prose and ("code", line_no, lang, body) per block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            yield ("text", i + 1, lines[i])
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3)
        start = i + 1
        body = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            line = lines[i]
            body.append(line[len(indent):] if line.startswith(indent) else line)
            i += 1
        i += 1  # the closing fence
        yield ("code", start, info.lower(), "\n".join(body) + "\n")


def slug(heading):
    """The anchor GitHub gives a heading."""
    text = INLINE_CODE.sub(lambda m: m.group(0)[1:-1], heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        found = set()
        counts = {}
        with open(path, encoding="utf-8") as f:
            for kind, _, *rest in split_blocks(f.read()):
                if kind == "text" and rest[0].startswith("#"):
                    base = slug(rest[0].lstrip("#"))
                    n = counts.get(base, 0)
                    counts[base] = n + 1
                    found.add(base if n == 0 else f"{base}-{n}")
        cache[path] = found
    return cache[path]


def check_links(rel, text, errors):
    here = os.path.dirname(os.path.join(ROOT, rel))
    count = 0
    for kind, line_no, *rest in split_blocks(text):
        if kind != "text":
            continue
        line = INLINE_CODE.sub("", rest[0])
        targets = LINK.findall(line) + REF_LINK.findall(line)
        for target in targets:
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            count += 1
            where = f"{rel}:{line_no}: link {target!r}"
            path, _, anchor = target.partition("#")
            full = os.path.realpath(os.path.join(here, path)) if path else os.path.join(ROOT, rel)
            if os.path.isabs(path) or not (full == ROOT or full.startswith(ROOT + os.sep)):
                errors.append(f"{where} points outside the repository")
                continue
            if not os.path.exists(full):
                errors.append(f"{where}: no such file")
                continue
            if anchor and full.endswith(".md") and anchor not in anchors(full):
                errors.append(f"{where}: no heading with anchor #{anchor}")
    return count


def check_c(rel, line_no, body, args, errors, workdir):
    name = re.sub(r"\W", "_", rel) + f"_{line_no}"
    src = os.path.join(workdir, name + ".c")
    with open(src, "w", encoding="utf-8") as f:
        f.write(body)
    flags = [args.cc, "-Wall", "-Wextra", "-Werror", "-I", os.path.join(ROOT, "include")]
    has_main = re.search(r"\bint\s+main\s*\(", body) is not None
    if has_main:
        cmd = flags + ["-o", os.path.join(workdir, name), src, args.lib] + args.libs.split()
    else:
        cmd = flags + ["-c", "-o", os.path.join(workdir, name + ".o"), src]
    built = subprocess.run(cmd, capture_output=True, text=True)
    if built.returncode != 0:
        errors.append(f"{rel}:{line_no}: C block does not compile:\n{built.stderr}")
        return "failed"
    if not has_main:
        return "compiled"
    try:
        ran = subprocess.run([os.path.join(workdir, name)], capture_output=True, text=True,
                             timeout=30, cwd=ROOT)
    except subprocess.TimeoutExpired:
        errors.append(f"{rel}:{line_no}: C program did not finish in 30 s")
        return "failed"
    if ran.returncode != 0:
        errors.append(f"{rel}:{line_no}: C program exited with {ran.returncode}:\n"
                      f"{ran.stdout}{ran.stderr}")
        return "failed"
    return "ran"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cc", default=os.environ.get("CC", "cc"))
    parser.add_argument("--lib", default=os.path.join(ROOT, "target/release/libringcore.a"))
    parser.add_argument("--libs", default="-lutil -lrt -lpthread -lm -ldl -lc")
    args = parser.parse_args()
    with open(os.path.join(ROOT, "core/src/lib.rs"), encoding="utf-8") as f:
        doctested = set(re.findall(r'include_str!\("\.\./\.\./([^"]+)"\)', f.read()))

    errors = []
    links = 0
    c_counts = {"ran": 0, "compiled": 0, "failed": 0}
    rust_blocks = 0
    with tempfile.TemporaryDirectory() as workdir:
        for rel in doc_files():
            with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
                text = f.read()
            links += check_links(rel, text, errors)
            for kind, line_no, *rest in split_blocks(text):
                if kind != "code":
                    continue
                lang, body = rest
                lang = lang.split(",")[0]
                if lang == "c":
                    c_counts[check_c(rel, line_no, body, args, errors, workdir)] += 1
                elif lang == "rust":
                    rust_blocks += 1
                    if rel not in doctested:
                        errors.append(f"{rel}:{line_no}: Rust block, but {rel} is not "
                                      "included as doctests in core/src/lib.rs")
    for e in errors:
        print(f"docs: {e}", file=sys.stderr)
    print(f"docs: {len(doc_files())} files, {links} relative links, C blocks: "
          f"{c_counts['ran']} ran, {c_counts['compiled']} compiled; {rust_blocks} Rust blocks "
          f"(doctests of {', '.join(sorted(doctested))}); {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
