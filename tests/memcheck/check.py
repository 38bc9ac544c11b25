#!/usr/bin/env python3
"""Checks a memcheck run's XML against the expectations in the test's source.

usage: check.py SRC VARIANT TOOL XMLDIR VALUES

SRC's comment lines (see README.md in this folder):
  memcheck: variants=O0,O2,static args=A,B opt=--x opt=--y exit=N signal=N
  expect KIND key=value ...     one error (or leak record, fatal signal, client message)
  value NAME=N [tool=ue]        a number the program wrote to $MC_VALUES
and markers /* @NAME */ on the lines stacks name (main@NAME).
The XML files are XMLDIR/mc.PID.xml: one per process (a fork or exec child
writes its own). Every error must be expected, except still-reachable
records allocated outside the test's own source (the C library's)."""
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

SKIP_TOP = {"__kernel_vsyscall", "_dl_sysinfo_int80"}


def fail(msgs):
    for m in msgs:
        print(m)
    sys.exit(1)


def parse_source(src):
    markers, expects, values = {}, [], []
    with open(src, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for no, line in enumerate(lines, 1):
        for m in re.finditer(r"/\*\s*@(\w+)\s*\*/", line):
            markers[m.group(1)] = no
        m = re.match(r"\s*(?:/\*|\*|//)\s*(expect|value)\s+(.*?)\s*(?:\*/)?\s*$", line)
        if not m:
            continue
        words = shlex.split(m.group(2))
        if m.group(1) == "value":
            values.append((no, dict(w.split("=", 1) for w in words)))
        else:
            exp = {"kind": words[0], "_line": no}
            for w in words[1:]:
                k, _, v = w.partition("=")
                exp[k] = v
            expects.append(exp)
    return markers, expects, values


demangled = {}


def demangle(names):
    todo = sorted({n for n in names if n.startswith("_Z") and n not in demangled})
    if todo:
        try:
            out = subprocess.run(["c++filt"], input="\n".join(todo), capture_output=True,
                                 text=True, check=True).stdout.split("\n")
            demangled.update(zip(todo, out))
        except (OSError, subprocess.CalledProcessError):
            pass


def norm_fn(fn):
    """One name for a function's aliases: __libc_malloc, __GI___libc_free -> malloc, free."""
    fn = demangled.get(fn, fn)
    fn = re.sub(r"^__GI_", "", fn).lstrip("_")
    fn = re.sub(r"^libc_", "", fn)
    return re.sub(r"@.*$", "", fn)


def frames(stack):
    out = []
    for fr in stack.findall("frame"):
        out.append((fr.findtext("fn") or "???", fr.findtext("file") or "",
                    int(fr.findtext("line") or 0)))
    return out


class Proc:
    def __init__(self, path):
        root = ET.parse(path).getroot()
        self.path = path
        self.pid = int(root.findtext("pid") or -1)
        self.ppid = int(root.findtext("ppid") or -1)
        self.finished = any(s.findtext("state") == "FINISHED" for s in root.findall("status"))
        self.items = []     # (kind, element)
        for el in root:
            if el.tag == "error":
                self.items.append((el.findtext("kind"), el))
            elif el.tag == "fatal_signal":
                self.items.append(("fatal", el))
            elif el.tag == "clientmsg":
                self.items.append(("clientmsg", el))
        self.counts = {}
        for pair in root.findall("errorcounts/pair"):
            self.counts[pair.findtext("unique")] = int(pair.findtext("count"))
        names = [fr[0] for _, el in self.items for st in el.findall("stack") for fr in frames(st)]
        demangle(names)


def text_of(kind, el):
    if kind == "clientmsg":
        return el.findtext("text") or ""
    return el.findtext("what") or el.findtext("xwhat/text") or ""


def match_stack(want, stack, markers, src_base):
    """want: 'f1|f2@M|*'; the stack's top frames (past the vDSO) must match."""
    got = frames(stack)
    while got and norm_fn(got[0][0]) in SKIP_TOP:
        got = got[1:]
    toks = want.split("|")
    if len(got) < len(toks):
        return False
    for tok, (fn, file, line) in zip(toks, got):
        name, _, mark = tok.partition("@")
        if name != "*" and norm_fn(fn) != norm_fn(name):
            return False
        if mark:
            want_file, _, mark = mark.rpartition(":")
            want_file = want_file or src_base
            if os.path.basename(file) != want_file or line != markers[want_file].get(mark, -1):
                return False
    return True


def show_stack(stack):
    return "|".join("%s%s" % (demangled.get(fn, fn), "@%s:%d" % (os.path.basename(f), l) if f else "")
                    for fn, f, l in frames(stack))


def describe(kind, el):
    stacks = el.findall("stack")
    return "%s %r %s" % (kind, text_of(kind, el).strip()[:100],
                          " / ".join(show_stack(s) for s in stacks))


def matches(exp, kind, el, proc, markers, src_base):
    if exp["kind"] != kind:
        return False
    text = text_of(kind, el)
    if "what" in exp and exp["what"] not in text:
        return False
    if "re" in exp and not re.search(exp["re"], text):
        return False
    if "size" in exp and not re.search(r"of size %s\b" % re.escape(exp["size"]), text):
        return False
    aux = [a.text or "" for a in el.findall("auxwhat")]
    for key, idx in (("aux", 0), ("aux2", 1)):
        if key in exp and (len(aux) <= idx or exp[key] not in aux[idx]):
            return False
    stacks = el.findall("stack")
    for key, idx in (("stack", 0), ("stack2", 1), ("stack3", 2)):
        if key in exp and (len(stacks) <= idx or
                           not match_stack(exp[key], stacks[idx], markers, src_base)):
            return False
    for key, tag in (("bytes", "xwhat/leakedbytes"), ("blocks", "xwhat/leakedblocks"),
                     ("signo", "signo")):
        if key in exp and el.findtext(tag) != exp[key]:
            return False
    if "count" in exp:
        uniq = el.findtext("unique")
        if proc.counts.get(uniq, 1) != int(exp["count"]):
            return False
    return True


def library_reachable(kind, el, src_base):
    """A still-reachable block the program's own code did not allocate."""
    if kind != "Leak_StillReachable":
        return False
    return not any(os.path.basename(f) == src_base
                   for st in el.findall("stack") for _, f, _ in frames(st))


def main():
    src, variant, tool, xmldir, values_path = sys.argv[1:6]
    src_base = os.path.basename(src)
    own, expects, values = parse_source(src)
    markers = {src_base: own}   # by file: "fn@MARK" or "fn@other.c:MARK"
    errs = []
    for exp in expects:
        for key in ("stack", "stack2", "stack3"):
            for tok in exp.get(key, "").split("|"):
                f, _, mark = tok.partition("@")[2].rpartition(":")
                f = f or src_base
                if f not in markers:
                    path = os.path.join(os.path.dirname(src), f)
                    markers[f] = parse_source(path)[0] if os.path.exists(path) else {}
                if mark and mark not in markers[f]:
                    errs.append("%s:%d: no marker /* @%s */ in %s" % (src_base, exp["_line"], mark, f))
    if errs:
        fail(errs)

    files = sorted(f for f in os.listdir(xmldir) if re.match(r"mc\.\d+\.xml$", f))
    if not files:
        other = sorted(os.listdir(xmldir))
        fail(["no XML output (expected %s/mc.PID.xml: --xml-file's %%p is the pid)%s" % (
            xmldir, "; found " + ", ".join(other) if other else "")])
    procs = []
    for f in files:
        try:
            procs.append(Proc(os.path.join(xmldir, f)))
        except ET.ParseError as e:
            fail(["%s: not well-formed XML: %s" % (f, e)])
    pids = {p.pid for p in procs}
    mains = [p for p in procs if p.ppid not in pids]
    if len(mains) != 1:
        fail(["%d XML files look like the main process's (pid/ppid)" % len(mains)])
    main_proc = mains[0]
    children = [p for p in procs if p is not main_proc]

    for p in procs:
        if not p.finished:
            errs.append("%s: no FINISHED status (output cut short)" % os.path.basename(p.path))

    for exp in expects:
        if "variants" in exp and variant not in exp["variants"].split(","):
            continue
        if "tool" in exp and exp["tool"] != tool:
            continue
        want_procs = children if exp.get("proc") == "child" else [main_proc]
        if exp.get("proc") == "child" and not children:
            errs.append("line %d: expected a child process's XML file, found none" % exp["_line"])
            continue
        found = False
        for p in want_procs:
            for i, (kind, el) in enumerate(p.items):
                if el is not None and matches(exp, kind, el, p, markers, src_base):
                    p.items[i] = (kind, None)   # matched: not again
                    found = True
                    break
            if found:
                break
        if not found:
            errs.append("line %d: expected, not found: expect %s" % (
                exp["_line"], " ".join("%s=%s" % kv if kv[0] != "kind" else kv[1]
                                       for kv in exp.items() if kv[0] != "_line")))
    for p in procs:
        who = "main" if p is main_proc else "child %d" % p.pid
        for kind, el in p.items:
            if el is None or library_reachable(kind, el, src_base):
                continue
            errs.append("unexpected (%s): %s" % (who, describe(kind, el)))

    got = {}
    if os.path.exists(values_path):
        with open(values_path) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                got.setdefault(k, []).append(v)
    # pid=N, child_pid=N (fork.c): the processes' own pids name their files.
    for v in got.get("pid", []):
        if int(v) != main_proc.pid:
            errs.append("the program's pid is %s, the main XML file says %d" % (v, main_proc.pid))
    for v in got.get("child_pid", []):
        if int(v) not in {p.pid for p in children}:
            errs.append("no XML file of the child with pid %s" % v)
    for no, val in values:
        if "tool" in val and val.pop("tool") != tool:
            continue
        for k, v in val.items():
            if got.get(k) is None:
                errs.append("line %d: value %s not written" % (no, k))
            elif any(g != v for g in got[k]):
                errs.append("line %d: value %s=%s, expected %s" % (no, k, ",".join(got[k]), v))
    if errs:
        fail(errs)


if __name__ == "__main__":
    main()
