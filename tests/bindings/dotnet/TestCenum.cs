// SPDX-License-Identifier: MIT
// The C# binding's test program, compiled with mcs and run with mono by
// tests/bindings/test_dotnet.py inside the fixtures' servers. Each mode
// either checks something in-process (exit 1 with FAIL lines when not) or
// prints what the binding read as JSON, which the driver compares with the
// cenum command's own --json and the C compiler's layout.
//
//   TestCenum layout
//   TestCenum list fonts|windows|printers [--family F] [--monospace]
//                                         [--visible] [--apps]
//   TestCenum error fonts|windows|printers [TIMEOUT_MS]
//   TestCenum cancel printers|windows   (a 30 s timeout, cancelled at 300 ms)
//   TestCenum checks fonts|windows|printers
//   TestCenum threads
//
// Output is written as UTF-8 bytes, never through the console's encoding,
// which follows the locale (a fresh Debian has none, so ASCII).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using CenumSharp;

static class TestCenum
{
    static TextWriter output;
    static int failures;

    static void Check(bool ok, string what)
    {
        if (ok)
            return;
        failures++;
        Console.Error.WriteLine("FAIL: " + Ascii(what));
    }

    // Messages go to stderr through the console's encoding: keep them ASCII.
    static string Ascii(string text)
    {
        var b = new StringBuilder();
        foreach (char c in text)
            b.Append(c < 0x7f ? c.ToString() : string.Format("\\u{0:x4}", (int)c));
        return b.ToString();
    }

    static int Main(string[] args)
    {
        output = new StreamWriter(Console.OpenStandardOutput(),
                                  new UTF8Encoding(false));
        ((StreamWriter)output).NewLine = "\n";
        try
        {
            switch (args.Length > 0 ? args[0] : "")
            {
            case "layout": Layout(); break;
            case "list": List(args[1], args.Skip(2).ToArray()); break;
            case "error":
                Error(args[1], args.Length > 2 ? int.Parse(args[2]) : 0);
                break;
            case "checks": Checks(args[1]); break;
            case "cancel": Cancel(args[1]); break;
            case "threads": Threads(); break;
            default:
                Console.Error.WriteLine("usage: see TestCenum.cs");
                return 2;
            }
        }
        finally
        {
            output.Flush();
        }
        return failures == 0 ? 0 : 1;
    }

    // ------------------------------------------------------------ JSON --

    sealed class Json
    {
        readonly StringBuilder b = new StringBuilder("{");
        bool first = true;

        Json Key(string key)
        {
            if (!first)
                b.Append(", ");
            first = false;
            Str(key);
            b.Append(": ");
            return this;
        }

        void Str(string s)
        {
            b.Append('"');
            foreach (char c in s)
            {
                if (c == '"' || c == '\\')
                    b.Append('\\').Append(c);
                else if (c < 0x20)
                    b.AppendFormat("\\u{0:x4}", (int)c);
                else
                    b.Append(c);
            }
            b.Append('"');
        }

        public Json S(string key, string value) { Key(key).Str(value); return this; }
        public Json N(string key, long? value)
        {
            Key(key).b.Append(value.HasValue ? value.Value.ToString() : "null");
            return this;
        }
        public Json U(string key, ulong value) { Key(key).b.Append(value); return this; }
        public Json B(string key, bool value)
        {
            Key(key).b.Append(value ? "true" : "false");
            return this;
        }
        public Json Raw(string key, string json) { Key(key).b.Append(json); return this; }
        public Json A(string key, IEnumerable<string> values)
        {
            Key(key).b.Append('[');
            bool f = true;
            foreach (var v in values)
            {
                if (!f)
                    b.Append(", ");
                f = false;
                Str(v);
            }
            b.Append(']');
            return this;
        }
        public override string ToString() { return b.ToString() + "}"; }
    }

    // The records with the keys, order and values of `cenum ... --json`.
    static string ToJson(Window w)
    {
        return new Json().U("id", w.Id).S("title", w.Title)
            .S("class", w.ClassName).S("instance", w.Instance).N("pid", w.Pid)
            .S("exe", w.Exe).N("x", w.X).N("y", w.Y).N("width", w.Width)
            .N("height", w.Height).N("desktop", w.Desktop)
            .B("visible", w.Visible).B("minimized", w.Minimized)
            .B("managed", w.Managed).U("transient_for", w.TransientFor)
            .B("focused", w.Focused).ToString();
    }

    static string ToJson(Printer p)
    {
        return new Json().S("name", p.Name).S("info", p.Info)
            .S("location", p.Location).S("make_model", p.MakeModel)
            .S("uri", p.Uri).B("default", p.IsDefault)
            .S("state", p.State.ToString().ToLowerInvariant())
            .S("state_message", p.StateMessage)
            .A("state_reasons", p.StateReasons).B("accepting", p.Accepting)
            .B("shared", p.Shared).B("discovered", p.Discovered)
            .S("instance", p.Instance).ToString();
    }

    static string ToJson(Font f)
    {
        return new Json().S("family", f.Family).S("style", f.Style)
            .S("fullname", f.FullName).S("postscript_name", f.PostScriptName)
            .S("path", f.Path).N("index", f.Index).N("weight", f.Weight)
            .N("width", f.Width).S("slant", f.Slant.ToString().ToLowerInvariant())
            .B("monospace", f.Monospace).B("scalable", f.Scalable)
            .S("format", f.Format).ToString();
    }

    // ---------------------------------------------------------- layout --

    static readonly Type[] Structs = {
        typeof(Native.ce_font), typeof(Native.ce_font_query),
        typeof(Native.ce_window), typeof(Native.ce_window_query),
        typeof(Native.ce_printer), typeof(Native.ce_printer_query),
        typeof(Native.ce_backend)
    };

    // Each field's offset and marshalled size as the runtime lays them
    // out: a bool without [MarshalAs(UnmanagedType.U1)] would show as 4.
    static void Layout()
    {
        var all = new Json();
        foreach (var t in Structs)
        {
            var fields = new Json();
            foreach (var f in t.GetFields())
            {
                var a = f.GetCustomAttributes(typeof(MarshalAsAttribute), false);
                int size = a.Length > 0 &&
                           ((MarshalAsAttribute)a[0]).Value == UnmanagedType.U1
                               ? 1
                               : Marshal.SizeOf(f.FieldType);
                fields.Raw(f.Name, "[" + Marshal.OffsetOf(t, f.Name) + ", " +
                                       size + "]");
            }
            all.Raw(t.Name, new Json().N("sizeof", Marshal.SizeOf(t))
                                .Raw("fields", fields.ToString()).ToString());
        }
        output.WriteLine(all.ToString());
    }

    // ------------------------------------------------------------ list --

    static void List(string kind, string[] options)
    {
        string family = null;
        for (int i = 0; i < options.Length; i++)
            if (options[i] == "--family")
                family = options[++i];
        bool mono = options.Contains("--monospace");
        bool visible = options.Contains("--visible");
        bool apps = options.Contains("--apps");
        if (kind == "fonts")
            foreach (var f in Cenum.Fonts(family, mono))
                output.WriteLine(ToJson(f));
        else if (kind == "windows")
            foreach (var w in Cenum.Windows(visible, apps))
                output.WriteLine(ToJson(w));
        else
            foreach (var p in Cenum.Printers())
                output.WriteLine(ToJson(p));
    }

    static void Enumerate(string kind, TimeSpan? timeout)
    {
        if (kind == "fonts")
            Cenum.Fonts(null, false, timeout);
        else if (kind == "windows")
            Cenum.Windows(false, false, timeout);
        else
            Cenum.Printers(false, timeout);
    }

    // What the failure of one enumeration says, for the driver to check.
    static void Error(string kind, int timeoutMs)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            Enumerate(kind, timeoutMs > 0 ? TimeSpan.FromMilliseconds(timeoutMs)
                                          : (TimeSpan?)null);
            Check(false, kind + ": no exception");
        }
        catch (CenumException e)
        {
            output.WriteLine(new Json().N("status", e.Status).S("name", e.Name)
                                 .S("detail", e.Detail).S("message", e.Message)
                                 .N("elapsed_ms", clock.ElapsedMilliseconds)
                                 .ToString());
        }
    }

    // A token cancelled from another thread ends a 30 s wait at once with
    // OperationCanceledException, the way .NET code expects.
    static void Cancel(string kind)
    {
        var source = new CancellationTokenSource();
        source.CancelAfter(300);
        var clock = Stopwatch.StartNew();
        try
        {
            if (kind == "printers")
                Cenum.Printers(false, TimeSpan.FromSeconds(30), source.Token);
            else
                Cenum.Windows(false, false, TimeSpan.FromSeconds(30),
                              WindowsBackend.Auto, source.Token);
            Check(false, kind + ": not cancelled");
        }
        catch (OperationCanceledException e)
        {
            Check(e.CancellationToken == source.Token, "the token is the one given");
            output.WriteLine(new Json().S("detail", e.Message)
                                 .N("elapsed_ms", clock.ElapsedMilliseconds)
                                 .ToString());
        }
    }

    // ---------------------------------------------------------- checks --

    sealed class Mine : Exception
    {
        public Mine() : base("thrown by the callback") { }
    }

    static bool ThrowOnSecond(ref int calls)
    {
        if (++calls == 2)
            throw new Mine();
        return true;
    }

    // Stop, exception and the three forms on any kind.
    static void StopAndThrow(string kind)
    {
        int calls = 0;
        bool complete;
        if (kind == "fonts")
            complete = Cenum.EnumFonts(f => ++calls < 1);
        else if (kind == "windows")
            complete = Cenum.EnumWindows(w => ++calls < 1);
        else
            complete = Cenum.EnumPrinters(p => ++calls < 1);
        Check(!complete && calls == 1,
              kind + ": returning false stops after one record, calls " + calls);

        calls = 0;
        try
        {
            if (kind == "fonts")
                Cenum.EnumFonts(f => ThrowOnSecond(ref calls));
            else if (kind == "windows")
                Cenum.EnumWindows(w => ThrowOnSecond(ref calls));
            else
                Cenum.EnumPrinters(p => ThrowOnSecond(ref calls));
            Check(false, kind + ": the callback's exception was lost");
        }
        catch (Mine e)
        {
            Check(calls == 2, kind + ": nothing after the exception, calls " + calls);
            Check(e.StackTrace.Contains("ThrowOnSecond"),
                  kind + ": the stack trace reaches the callback: " + e.StackTrace);
        }
    }

    static void Checks(string kind)
    {
        StopAndThrow(kind);
        if (kind == "fonts")
            CheckFonts();
        else if (kind == "windows")
            CheckWindows();
        else
            CheckPrinters();
    }

    static void CheckFonts()
    {
        var faces = Cenum.Fonts();
        Check(faces.Count == 6, "6 faces, got " + faces.Count);
        // What the naive declaration (4-byte bools) read wrongly: the one
        // byte of each flag, for every face.
        foreach (var f in faces)
        {
            Check(f.Monospace == f.Family.Contains("Mono"),
                  "monospace of " + f + ": " + f.Monospace);
            Check(f.Scalable, "scalable of " + f);
            Check(f.Format == "TrueType" && f.Slant == Slant.Roman &&
                      (f.Weight == 400 || f.Weight == 700) && f.Width == 100,
                  "format, slant, weight, width of " + f);
        }
        var mono = Cenum.Fonts("dejavu sans mono");
        Check(mono.Count == 2 && mono.All(f => f.Monospace),
              "--family dejavu sans mono: " + mono.Count);
        Check(Cenum.Fonts(null, true).Count == 2, "monospace only");
        // The delegate the library calls survives collections made inside
        // its own callback (GC.KeepAlive in the binding).
        int collected = 0;
        Check(Cenum.EnumFonts(f => {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            collected++;
            return true;
        }) && collected == 6, "collections inside the callback");
        // A token that can be cancelled but is not changes nothing.
        Check(Cenum.Fonts(null, false, null, new CancellationTokenSource().Token)
                  .Count == 6, "an uncancelled token");
        // Passed in as UTF-8: a name no face has, not a mangled match.
        Check(Cenum.Fonts("D\u00e9j\u00e0Vu Sans").Count == 0, "non-ASCII family");
        Check(Cenum.Version == Environment.GetEnvironmentVariable("CENUM_VERSION"),
              "version " + Cenum.Version);
        var fonts = Cenum.Backends().Where(b => b.Kind == "fonts").ToList();
        Check(fonts.Count == 1 && fonts[0].Name == "fontconfig" &&
                  fonts[0].Available && fonts[0].Detail == "",
              "the fontconfig backend is listed and available");
        try
        {
            Cenum.Fonts(null, false, TimeSpan.Zero);
            Check(false, "a zero timeout is refused");
        }
        catch (ArgumentOutOfRangeException)
        {
        }
        OldRecord();
    }

    // A 0.1 library's window: `size` ends before transient_for and the
    // bytes after it are someone else's (0xAB): the 0.2 fields read as zero.
    static void OldRecord()
    {
        int full = Marshal.SizeOf(typeof(Native.ce_window));
        int old = Marshal.OffsetOf(typeof(Native.ce_window), "transient_for").ToInt32();
        IntPtr raw = Marshal.AllocHGlobal(full);
        try
        {
            for (int i = 0; i < full; i++)
                Marshal.WriteByte(raw, i, 0xAB);
            Marshal.WriteIntPtr(raw, 0, new IntPtr(old));
            var w = Native.ReadWindow(raw);
            Check(w.transient_for == 0 && !w.focused,
                  "0.2 fields of a 0.1 record read as zero");
            Check(w.visible, "0.1 fields of a 0.1 record are read");
            Marshal.WriteIntPtr(raw, 0, new IntPtr(old - 1));
            try
            {
                Native.ReadWindow(raw);
                Check(false, "a record smaller than its 0.1 fields is refused");
            }
            catch (InvalidOperationException)
            {
            }
        }
        finally
        {
            Marshal.FreeHGlobal(raw);
        }
    }

    static void CheckWindows()
    {
        string title = "Gr\u00fc\u00dfe \u2014 \u65e5\u672c \u2713";
        var main = Cenum.Windows().Where(w => w.Title == title).ToList();
        Check(main.Count == 1, "one window titled as the helper's main one");
        int helper = int.Parse(Environment.GetEnvironmentVariable("HELPER_PID"));
        foreach (var w in main)
            Check(w.ClassName == "CenumMain" && w.Instance == "cenum-main" &&
                      w.Pid == helper && w.Visible && !w.Minimized,
                  "the main window's fields: " + w);
        var visible = Cenum.Windows(true);
        Check(visible.Count > 0 && visible.All(w => w.Visible), "visible only");
        CheckFields(helper);
        try
        {
            Cenum.Windows(backend: WindowsBackend.Win32);
            Check(false, "a Linux build has no Win32 backend");
        }
        catch (CenumException e)
        {
            Check(e.Status == -2 && e.Name == "CE_E_UNSUPPORTED",
                  "Win32 backend: " + e.Name);
        }
    }

    // Each WindowFields flag and the Window properties it carries, with
    // what they read as when it is not asked for.
    static readonly Dictionary<WindowFields, Func<Window, object[]>> Carries =
        new Dictionary<WindowFields, Func<Window, object[]>> {
            { WindowFields.Title, w => new object[] { w.Title } },
            { WindowFields.Class, w => new object[] { w.ClassName, w.Instance } },
            { WindowFields.Pid, w => new object[] { w.Pid, w.Exe } },
            { WindowFields.Geometry,
              w => new object[] { w.X, w.Y, w.Width, w.Height } },
            { WindowFields.Desktop, w => new object[] { w.Desktop } },
            { WindowFields.Visible, w => new object[] { w.Visible } },
            { WindowFields.Minimized, w => new object[] { w.Minimized } },
            { WindowFields.Managed, w => new object[] { w.Managed } },
            { WindowFields.TransientFor, w => new object[] { w.TransientFor } },
            { WindowFields.Focused, w => new object[] { w.Focused } },
        };
    static readonly Dictionary<WindowFields, object[]> Unknown =
        new Dictionary<WindowFields, object[]> {
            { WindowFields.Title, new object[] { "" } },
            { WindowFields.Class, new object[] { "", "" } },
            { WindowFields.Pid, new object[] { null, "" } },
            { WindowFields.Geometry, new object[] { 0, 0, 0, 0 } },
            { WindowFields.Desktop, new object[] { null } },
            { WindowFields.Visible, new object[] { false } },
            { WindowFields.Minimized, new object[] { false } },
            { WindowFields.Managed, new object[] { false } },
            { WindowFields.TransientFor, new object[] { 0UL } },
            { WindowFields.Focused, new object[] { false } },
        };

    // The windows' ids and the values of the properties `mask` carries.
    static string Project(IEnumerable<Window> windows, WindowFields mask)
    {
        var b = new StringBuilder();
        foreach (var w in windows)
        {
            b.Append(w.Id);
            foreach (var kv in Carries)
                if ((mask & kv.Key) != 0)
                    foreach (var v in kv.Value(w))
                        b.Append('|').Append(v == null ? "null" : v.ToString());
            b.Append('\n');
        }
        return b.ToString();
    }

    // WindowFields: the fields asked for equal the full enumeration's,
    // window by window; the others read as unknown. Each flag alone, a
    // switcher's first paint, and the C test's other mask.
    static void CheckFields(int helper)
    {
        var masks = Carries.Keys.ToList();
        masks.Add(WindowFields.Title | WindowFields.Class);
        masks.Add(WindowFields.Pid | WindowFields.Geometry |
                  WindowFields.Minimized | WindowFields.Visible);
        foreach (var mask in masks)
        {
            // The window manager may still move the focus: compare once the
            // display settled, as the Python test does.
            string ours = null, theirs = null;
            for (int i = 0; i < 20 && (ours == null || ours != theirs); i++)
            {
                if (i > 0)
                    Thread.Sleep(200);
                ours = Project(Cenum.Windows(fields: mask), mask);
                theirs = Project(Cenum.Windows(), mask);
            }
            Check(ours == theirs, mask + ": the fields asked for equal the full "
                                  + "enumeration's");
            var records = Cenum.Windows(fields: mask);
            Check(records.Count >= 14, mask + ": " + records.Count + " windows");
            foreach (var w in records)
                foreach (var kv in Carries)
                    if ((mask & kv.Key) == 0)
                        Check(kv.Value(w).SequenceEqual(Unknown[kv.Key]),
                              mask + ": " + kv.Key + " unknown in " + w);
        }
        string title = "Gr\u00fc\u00dfe \u2014 \u65e5\u672c \u2713";
        var main = Cenum.Windows(fields: WindowFields.Title | WindowFields.Pid)
                       .Where(w => w.Title == title).ToList();
        Check(main.Count == 1 && main[0].Pid == helper &&
                  main[0].ClassName == "",
              "the main window by its title and pid alone");
        int calls = 0;
        Check(Cenum.EnumWindows(w => { calls++; return w.Pid == null; },
                                fields: WindowFields.Title) && calls >= 14,
              "EnumWindows with fields");
    }

    static void CheckPrinters()
    {
        var queues = Cenum.Printers().ToDictionary(p => p.Name);
        Check(queues.Count == 5, "five queues, got " + queues.Count);
        Printer office, stopped, rejecting;
        if (queues.TryGetValue("office", out office))
            Check(office.Info == "B\u00fcro \u2014 3. Stock" && office.IsDefault &&
                      office.Location == "Geb\u00e4ude B, Raum 3.14" &&
                      office.MakeModel == "Acme Laser 9000" &&
                      office.Uri == "file:///dev/null" && !office.Discovered &&
                      office.Instance == "",
                  "office's fields");
        if (queues.TryGetValue("stopped", out stopped))
            Check(stopped.State == PrinterState.Stopped &&
                      stopped.StateMessage == "Out of paper" &&
                      stopped.StateReasons.SequenceEqual(new[] { "paused" }),
                  "stopped's state");
        if (queues.TryGetValue("rejecting", out rejecting))
            Check(!rejecting.Accepting && rejecting.State == PrinterState.Idle,
                  "rejecting refuses jobs");
        Check(queues.Values.Count(p => p.IsDefault) == 1, "one default");
    }

    // --------------------------------------------------------- threads --

    // 8 threads enumerating windows, printers and fonts at once, each call
    // giving what a call alone gave.
    static void Threads()
    {
        var expected = new[] {
            string.Join("\n", Cenum.Windows().Select(ToJson)),
            string.Join("\n", Cenum.Printers().Select(ToJson)),
            string.Join("\n", Cenum.Fonts().Select(ToJson))
        };
        var errors = new List<string>();
        var threads = new List<Thread>();
        for (int n = 0; n < 8; n++)
        {
            var t = new Thread(() => {
                try
                {
                    for (int round = 0; round < 5; round++)
                    {
                        var got = new[] {
                            string.Join("\n", Cenum.Windows().Select(ToJson)),
                            string.Join("\n", Cenum.Printers().Select(ToJson)),
                            string.Join("\n", Cenum.Fonts().Select(ToJson))
                        };
                        for (int k = 0; k < 3; k++)
                            if (got[k] != expected[k])
                                lock (errors)
                                    errors.Add("kind " + k + " differs");
                    }
                }
                catch (Exception e)
                {
                    lock (errors)
                        errors.Add(e.ToString());
                }
            });
            threads.Add(t);
            t.Start();
        }
        foreach (var t in threads)
            t.Join();
        foreach (var e in errors)
            Check(false, "thread: " + e);
        Check(expected.All(e => e.Length > 0), "every kind has records");
    }
}
