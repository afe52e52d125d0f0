#!/usr/bin/env python3
"""docs/openapi.yaml against the routes http/server.cpp registers: the file
parses as YAML with no value lost to an unquoted ", " in a flow mapping, and
every route (method and path) the server answers is documented.

usage: check_openapi.py SOURCE_DIR"""
import re
import sys

import yaml

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def fail(message):
    print("check_openapi: " + message, file=sys.stderr)
    sys.exit(1)


def lost_values(node, path=""):
    """Keys whose value is null: "description: a, b" in a flow mapping makes
    "b" a key of its own."""
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None:
                yield "%s: %r" % (path, key)
            yield from lost_values(value, "%s/%s" % (path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from lost_values(value, "%s[%d]" % (path, i))


def template(pattern):
    """A route's regex as an OpenAPI path with its parameters unnamed:
    /api/plans/([^/]+)/records/(.+) → /api/plans/{}/records/{}."""
    pattern = re.sub(r"\((\[\^/\]\+|\.\+|\[A-Za-z0-9\]\+)\)", "{}", pattern)
    return pattern.replace("\\.", ".")


def routes(server_cpp):
    text = open(server_cpp, encoding="utf-8").read()
    path = r'(?:R"\((?P<raw>.*?)\)"|"(?P<plain>/[^"]*)")'
    found = set()
    for m in re.finditer(r'\b\w+\.(Get|Post|Put|Patch|Delete)\(\s*' + path, text):
        found.add((m.group(1).upper(), m.group("raw") or m.group("plain")))
    for m in re.finditer(r'\w+\(\s*"(%s)",\s*' % "|".join(METHODS) + path, text):
        found.add((m.group(1), m.group("raw") or m.group("plain")))
    out = set()
    for method, pattern in found:
        # /plans/([^/]+)/schedule\.(csv|xlsx): one path per alternative
        alternatives = re.search(r"\(([a-z|]+)\)$", pattern)
        if alternatives:
            for alt in alternatives.group(1).split("|"):
                out.add((method, template(pattern[:alternatives.start()] + alt)))
        else:
            out.add((method, template(pattern)))
    return out


def main():
    source = sys.argv[1]
    spec = yaml.safe_load(open(source + "/docs/openapi.yaml", encoding="utf-8"))
    lost = list(lost_values(spec))
    if lost:
        fail("values lost to an unquoted comma (quote them): " + "; ".join(lost))
    documented = set()
    for path, item in spec["paths"].items():
        for method in item:
            if method.upper() in METHODS:
                documented.add((method.upper(), re.sub(r"\{[^}]*\}", "{}", path)))
    served = routes(source + "/http/server.cpp")
    if len(served) < 20:
        fail("only %d routes read from http/server.cpp: the reader is out of date" % len(served))
    missing = sorted(served - documented)
    if missing:
        fail("routes not in docs/openapi.yaml: " + ", ".join("%s %s" % r for r in missing))
    print("check_openapi: %d routes documented" % len(served))


main()
