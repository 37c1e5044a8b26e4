#!/bin/sh
# SPDX-License-Identifier: MIT
# The licence line of every source file: `SPDX-License-Identifier: MIT` in a
# comment of the file's language, on its first line, or on its second after
# a `#!` line.
#
#   sh tools/spdx.sh --check   list the files without it; exit 1 if any
#   sh tools/spdx.sh --fix     add it to each of them
#
# Source files: C and C++ (.c .h .cpp), Python, shell, CMake (.cmake,
# CMakeLists.txt, .cmake.in), pkg-config templates (.pc.in), roff manuals
# (.1), YAML workflows, the Doxyfile, debian/rules, and any other file that
# starts with `#!`. The tracked files when this is a git checkout, else the
# files under the tree (without build directories).
set -eu
cd "$(dirname "$0")/.."
mode=${1:-}
case "$mode" in
--check | --fix) ;;
*) echo "usage: sh tools/spdx.sh --check | --fix" >&2; exit 2 ;;
esac

tag="SPDX-License-Identifier: MIT"

files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files
  else
    find . \( -name .git -o -name 'build*' -o -name 'obj-*' \
      -o -path ./debian/tmp \) -prune -o -type f -print | sed 's|^\./||'
  fi
}

# The comment that carries the tag in $1, or nothing for a file that is not
# a source file.
comment_for() {
  case "$1" in
  *.c | *.h | *.cpp) echo "/* $tag */" ;;
  *.py | *.sh | *.cmake | */CMakeLists.txt | CMakeLists.txt | *.cmake.in | \
    *.pc.in | *.yml | *.yaml | */Doxyfile | debian/rules)
    echo "# $tag" ;;
  *.1) echo ".\\\" $tag" ;;
  *)
    if [ -f "$1" ] && head -c 2 "$1" | grep -q '^#!'; then
      echo "# $tag"
    fi
    ;;
  esac
}

# Whether $1 has the tag where it belongs: line 1, or line 2 after #!.
has_tag() {
  head -n 2 "$1" | grep -q "$tag"
}

missing=0
for file in $(files); do
  [ -f "$file" ] || continue
  comment=$(comment_for "$file")
  [ -n "$comment" ] || continue
  has_tag "$file" && continue
  if [ "$mode" = --check ]; then
    echo "$file: no '$tag' on its first line (or after #!)"
    missing=$((missing + 1))
    continue
  fi
  tmp="$file.spdx.$$"
  if head -c 2 "$file" | grep -q '^#!'; then
    { head -n 1 "$file"; echo "$comment"; tail -n +2 "$file"; } >"$tmp"
  else
    { echo "$comment"; cat "$file"; } >"$tmp"
  fi
  # Keep the file's mode (scripts stay executable).
  cat "$tmp" >"$file"
  rm -f "$tmp"
  echo "added: $file"
done

if [ "$mode" = --check ]; then
  if [ "$missing" -gt 0 ]; then
    echo "spdx: $missing source files lack the licence line; run" \
      "sh tools/spdx.sh --fix" >&2
    exit 1
  fi
  echo "spdx: every source file has '$tag'"
fi
