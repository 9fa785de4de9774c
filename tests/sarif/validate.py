#!/usr/bin/python3
"""Validates SARIF files against the SARIF 2.1.0 JSON schema.

usage: validate.py SCHEMA FILE...   (exit 0: all valid; 1: some invalid)

Debian's python3-jsonschema (draft-04, as the schema declares) with every
format the schema uses checked: uri and uri-reference by rfc3987 (Debian's
python3-rfc3987), date-time by RFC 3339's grammar here, since Debian 12 has
no package for jsonschema's own date-time checker. A missing checker is an
error, not a silent pass."""
import json
import re
import sys

import jsonschema

RFC3339 = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$")


def format_checker():
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time")
    def date_time(value):
        return not isinstance(value, str) or bool(RFC3339.match(value))

    for needed in ("uri", "uri-reference", "date-time"):
        if needed not in checker.checkers:
            sys.exit(f"validate.py: no checker for format {needed!r} (install python3-rfc3987)")
    return checker


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema, format_checker=format_checker())
    bad = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:20]:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"{path}: /{where}: {e.message}")
        bad += bool(errors)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
