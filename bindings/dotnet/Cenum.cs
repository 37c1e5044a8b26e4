// SPDX-License-Identifier: MIT
// The idiomatic surface: lists of immutable records, callbacks that are
// Func<T, bool>, failures as CenumException. Built on Native alone.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace CenumSharp
{
    public enum Slant { Roman = 0, Italic = 1, Oblique = 2 }

    public enum PrinterState { Idle = 0, Processing = 1, Stopped = 2 }

    /// <summary>Which backend lists the windows (ce_windows_backend).</summary>
    public enum WindowsBackend { Auto = 0, X11 = 1, Wayland = 2, Win32 = 3 }

    /// <summary>Which fields of each Window an enumeration asks for
    /// (ce_window_query.fields, CE_WINDOW_FIELD_*), or'd together; All (0)
    /// for every field. A field not asked for holds its unknown value (""
    /// for strings, null for Pid and Desktop, 0, false) and the backend
    /// spares its requests; Id is always there.</summary>
    [Flags]
    public enum WindowFields : ulong
    {
        All = 0,
        Title = 1UL << 0,
        /// <summary>ClassName and Instance.</summary>
        Class = 1UL << 1,
        /// <summary>Pid and Exe.</summary>
        Pid = 1UL << 2,
        /// <summary>X, Y, Width and Height.</summary>
        Geometry = 1UL << 3,
        Desktop = 1UL << 4,
        Visible = 1UL << 5,
        Minimized = 1UL << 6,
        Managed = 1UL << 7,
        TransientFor = 1UL << 8,
        Focused = 1UL << 9
    }

    /// <summary>A failed enumeration: the CE_E_* status, its name
    /// ("CE_E_TIMEOUT") and the library's sentence naming the cause, which
    /// is also the message.</summary>
    public sealed class CenumException : Exception
    {
        public int Status { get; }
        public string Name { get; }
        public string Detail { get; }

        public CenumException(int status, string detail)
            : base(detail.Length > 0
                       ? detail
                       : Native.Utf8(Native.ce_strerror(status)))
        {
            Status = status;
            Name = Native.Utf8(Native.ce_status_name(status));
            Detail = detail;
        }
    }

    /// <summary>One top-level window. Pid and Desktop are null when
    /// unknown (Desktop is -1 on every desktop); TransientFor and Focused
    /// are 0.2 fields, 0 and false with an older library.</summary>
    public sealed class Window
    {
        public ulong Id { get; }
        public string Title { get; }
        public string ClassName { get; }
        public string Instance { get; }
        public long? Pid { get; }
        public string Exe { get; }
        public int X { get; }
        public int Y { get; }
        public int Width { get; }
        public int Height { get; }
        public int? Desktop { get; }
        public bool Visible { get; }
        public bool Minimized { get; }
        public bool Managed { get; }
        public ulong TransientFor { get; }
        public bool Focused { get; }

        internal Window(Native.ce_window w)
        {
            Id = w.id;
            Title = Native.Utf8(w.title);
            ClassName = Native.Utf8(w.class_name);
            Instance = Native.Utf8(w.instance);
            Pid = w.pid < 0 ? (long?)null : w.pid;
            Exe = Native.Utf8(w.exe);
            X = w.x;
            Y = w.y;
            Width = w.width;
            Height = w.height;
            Desktop = w.desktop == -2 ? (int?)null : w.desktop;
            Visible = w.visible;
            Minimized = w.minimized;
            Managed = w.managed;
            TransientFor = w.transient_for;
            Focused = w.focused;
        }

        public override string ToString()
        {
            return string.Format("0x{0:x8} {1} \"{2}\"", Id, ClassName, Title);
        }
    }

    /// <summary>One print queue; Instance is a 0.2 field ("" with an
    /// older library).</summary>
    public sealed class Printer
    {
        public string Name { get; }
        public string Info { get; }
        public string Location { get; }
        public string MakeModel { get; }
        public string Uri { get; }
        public bool IsDefault { get; }
        public PrinterState State { get; }
        public string StateMessage { get; }
        public IReadOnlyList<string> StateReasons { get; }
        public bool Accepting { get; }
        public bool Shared { get; }
        public bool Discovered { get; }
        public string Instance { get; }

        internal Printer(Native.ce_printer p)
        {
            Name = Native.Utf8(p.name);
            Info = Native.Utf8(p.info);
            Location = Native.Utf8(p.location);
            MakeModel = Native.Utf8(p.make_model);
            Uri = Native.Utf8(p.uri);
            IsDefault = p.is_default;
            // A state a newer library added reads as the first, as the
            // command shows it.
            State = p.state >= 0 && p.state <= 2 ? (PrinterState)p.state
                                                  : PrinterState.Idle;
            StateMessage = Native.Utf8(p.state_message);
            int count = (int)p.state_reason_count.ToUInt64();
            var reasons = new string[count];
            for (int i = 0; i < count; i++)
                reasons[i] = Native.Utf8(
                    Marshal.ReadIntPtr(p.state_reasons, i * IntPtr.Size));
            StateReasons = new ReadOnlyCollection<string>(reasons);
            Accepting = p.accepting;
            Shared = p.shared;
            Discovered = p.discovered;
            Instance = Native.Utf8(p.instance);
        }

        public override string ToString() { return Name; }
    }

    /// <summary>One font face; Weight and Width are null when
    /// unknown.</summary>
    public sealed class Font
    {
        public string Family { get; }
        public string Style { get; }
        public string FullName { get; }
        public string PostScriptName { get; }
        public string Path { get; }
        public int Index { get; }
        public int? Weight { get; }
        public int? Width { get; }
        public Slant Slant { get; }
        public bool Monospace { get; }
        public bool Scalable { get; }
        public string Format { get; }

        internal Font(Native.ce_font f)
        {
            Family = Native.Utf8(f.family);
            Style = Native.Utf8(f.style);
            FullName = Native.Utf8(f.fullname);
            PostScriptName = Native.Utf8(f.postscript_name);
            Path = Native.Utf8(f.path);
            Index = f.index;
            Weight = f.weight < 0 ? (int?)null : f.weight;
            Width = f.width < 0 ? (int?)null : f.width;
            Slant = f.slant >= 0 && f.slant <= 2 ? (Slant)f.slant : Slant.Roman;
            Monospace = f.monospace;
            Scalable = f.scalable;
            Format = Native.Utf8(f.format);
        }

        public override string ToString() { return Family + " " + Style; }
    }

    /// <summary>One backend of the library's build (cenum --version).</summary>
    public sealed class BackendInfo
    {
        public string Kind { get; }
        public string Name { get; }
        public bool Available { get; }
        public string Detail { get; }

        internal BackendInfo(Native.ce_backend b)
        {
            Kind = Native.Utf8(b.kind);
            Name = Native.Utf8(b.name);
            Available = b.available;
            Detail = Native.Utf8(b.detail);
        }
    }

    /// <summary>cenum: the top-level windows, the printers and the fonts
    /// of this machine. Every method may be called from any thread at
    /// once. A `cancel` token ends the call within about 50 ms with
    /// OperationCanceledException; `timeout` bounds the wait for the
    /// service (null: the library's default, 5 s). The callbacks run on the calling thread, inside the library's
    /// enumeration; returning false stops it (CE_STOP). An exception a
    /// callback throws stops it too and is thrown again, with its stack
    /// trace, once the library has returned: it never crosses the library's
    /// C frames.</summary>
    public static class Cenum
    {
        /// <summary>The version of the library in use.</summary>
        public static string Version
        {
            get { return Native.Utf8(Native.ce_version_string()); }
        }

        public static IReadOnlyList<Window> Windows(
            bool visibleOnly = false, bool appsOnly = false,
            TimeSpan? timeout = null,
            WindowsBackend backend = WindowsBackend.Auto,
            CancellationToken cancel = default(CancellationToken),
            WindowFields fields = WindowFields.All)
        {
            return Collect<Window>(add => EnumWindows(add, visibleOnly, appsOnly,
                                                      timeout, backend, cancel,
                                                      fields));
        }

        /// <summary>Calls `callback` for each window, topmost first.
        /// Returns true when it saw every window, false when the callback
        /// returned false. `fields`: only these fields (see
        /// WindowFields).</summary>
        public static bool EnumWindows(
            Func<Window, bool> callback, bool visibleOnly = false,
            bool appsOnly = false, TimeSpan? timeout = null,
            WindowsBackend backend = WindowsBackend.Auto,
            CancellationToken cancel = default(CancellationToken),
            WindowFields fields = WindowFields.All)
        {
            var q = new Native.ce_window_query();
            q.size = Native.SizeOf<Native.ce_window_query>();
            q.timeout_ms = Milliseconds(timeout);
            q.visible_only = visibleOnly;
            q.apps_only = appsOnly;
            q.backend = (int)backend;
            q.fields = (ulong)fields;
            return Enumerate(callback, r => new Window(Native.ReadWindow(r)),
                             cancel, (flag, fn) => {
                                 q.cancel = flag;
                                 return Native.ce_enum_windows_ex(ref q, fn,
                                                                  IntPtr.Zero);
                             });
        }

        public static IReadOnlyList<Printer> Printers(
            bool includeDiscovered = false, TimeSpan? timeout = null,
            CancellationToken cancel = default(CancellationToken))
        {
            return Collect<Printer>(add => EnumPrinters(add, includeDiscovered,
                                                        timeout, cancel));
        }

        /// <summary>Calls `callback` for each print queue.</summary>
        public static bool EnumPrinters(Func<Printer, bool> callback,
                                        bool includeDiscovered = false,
                                        TimeSpan? timeout = null,
                                        CancellationToken cancel = default(CancellationToken))
        {
            var q = new Native.ce_printer_query();
            q.size = Native.SizeOf<Native.ce_printer_query>();
            q.timeout_ms = Milliseconds(timeout);
            q.include_discovered = includeDiscovered;
            return Enumerate(callback, r => new Printer(Native.ReadPrinter(r)),
                             cancel, (flag, fn) => {
                                 q.cancel = flag;
                                 return Native.ce_enum_printers_ex(ref q, fn,
                                                                   IntPtr.Zero);
                             });
        }

        public static IReadOnlyList<Font> Fonts(string family = null,
                                                bool monospaceOnly = false,
                                                TimeSpan? timeout = null,
                                                CancellationToken cancel = default(CancellationToken))
        {
            return Collect<Font>(add => EnumFonts(add, family, monospaceOnly,
                                                  timeout, cancel));
        }

        /// <summary>Calls `callback` for each font face; `family` (UTF-8
        /// to the library, exact, ASCII case-insensitive) filters.</summary>
        public static bool EnumFonts(Func<Font, bool> callback,
                                     string family = null,
                                     bool monospaceOnly = false,
                                     TimeSpan? timeout = null,
                                     CancellationToken cancel = default(CancellationToken))
        {
            var q = new Native.ce_font_query();
            q.size = Native.SizeOf<Native.ce_font_query>();
            q.timeout_ms = Milliseconds(timeout);
            q.monospace_only = monospaceOnly;
            q.family = Native.Utf8Alloc(family);
            try
            {
                return Enumerate(callback, r => new Font(Native.ReadFont(r)),
                                 cancel, (flag, fn) => {
                                     q.cancel = flag;
                                     return Native.ce_enum_fonts_ex(
                                         ref q, fn, IntPtr.Zero);
                                 });
            }
            finally
            {
                if (q.family != IntPtr.Zero)
                    Marshal.FreeHGlobal(q.family);
            }
        }

        /// <summary>The backends of the library's build, per kind in the
        /// order it tries them, and whether each could serve now.</summary>
        public static IReadOnlyList<BackendInfo> Backends()
        {
            return Collect<BackendInfo>(add => Enumerate(
                add, r => new BackendInfo(Native.ReadBackend(r)),
                CancellationToken.None,
                (flag, fn) => Native.ce_enum_backends(fn, IntPtr.Zero)));
        }

        static IReadOnlyList<T> Collect<T>(Func<Func<T, bool>, bool> enumerate)
        {
            var list = new List<T>();
            enumerate(record => { list.Add(record); return true; });
            return list.AsReadOnly();
        }

        /// <summary>One enumeration: `call` runs the library's enumerator
        /// with the callback, which copies each record with `copy` and
        /// hands it to the user's `callback`, and with the cancel flag
        /// (IntPtr.Zero when `cancel` cannot be cancelled), an int in
        /// unmanaged memory that the token sets with one aligned store and
        /// the library reads atomically.</summary>
        static bool Enumerate<T>(Func<T, bool> callback, Func<IntPtr, T> copy,
                                 CancellationToken cancel,
                                 Func<IntPtr, Native.RecordFn, int> call)
        {
            var run = new Run<T>(callback);
            Native.RecordFn fn = (record, ctx) => run.Deliver(() => copy(record));
            IntPtr flag = IntPtr.Zero;
            int status;
            try
            {
                if (cancel.CanBeCanceled)
                {
                    flag = Marshal.AllocHGlobal(sizeof(int));
                    Marshal.WriteInt32(flag, 0);
                }
                // Disposing the registration waits for a callback running
                // on another thread, so the flag is never written after it
                // is freed.
                using (cancel.CanBeCanceled
                           ? cancel.Register(() => Marshal.WriteInt32(flag, 1))
                           : default(CancellationTokenRegistration))
                    status = call(flag, fn);
            }
            finally
            {
                if (flag != IntPtr.Zero)
                    Marshal.FreeHGlobal(flag);
            }
            // The delegate must outlive every call the library makes to it.
            GC.KeepAlive(fn);
            return run.Finish(status, cancel);
        }

        const int CE_E_CANCELLED = -5;

        static uint Milliseconds(TimeSpan? timeout)
        {
            if (timeout == null)
                return 0; // the library's default, CE_DEFAULT_TIMEOUT_MS
            double ms = Math.Ceiling(timeout.Value.TotalMilliseconds);
            if (ms <= 0)
                throw new ArgumentOutOfRangeException(
                    "timeout", "the timeout must be positive");
            return ms >= uint.MaxValue ? uint.MaxValue : (uint)ms;
        }

        /// <summary>One enumeration: hands each record to the user's
        /// callback and keeps what it threw for after the call.</summary>
        sealed class Run<T>
        {
            readonly Func<T, bool> callback;
            ExceptionDispatchInfo thrown;

            internal Run(Func<T, bool> callback)
            {
                if (callback == null)
                    throw new ArgumentNullException("callback");
                this.callback = callback;
            }

            // Runs inside the library's callback: the record is copied
            // here, where it is valid, and no exception leaves.
            internal int Deliver(Func<T> copy)
            {
                try
                {
                    return callback(copy()) ? Native.CE_CONTINUE
                                            : Native.CE_STOP;
                }
                catch (Exception e)
                {
                    thrown = ExceptionDispatchInfo.Capture(e);
                    return Native.CE_STOP;
                }
            }

            // After the call, on the same thread: the detail is per thread
            // and valid until the next enumeration on it.
            internal bool Finish(int status, CancellationToken cancel)
            {
                string detail = status < 0
                                    ? Native.Utf8(Native.ce_error_detail())
                                    : "";
                if (thrown != null)
                    thrown.Throw();
                // What .NET code expects of a cancelled token.
                if (status == CE_E_CANCELLED && cancel.IsCancellationRequested)
                    throw new OperationCanceledException(detail, cancel);
                if (status < 0)
                    throw new CenumException(status, detail);
                return status == Native.CE_OK;
            }
        }
    }
}
