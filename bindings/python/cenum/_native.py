# SPDX-License-Identifier: MIT
"""The C side of the binding: where libcenum is, the ctypes layouts of
<cenum.h> and the prototypes of its functions.

Nothing here is public; the package's __init__ turns it into Python.
"""
import ctypes
import ctypes.util
import os
import sys
from typing import Iterator, Optional

# The status codes of CE_STATUS_MAP and the callbacks' answers.
CE_OK = 0
CE_STOPPED = 1
CE_CONTINUE = 0
CE_STOP = 1

_HERE = os.path.dirname(os.path.abspath(__file__))
_NAME = "cenum.dll" if sys.platform == "win32" else "libcenum.so.0"


def _installed_dir() -> Optional[str]:
    """The library's directory recorded by `cmake --install`, which writes
    _location.py beside this file (a pip-installed package has none)."""
    try:
        from . import _location  # type: ignore[attr-defined]
    except ImportError:
        return None
    return os.path.normpath(os.path.join(_HERE, _location.LIBRARY_DIR))


def _candidates() -> Iterator[str]:
    # The package directory (a copy that carries its library) and the
    # directory the installation put the library in. A path is tried only
    # when the file is there, so a stale entry costs nothing.
    for directory in (_HERE, _installed_dir()):
        if directory is not None:
            path = os.path.join(directory, _NAME)
            if os.path.exists(path):
                yield path
    # The system's search: the loader's path (LD_LIBRARY_PATH, ld.so.cache)
    # on Linux. On Windows, Python 3.8 and later no longer search PATH for a
    # bare DLL name, so find_library (which does) gives the full path.
    if sys.platform == "win32":
        found = ctypes.util.find_library("cenum")
        if found:
            yield found
    yield _NAME


def load() -> ctypes.CDLL:
    """Loads libcenum: CENUM_LIBRARY when set (and then only it: a library
    asked for by name that does not load is an error, not a reason to take
    another), else the candidates above in order."""
    explicit = os.environ.get("CENUM_LIBRARY")
    if explicit:
        try:
            return ctypes.CDLL(explicit)
        except OSError as e:
            raise ImportError("cenum: CENUM_LIBRARY=%s does not load: %s"
                              % (explicit, e)) from e
    errors = []
    for candidate in _candidates():
        try:
            return ctypes.CDLL(candidate)
        except OSError as e:
            errors.append("%s: %s" % (candidate, e))
    raise ImportError("cenum: %s not found (set CENUM_LIBRARY to its path); "
                      "tried %s" % (_NAME, "; ".join(errors)))


# --------------------------------------------------------------- layouts --
# The records and queries exactly as <cenum.h> declares them, fields in
# order. C bool is c_bool (one byte on every ABI cenum supports); enums are
# int-sized; every string is read through c_void_p so that ctypes never
# converts (or frees) what the library owns.

c_size_t = ctypes.c_size_t
c_str = ctypes.c_void_p


class Font(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("family", c_str), ("style", c_str),
                ("fullname", c_str), ("postscript_name", c_str),
                ("path", c_str), ("index", ctypes.c_int),
                ("weight", ctypes.c_int), ("width", ctypes.c_int),
                ("slant", ctypes.c_int), ("monospace", ctypes.c_bool),
                ("scalable", ctypes.c_bool), ("format", c_str)]


class FontQuery(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("timeout_ms", ctypes.c_uint),
                ("cancel", ctypes.POINTER(ctypes.c_int)),
                ("family", ctypes.c_char_p),
                ("monospace_only", ctypes.c_bool)]


class Window(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("id", ctypes.c_uint64),
                ("title", c_str), ("class_name", c_str),
                ("instance", c_str), ("pid", ctypes.c_int64),
                ("exe", c_str), ("x", ctypes.c_int), ("y", ctypes.c_int),
                ("width", ctypes.c_int), ("height", ctypes.c_int),
                ("desktop", ctypes.c_int), ("visible", ctypes.c_bool),
                ("minimized", ctypes.c_bool), ("managed", ctypes.c_bool),
                # 0.2
                ("transient_for", ctypes.c_uint64),
                ("focused", ctypes.c_bool)]


class WindowQuery(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("timeout_ms", ctypes.c_uint),
                ("cancel", ctypes.POINTER(ctypes.c_int)),
                ("visible_only", ctypes.c_bool),
                ("apps_only", ctypes.c_bool),
                ("x11_display", ctypes.c_void_p),
                # 0.2
                ("backend", ctypes.c_int),
                # 0.2, after backend
                ("fields", ctypes.c_uint64)]


class Printer(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("name", c_str), ("info", c_str),
                ("location", c_str), ("make_model", c_str), ("uri", c_str),
                ("is_default", ctypes.c_bool), ("state", ctypes.c_int),
                ("state_message", c_str),
                ("state_reasons", ctypes.POINTER(c_str)),
                ("state_reason_count", c_size_t),
                ("accepting", ctypes.c_bool), ("shared", ctypes.c_bool),
                ("discovered", ctypes.c_bool),
                # 0.2
                ("instance", c_str)]


class PrinterQuery(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("timeout_ms", ctypes.c_uint),
                ("cancel", ctypes.POINTER(ctypes.c_int)),
                ("include_discovered", ctypes.c_bool)]


class Backend(ctypes.Structure):
    _fields_ = [("size", c_size_t), ("kind", c_str), ("name", c_str),
                ("available", ctypes.c_bool), ("detail", c_str)]


# The first field of each record newer than 0.1: a record whose `size` does
# not reach it is a 0.1 record. Below that size a record is not cenum's.
FIRST_NEW_FIELD = {Font: None, Window: "transient_for",
                   Printer: "instance", Backend: None}


def smallest_size(record_type) -> int:
    """The size of the 0.1 fields of a record type (all of it when it has
    no newer field)."""
    first = FIRST_NEW_FIELD[record_type]
    if first is None:
        return ctypes.sizeof(record_type)
    return getattr(record_type, first).offset


def copy_record(record_type, address: int):
    """A copy of the record at `address`, made inside the callback (the
    record is valid only there).

    CE_HAS_FIELD's rule, for every field at once: a field is the library's
    when the record's `size` reaches its end. The copy takes the first
    min(size, sizeof) bytes into a zeroed struct, so a field an older library
    did not fill reads as zero (0, False, "") instead of as whatever lies
    beyond its record, and a newer library's larger record is read as far as
    this binding knows it. A record smaller than its 0.1 fields is refused.
    """
    size = c_size_t.from_address(address).value
    if size < smallest_size(record_type):
        raise ValueError("cenum: a %s record of %d bytes is smaller than its "
                         "0.1 fields (%d bytes)"
                         % (record_type.__name__, size,
                            smallest_size(record_type)))
    copy = record_type()
    ctypes.memmove(ctypes.addressof(copy), address,
                   min(size, ctypes.sizeof(record_type)))
    return copy


def text(address: Optional[int]) -> str:
    """A string of a record: UTF-8 by the library's contract, "" for NULL
    (which the library never gives, but a zeroed field of an older record
    does)."""
    if not address:
        return ""
    return ctypes.string_at(address).decode("utf-8", "replace")


# --------------------------------------------------------- the functions --

# Every callback of cenum.h (ce_font_fn, ce_window_fn, ...) has this one
# signature: the record's address and the user data, returning ce_next.
RECORD_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def prototypes(lib: ctypes.CDLL) -> None:
    """Declares every function the binding calls. Strings returned by the
    library are static or owned by it: they come back as c_void_p and are
    copied with text(), never as c_char_p results ctypes would own."""
    for name in ("ce_version_string", "ce_error_detail"):
        getattr(lib, name).restype = ctypes.c_void_p
        getattr(lib, name).argtypes = []
    for name in ("ce_strerror", "ce_status_name"):
        getattr(lib, name).restype = ctypes.c_void_p
        getattr(lib, name).argtypes = [ctypes.c_int]
    for name, query in (("ce_enum_fonts_ex", FontQuery),
                        ("ce_enum_windows_ex", WindowQuery),
                        ("ce_enum_printers_ex", PrinterQuery)):
        getattr(lib, name).restype = ctypes.c_int
        getattr(lib, name).argtypes = [ctypes.POINTER(query), RECORD_FN,
                                       ctypes.c_void_p]
    # 0.2: absent from an older library, which then has no backend list.
    if hasattr(lib, "ce_enum_backends"):
        lib.ce_enum_backends.restype = ctypes.c_int
        lib.ce_enum_backends.argtypes = [RECORD_FN, ctypes.c_void_p]


def check_version(lib: ctypes.CDLL) -> None:
    """Refuses, at import, a library these layouts are not for: another
    major version (its records may differ in their 0.1 fields). A library of
    the same major version, older or newer, is fine: copy_record reads each
    record by its `size`."""
    lib.ce_version_string.restype = ctypes.c_void_p
    lib.ce_version_string.argtypes = []
    version = text(lib.ce_version_string())
    major = version.split(".", 1)[0]
    if major != "0":
        raise ImportError("cenum: the library is version %r; this binding "
                          "reads the records of version 0" % version)
