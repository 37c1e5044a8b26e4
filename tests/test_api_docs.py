# SPDX-License-Identifier: MIT
"""The tags of include/cenum.h that Doxygen cannot demand by itself.

Every public function's comment has @thread_safety, @pointer_lifetime and
@since; every documented top-level type and macro has @since; and what 0.2
added says @since 0.2. (Doxygen, run by the `docs` target with warnings as
errors, checks that everything is documented at all.)

usage: test_api_docs.py include/cenum.h
"""
import re
import sys

SINCE_0_2 = ["ce_windows_backend", "ce_backend", "ce_backend_fn",
             "ce_enum_backends", "transient_for", "focused", "instance",
             "backend"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    # Each /** ... */ block with the declaration that follows it.
    blocks = re.findall(r"/\*\*(.*?)\*/\s*\n(?=((?:[^\n]*\n){1,2}))", text,
                        re.S)
    functions = 0
    docs = {}
    for doc, after in blocks:
        function = re.match(r"CE_API [^(]*?\b(ce_\w+)\(", after)
        toplevel = re.match(r"(?:typedef (?:enum|struct) (\w+)|typedef \w+ "
                            r"\(\*(\w+)\)|#define (CE_\w+))", after)
        if function:
            functions += 1
            for tag in ("@thread_safety", "@pointer_lifetime", "@since"):
                check(tag in doc, "%s documents %s" % (function.group(1), tag))
            name = function.group(1)
        elif toplevel:
            name = next(g for g in toplevel.groups() if g)
            # CE_STATUS_ENUM_ is the X-macro's helper, undefined at once.
            check("@since" in doc or name.endswith("_"),
                  "%s documents @since" % name)
        else:
            # A field's own comment before it: "ce_windows_backend backend;"
            field = re.match(r"\s+[\w\s*]*?\b(\w+);", after)
            name = field.group(1) if field else None
        docs.setdefault(name, []).append(doc)
    # A name can be a 0.1 field of one struct and a 0.2 field of another
    # (ce_window.instance, ce_printer.instance): one of them says 0.2.
    for name in SINCE_0_2:
        check(any("@since 0.2" in doc for doc in docs.get(name, [])),
              "%s says @since 0.2" % name)
    check(functions >= 11, "the 11 public functions of 0.2 documented, found "
          "%d" % functions)
    if failures:
        print("%d failed" % len(failures), file=sys.stderr)
        return 1
    print("%d functions with every tag, %d blocks" % (functions, len(blocks)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
