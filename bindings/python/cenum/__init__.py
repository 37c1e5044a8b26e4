# SPDX-License-Identifier: MIT
"""cenum from Python: the top-level windows, the printers and the installed
fonts of this machine, through libcenum's one callback API.

    import cenum
    for face in cenum.fonts(monospace=True):
        print(face.family, face.style, face.path)

Three forms for each kind:

- ``windows()``, ``printers()``, ``fonts()`` return a list of frozen
  dataclasses (fields named as the keys of ``cenum ... --json``; the window's
  ``class`` is ``class_name``, a Python keyword being no name).
- ``enum_windows(callback)`` (and the others) call ``callback(record)`` for
  each record, as the C API does; returning ``False`` stops the enumeration
  (``CE_STOP``). An exception the callback raises stops it too and is raised
  again, unchanged, once the library has returned.
- ``iter_windows()`` (and the others) return an iterator that stops the
  enumeration when the consumer stops iterating (see ``Enumeration``).

Failures raise a subclass of ``cenum.Error`` named after the status code
(``Unavailable``, ``Timeout``, ...), whose message is the library's
``ce_error_detail()``.

The library is libcenum.so.0 (cenum.dll on Windows), found through
CENUM_LIBRARY when set, else beside this package or where ``cmake
--install`` put it, else by the system's search.

Thread safety: as the library's: any function, from any thread, at once.
"""
import ctypes
import dataclasses
import enum
import math
import threading
from typing import (Callable, Generic, Iterable, List, Optional, Tuple,
                    TypeVar, Union)

from . import _native

__version__ = "0.2.0"
__all__ = [
    "Backend", "BackendInfo", "CE_OK", "CE_STOPPED", "Cancel", "Cancelled", "DESKTOP_ALL", "Enumeration",
    "Error", "Font", "Invalid", "NoMemory", "Printer", "PrinterState",
    "Slant", "Timeout", "Unavailable", "Unsupported", "Window",
    "WindowField", "backends",
    "enum_fonts", "enum_printers", "enum_windows", "fonts", "iter_fonts",
    "iter_printers", "iter_windows", "printers", "version", "windows",
]

_lib = _native.load()
_native.check_version(_lib)
_native.prototypes(_lib)

# What Enumeration.status says once an enumeration ended: it went through
# every record, or it was stopped.
CE_OK = _native.CE_OK
CE_STOPPED = _native.CE_STOPPED

# A window's desktop when it is on every desktop (CE_DESKTOP_ALL). An
# unknown desktop is None.
DESKTOP_ALL = -1
_DESKTOP_UNKNOWN = -2


def version() -> str:
    """The version of the library in use, "MAJOR.MINOR.PATCH"."""
    return _native.text(_lib.ce_version_string())


# ---------------------------------------------------------------- errors --


class Error(Exception):
    """A failed enumeration. ``status`` is the CE_E_* code, ``name`` its
    name ("CE_E_TIMEOUT") and ``detail`` the library's sentence naming the
    cause (``X11: cannot open display ":7"``), which is also the message."""

    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        self.name = _native.text(_lib.ce_status_name(status))
        self.detail = detail
        super().__init__(detail or _native.text(_lib.ce_strerror(status)))


class Invalid(Error):
    """CE_E_INVALID: the library refused the query."""


class Unsupported(Error):
    """CE_E_UNSUPPORTED: this build has no backend for the kind asked."""


class Unavailable(Error):
    """CE_E_UNAVAILABLE: no display, no print server, no usable
    configuration, or the system library is missing."""


class Timeout(Error):
    """CE_E_TIMEOUT: the service did not answer within the timeout."""


class Cancelled(Error):
    """CE_E_CANCELLED: the enumeration was cancelled."""


class NoMemory(Error):
    """CE_E_NOMEM: out of memory."""


class Backend(Error):
    """CE_E_BACKEND: the service answered with an error (the detail has its
    message)."""

_ERRORS = {-1: Invalid, -2: Unsupported, -3: Unavailable, -4: Timeout,
           -5: Cancelled, -6: NoMemory, -7: Backend}


def _raise_for(status: int, detail: str) -> None:
    if status < 0:
        raise _ERRORS.get(status, Error)(status, detail)


# --------------------------------------------------------------- records --


class Slant(str, enum.Enum):
    """A face's slant; compares equal to its JSON value ("italic")."""
    ROMAN = "roman"
    ITALIC = "italic"
    OBLIQUE = "oblique"


class PrinterState(str, enum.Enum):
    """A queue's state; compares equal to its JSON value ("idle")."""
    IDLE = "idle"
    PROCESSING = "processing"
    STOPPED = "stopped"


_SLANTS = (Slant.ROMAN, Slant.ITALIC, Slant.OBLIQUE)
_STATES = (PrinterState.IDLE, PrinterState.PROCESSING, PrinterState.STOPPED)


def _pick(values, index: int):
    # A value a newer library added reads as the first, as the command
    # shows it.
    return values[index] if 0 <= index < len(values) else values[0]


def _or_none(value: int, unknown: Callable[[int], bool]) -> Optional[int]:
    return None if unknown(value) else value


@dataclasses.dataclass(frozen=True)
class Window:
    """One top-level window (see the README's field tables). ``pid`` and
    ``desktop`` are None when unknown; ``transient_for`` (0 for none) and
    ``focused`` are 0.2 fields, 0 and False with an older library."""
    id: int
    title: str
    class_name: str
    instance: str
    pid: Optional[int]
    exe: str
    x: int
    y: int
    width: int
    height: int
    desktop: Optional[int]
    visible: bool
    minimized: bool
    managed: bool
    transient_for: int
    focused: bool

    @classmethod
    def _from_c(cls, w: _native.Window) -> "Window":
        t = _native.text
        return cls(w.id, t(w.title), t(w.class_name), t(w.instance),
                   _or_none(w.pid, lambda v: v < 0), t(w.exe), w.x, w.y,
                   w.width, w.height,
                   _or_none(w.desktop, lambda v: v == _DESKTOP_UNKNOWN),
                   w.visible, w.minimized, w.managed, w.transient_for,
                   w.focused)

    def to_json(self) -> dict:
        """The record as `cenum windows --json` writes it (same keys, same
        order, same values)."""
        d = dataclasses.asdict(self)
        d["class"] = d.pop("class_name")
        keys = ["id", "title", "class", "instance", "pid", "exe", "x", "y",
                "width", "height", "desktop", "visible", "minimized",
                "managed", "transient_for", "focused"]
        return {k: d[k] for k in keys}


class WindowField(enum.IntFlag):
    """The fields of a Window an enumeration asks for (ce_window_query.fields,
    CE_WINDOW_FIELD_*): `fields=` of windows() and the others takes these
    or'd together, or an iterable of Window attribute names. A field not
    asked for holds its unknown value ("", None for pid and desktop, 0,
    False), and the backend spares its requests; `id` is always there."""
    TITLE = 1 << 0
    CLASS = 1 << 1          # class_name and instance
    PID = 1 << 2            # pid and exe
    GEOMETRY = 1 << 3       # x, y, width and height
    DESKTOP = 1 << 4
    VISIBLE = 1 << 5
    MINIMIZED = 1 << 6
    MANAGED = 1 << 7
    TRANSIENT_FOR = 1 << 8
    FOCUSED = 1 << 9


# Each Window attribute by the field bit that carries it.
_WINDOW_FIELD_OF = {
    "title": WindowField.TITLE, "class_name": WindowField.CLASS,
    "instance": WindowField.CLASS, "pid": WindowField.PID,
    "exe": WindowField.PID, "x": WindowField.GEOMETRY,
    "y": WindowField.GEOMETRY, "width": WindowField.GEOMETRY,
    "height": WindowField.GEOMETRY, "desktop": WindowField.DESKTOP,
    "visible": WindowField.VISIBLE, "minimized": WindowField.MINIMIZED,
    "managed": WindowField.MANAGED,
    "transient_for": WindowField.TRANSIENT_FOR,
    "focused": WindowField.FOCUSED,
}

_Fields = Union[WindowField, Iterable[str], None]


def _window_fields(fields: _Fields) -> int:
    """The query's `fields` bits: 0 (every field) for None."""
    if fields is None:
        return 0
    if isinstance(fields, WindowField):
        bits = int(fields)
    elif isinstance(fields, (str, bytes, int)):
        # A lone name would be read letter by letter; a bare int is a C
        # habit the flag enum states better.
        raise TypeError("fields must be a WindowField or an iterable of "
                        "Window attribute names, not %r" % (fields,))
    else:
        bits = 0
        for name in fields:
            if name not in _WINDOW_FIELD_OF:
                raise ValueError("fields: %r is not a Window field (one of "
                                 "%s; id is always there)"
                                 % (name, ", ".join(_WINDOW_FIELD_OF)))
            bits |= _WINDOW_FIELD_OF[name]
    if bits == 0:
        # The library reads 0 as "every field": no set can mean "none".
        raise ValueError("fields must name at least one field (None asks "
                         "for every field)")
    return bits


@dataclasses.dataclass(frozen=True)
class Printer:
    """One print queue. ``default`` is the C field ``is_default``;
    ``instance`` is a 0.2 field, "" with an older library."""
    name: str
    info: str
    location: str
    make_model: str
    uri: str
    default: bool
    state: PrinterState
    state_message: str
    state_reasons: Tuple[str, ...]
    accepting: bool
    shared: bool
    discovered: bool
    instance: str

    @classmethod
    def _from_c(cls, p: _native.Printer) -> "Printer":
        t = _native.text
        reasons = tuple(t(p.state_reasons[i])
                        for i in range(p.state_reason_count))
        return cls(t(p.name), t(p.info), t(p.location), t(p.make_model),
                   t(p.uri), p.is_default, _pick(_STATES, p.state),
                   t(p.state_message), reasons, p.accepting, p.shared,
                   p.discovered, t(p.instance))

    def to_json(self) -> dict:
        """The record as `cenum printers --json` writes it."""
        d = dataclasses.asdict(self)
        d["state"] = self.state.value
        d["state_reasons"] = list(self.state_reasons)
        return d


@dataclasses.dataclass(frozen=True)
class Font:
    """One font face. ``weight`` and ``width`` are None when unknown."""
    family: str
    style: str
    fullname: str
    postscript_name: str
    path: str
    index: int
    weight: Optional[int]
    width: Optional[int]
    slant: Slant
    monospace: bool
    scalable: bool
    format: str

    @classmethod
    def _from_c(cls, f: _native.Font) -> "Font":
        t = _native.text
        return cls(t(f.family), t(f.style), t(f.fullname),
                   t(f.postscript_name), t(f.path), f.index,
                   _or_none(f.weight, lambda v: v < 0),
                   _or_none(f.width, lambda v: v < 0),
                   _pick(_SLANTS, f.slant), f.monospace, f.scalable,
                   t(f.format))

    def to_json(self) -> dict:
        """The record as `cenum fonts --json` writes it."""
        d = dataclasses.asdict(self)
        d["slant"] = self.slant.value
        return d


@dataclasses.dataclass(frozen=True)
class BackendInfo:
    """One backend of the library's build, as ``cenum --version`` lists it
    (``Backend`` is the error CE_E_BACKEND)."""
    kind: str
    name: str
    available: bool
    detail: str

    @classmethod
    def _from_c(cls, b: _native.Backend) -> "BackendInfo":
        t = _native.text
        return cls(t(b.kind), t(b.name), b.available, t(b.detail))


# ----------------------------------------------------------- enumerating --

R = TypeVar("R")
# What every form below is built on: runs one enumeration on the calling
# thread, handing each record to `deliver`, which says whether to go on.
_Start = Callable[[Callable[[R], bool]], int]


def _enumerate(function, query, c_record, record_type,
               deliver: Callable[[R], bool]) -> int:
    """Calls the library's enumerator `function` with `query`; each record
    is copied inside the callback and handed to `deliver`. Returns CE_OK or
    CE_STOPPED, raises the Error of a failure, and raises again whatever
    `deliver` raised (which stopped the enumeration: an exception must never
    cross the library's C frames, and ctypes would print and drop it)."""
    raised: List[BaseException] = []

    def trampoline(address, _ctx):
        try:
            record = record_type._from_c(_native.copy_record(c_record,
                                                             address))
            return _native.CE_CONTINUE if deliver(record) else _native.CE_STOP
        except BaseException as e:  # KeyboardInterrupt too: stop, re-raise
            raised.append(e)
            return _native.CE_STOP

    # The C function object lives in this frame for the whole call, the
    # only time the library calls it.
    c_fn = _native.RECORD_FN(trampoline)
    args = (ctypes.byref(query), c_fn, None) if query is not None else (
        c_fn, None)
    status = function(*args)
    # The detail is per thread and valid until the next enumeration on it:
    # read it at once, on this thread.
    detail = _native.text(_lib.ce_error_detail()) if status < 0 else ""
    if raised:
        raise raised[0]
    _raise_for(status, detail)
    return status


class Cancel:
    """A cancel flag for the ``cancel=`` argument: ``set()`` it from any
    thread and every enumeration given it ends within about 50 ms with
    ``Cancelled`` (the library polls it between records and while it waits
    for a server). One flag may serve several enumerations; it stays set.
    The library reads it atomically; the store is one aligned int."""

    def __init__(self) -> None:
        self._flag = ctypes.c_int(0)

    def set(self) -> None:
        self._flag.value = 1

    def is_set(self) -> bool:
        return self._flag.value != 0


def _cancel_pointer(cancel: Optional[Cancel]):
    if cancel is None:
        return None
    if not isinstance(cancel, Cancel):
        raise TypeError("cancel must be a cenum.Cancel, not %r" % (cancel,))
    # The pointer keeps the c_int alive in the query (ctypes' _objects).
    return ctypes.pointer(cancel._flag)


def _timeout_ms(timeout: Optional[float]) -> int:
    if timeout is None:
        return 0  # the library's default, CE_DEFAULT_TIMEOUT_MS
    if not timeout > 0:
        raise ValueError("timeout must be a positive number of seconds, "
                         "not %r" % (timeout,))
    return min(int(math.ceil(timeout * 1000)), 0xFFFFFFFF)


_WINDOW_BACKENDS = {"auto": 0, "x11": 1, "wayland": 2, "win32": 3}


def _windows_start(visible: bool, apps: bool, timeout: Optional[float],
                   backend: Optional[str], cancel: Optional[Cancel],
                   fields: _Fields = None) -> _Start:
    q = _native.WindowQuery()
    q.size = ctypes.sizeof(q)
    q.timeout_ms = _timeout_ms(timeout)
    q.cancel = _cancel_pointer(cancel)
    q.visible_only = visible
    q.apps_only = apps
    q.fields = _window_fields(fields)
    if backend is not None:
        if backend not in _WINDOW_BACKENDS:
            raise ValueError("backend must be one of %s, not %r"
                             % (", ".join(_WINDOW_BACKENDS), backend))
        q.backend = _WINDOW_BACKENDS[backend]
    return lambda deliver: _enumerate(_lib.ce_enum_windows_ex, q,
                                      _native.Window, Window, deliver)


def _printers_start(discover: bool, timeout: Optional[float],
                    cancel: Optional[Cancel]) -> _Start:
    q = _native.PrinterQuery()
    q.size = ctypes.sizeof(q)
    q.timeout_ms = _timeout_ms(timeout)
    q.cancel = _cancel_pointer(cancel)
    q.include_discovered = discover
    return lambda deliver: _enumerate(_lib.ce_enum_printers_ex, q,
                                      _native.Printer, Printer, deliver)


def _fonts_start(family: Optional[str], monospace: bool,
                 timeout: Optional[float], cancel: Optional[Cancel]) -> _Start:
    q = _native.FontQuery()
    q.size = ctypes.sizeof(q)
    q.timeout_ms = _timeout_ms(timeout)
    q.cancel = _cancel_pointer(cancel)
    # UTF-8 whatever the locale; ctypes keeps the bytes object alive in the
    # structure for as long as the query lives.
    q.family = None if family is None else family.encode("utf-8")
    q.monospace_only = monospace
    return lambda deliver: _enumerate(_lib.ce_enum_fonts_ex, q, _native.Font,
                                      Font, deliver)


def _collect(start: _Start) -> list:
    records: list = []
    start(lambda r: records.append(r) or True)
    return records


def _callback(callback: Callable[[R], object]) -> Callable[[R], bool]:
    # Only an explicit False stops: a callback that returns nothing goes on.
    return lambda record: callback(record) is not False


def windows(visible: bool = False, apps: bool = False,
            timeout: Optional[float] = None, backend: Optional[str] = None,
            cancel: Optional[Cancel] = None,
            fields: _Fields = None) -> List[Window]:
    """The top-level windows, topmost first.

    visible: only mapped, viewable windows. apps: only what a task bar
    shows. timeout: the longest wait for the display, in seconds (None: the
    library's default, 5 s). backend: "x11", "wayland", "win32" or "auto"
    (None: the library chooses). cancel: a Cancel that ends the call with
    Cancelled once set. fields: only these fields (a WindowField, or Window
    attribute names such as {"title", "class_name"}); the others read as
    unknown, and cost nothing. None: every field.
    """
    return _collect(_windows_start(visible, apps, timeout, backend, cancel,
                                   fields))


def printers(discover: bool = False, timeout: Optional[float] = None,
             cancel: Optional[Cancel] = None) -> List[Printer]:
    """The print queues of the print server the system would use.

    discover: also browse the network (DNS-SD) for the rest of the timeout.
    timeout: the longest wait for the server, in seconds. cancel: as for
    windows().
    """
    return _collect(_printers_start(discover, timeout, cancel))


def fonts(family: Optional[str] = None, monospace: bool = False,
          timeout: Optional[float] = None,
          cancel: Optional[Cancel] = None) -> List[Font]:
    """The installed font faces.

    family: only faces of this family (exact, ASCII case-insensitive).
    monospace: only faces with a fixed advance. timeout: the longest wait
    before the first face, in seconds. cancel: as for windows().
    """
    return _collect(_fonts_start(family, monospace, timeout, cancel))


def backends() -> List[BackendInfo]:
    """The backends of the library's build, per kind in the order the
    library tries them, and whether each could serve now. Raises
    Unsupported with a library older than 0.2, which cannot say."""
    if not hasattr(_lib, "ce_enum_backends"):
        raise Unsupported(-2, "cenum: the library (%s) is older than 0.2 and "
                          "cannot list its backends" % version())
    return _collect(lambda deliver: _enumerate(
        _lib.ce_enum_backends, None, _native.Backend, BackendInfo, deliver))


def enum_windows(callback: Callable[[Window], object], visible: bool = False,
                 apps: bool = False, timeout: Optional[float] = None,
                 backend: Optional[str] = None,
                 cancel: Optional[Cancel] = None,
                 fields: _Fields = None) -> bool:
    """Calls ``callback(window)`` for each window (the other arguments as
    for ``windows()``) on this thread, inside the library's callback; it
    returns False to stop (any other value, None included, goes on). Returns
    True when every window was seen, False when the callback stopped it."""
    return _windows_start(visible, apps, timeout, backend, cancel, fields)(
        _callback(callback)) == _native.CE_OK


def enum_printers(callback: Callable[[Printer], object],
                  discover: bool = False, timeout: Optional[float] = None,
                  cancel: Optional[Cancel] = None) -> bool:
    """``enum_windows`` for print queues (arguments as for ``printers()``)."""
    return _printers_start(discover, timeout, cancel)(
        _callback(callback)) == _native.CE_OK


def enum_fonts(callback: Callable[[Font], object],
               family: Optional[str] = None, monospace: bool = False,
               timeout: Optional[float] = None,
               cancel: Optional[Cancel] = None) -> bool:
    """``enum_windows`` for font faces (arguments as for ``fonts()``)."""
    return _fonts_start(family, monospace, timeout, cancel)(
        _callback(callback)) == _native.CE_OK


# ------------------------------------------------------------- iterators --

_EMPTY = object()


class _Channel:
    """What the enumerating thread and the consumer share. The thread holds
    this, never the Enumeration, so a consumer that drops an unfinished
    iterator lets it be collected (and its __del__ stop the thread)."""

    def __init__(self, cancel: Cancel) -> None:
        self.cond = threading.Condition()
        self.cancel = cancel
        self.slot: object = _EMPTY
        self.stop = False
        self.done = False
        self.status: Optional[int] = None
        self.error: Optional[BaseException] = None

    def deliver(self, record: object) -> bool:
        # Runs inside the library's callback, on the enumerating thread: it
        # waits until the consumer has taken the record before the next one
        # is made, and answers CE_STOP once the consumer has stopped.
        with self.cond:
            if self.stop:
                return False
            self.slot = record
            self.cond.notify_all()
            while self.slot is not _EMPTY and not self.stop:
                self.cond.wait()
            return not self.stop

    def request_stop(self) -> None:
        # The callback answers CE_STOP when it is waiting; the flag ends the
        # enumeration when it is not (before the first record, the library
        # may be waiting for a server until its timeout).
        with self.cond:
            self.stop = True
            self.cancel.set()
            self.cond.notify_all()

    def run(self, start: _Start) -> None:
        try:
            self.status = start(self.deliver)
        except BaseException as e:
            # Cancelled by request_stop is the consumer's stop; anything
            # else is the consumer's to see.
            if isinstance(e, Cancelled) and self.stop:
                self.status = CE_STOPPED
            else:
                self.error = e
        finally:
            with self.cond:
                self.done = True
                self.cond.notify_all()


class Enumeration(Generic[R]):
    """An iterator over one enumeration that stops it early.

    A C callback cannot be suspended the way a generator is, so the
    enumeration runs on a thread of its own, started by the first
    ``next()``: its callback hands each record over and waits until the
    consumer takes it, so at most one record is made ahead. When the
    consumer stops (``close()``, leaving a ``with`` block, or dropping the
    iterator), the waiting callback returns CE_STOP (or, while the library
    is still waiting for its server, the query's cancel flag ends the wait
    within about 50 ms), the library ends the enumeration and frees what it
    held (the X connection, the CUPS request), and ``close()`` returns once
    it has. While the consumer holds a record, the enumeration is paused
    with its connection open. A failure is raised by ``next()`` after the
    records that came before it.

    Consequences of the thread: ``ce_error_detail`` and everything
    per-thread in the system libraries are that thread's (libcups reads
    CUPS_SERVER once per thread, so an iterator always reads it afresh);
    the consumer's code never runs inside the library's callback.

    ``status`` is None until the enumeration ended, then CE_OK (0) when it
    went through everything or CE_STOPPED (1) when the consumer stopped it.
    """

    def __init__(self, start: _Start, cancel: Cancel) -> None:
        self._start = start
        self._channel = _Channel(cancel)
        self._thread: Optional[threading.Thread] = None
        self._closed = False

    @property
    def status(self) -> Optional[int]:
        return self._channel.status

    def __iter__(self) -> "Enumeration[R]":
        return self

    def __next__(self) -> R:
        c = self._channel
        if self._closed:
            # A record made ahead before close() is not handed out.
            raise StopIteration
        if self._thread is None:
            self._thread = threading.Thread(target=c.run, args=(self._start,),
                                            name="cenum enumeration",
                                            daemon=True)
            self._thread.start()
        with c.cond:
            while c.slot is _EMPTY and not c.done:
                c.cond.wait()
            if c.slot is not _EMPTY:
                record = c.slot
                c.slot = _EMPTY
                c.cond.notify_all()
                return record  # type: ignore[return-value]
        self._thread.join()
        self._closed = True
        error, c.error = c.error, None
        if error is not None:
            raise error
        raise StopIteration

    def close(self) -> None:
        """Stops the enumeration and waits until the library has returned.
        Calling it again does nothing."""
        self._closed = True
        self._channel.request_stop()
        if self._thread is not None and \
                self._thread is not threading.current_thread():
            self._thread.join()

    def __enter__(self) -> "Enumeration[R]":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        # Stop the thread without waiting for it: a finaliser must not block.
        self._channel.request_stop()


def iter_windows(visible: bool = False, apps: bool = False,
                 timeout: Optional[float] = None,
                 backend: Optional[str] = None,
                 fields: _Fields = None) -> Enumeration[Window]:
    """``windows()`` as an Enumeration, which stops early."""
    flag = Cancel()
    return Enumeration(_windows_start(visible, apps, timeout, backend, flag,
                                      fields), flag)


def iter_printers(discover: bool = False,
                  timeout: Optional[float] = None) -> Enumeration[Printer]:
    """``printers()`` as an Enumeration, which stops early."""
    flag = Cancel()
    return Enumeration(_printers_start(discover, timeout, flag), flag)


def iter_fonts(family: Optional[str] = None, monospace: bool = False,
               timeout: Optional[float] = None) -> Enumeration[Font]:
    """``fonts()`` as an Enumeration, which stops early."""
    flag = Cancel()
    return Enumeration(_fonts_start(family, monospace, timeout, flag), flag)

