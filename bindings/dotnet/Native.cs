// SPDX-License-Identifier: MIT
// The raw surface: <cenum.h> as platform invoke declares it. Everything a
// program needs to call libcenum the way the .NET documentation's callback
// samples call EnumWindows, with the traps of that pattern closed: the
// records' C bool fields are one byte ([MarshalAs(UnmanagedType.U1)]), every
// string the library returns is an IntPtr decoded by Native.Utf8 (a `string`
// return would make the runtime free memory it does not own), strings
// passed in are UTF-8, and a record is read only as far as its `size` says.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace CenumSharp
{
    /// <summary>libcenum's functions, records and queries as in cenum.h.
    /// The idiomatic surface is <see cref="Cenum"/>.</summary>
    public static class Native
    {
        /// <summary>The name every DllImport uses. Mono maps it to
        /// libcenum.so.0 through CenumSharp.dll.config (a dllmap); Windows
        /// loads cenum.dll; .NET on Linux resolves it in
        /// <see cref="NativeResolver"/>.</summary>
        public const string Library = "cenum";

        public const int CE_OK = 0;
        public const int CE_STOPPED = 1;
        public const int CE_CONTINUE = 0;
        public const int CE_STOP = 1;

        [StructLayout(LayoutKind.Sequential)]
        public struct ce_font
        {
            public UIntPtr size;
            public IntPtr family, style, fullname, postscript_name, path;
            public int index, weight, width, slant;
            [MarshalAs(UnmanagedType.U1)] public bool monospace;
            [MarshalAs(UnmanagedType.U1)] public bool scalable;
            public IntPtr format;
        }

        [StructLayout(LayoutKind.Sequential)]
        public struct ce_font_query
        {
            public UIntPtr size;
            public uint timeout_ms;
            public IntPtr cancel;
            public IntPtr family; // UTF-8, see Utf8Alloc
            [MarshalAs(UnmanagedType.U1)] public bool monospace_only;
        }

        [StructLayout(LayoutKind.Sequential)]
        public struct ce_window
        {
            public UIntPtr size;
            public ulong id;
            public IntPtr title, class_name, instance;
            public long pid;
            public IntPtr exe;
            public int x, y, width, height, desktop;
            [MarshalAs(UnmanagedType.U1)] public bool visible;
            [MarshalAs(UnmanagedType.U1)] public bool minimized;
            [MarshalAs(UnmanagedType.U1)] public bool managed;
            // 0.2
            public ulong transient_for;
            [MarshalAs(UnmanagedType.U1)] public bool focused;
        }

        [StructLayout(LayoutKind.Sequential)]
        public struct ce_window_query
        {
            public UIntPtr size;
            public uint timeout_ms;
            public IntPtr cancel;
            [MarshalAs(UnmanagedType.U1)] public bool visible_only;
            [MarshalAs(UnmanagedType.U1)] public bool apps_only;
            public IntPtr x11_display;
            // 0.2
            public int backend;
            // 0.2, after backend
            public ulong fields;
        }

        [StructLayout(LayoutKind.Sequential)]
        public struct ce_printer
        {
            public UIntPtr size;
            public IntPtr name, info, location, make_model, uri;
            [MarshalAs(UnmanagedType.U1)] public bool is_default;
            public int state;
            public IntPtr state_message;
            public IntPtr state_reasons; // const char *const *
            public UIntPtr state_reason_count;
            [MarshalAs(UnmanagedType.U1)] public bool accepting;
            [MarshalAs(UnmanagedType.U1)] public bool shared;
            [MarshalAs(UnmanagedType.U1)] public bool discovered;
            // 0.2
            public IntPtr instance;
        }

        [StructLayout(LayoutKind.Sequential)]
        public struct ce_printer_query
        {
            public UIntPtr size;
            public uint timeout_ms;
            public IntPtr cancel;
            [MarshalAs(UnmanagedType.U1)] public bool include_discovered;
        }

        [StructLayout(LayoutKind.Sequential)]
        public struct ce_backend
        {
            public UIntPtr size;
            public IntPtr kind, name;
            [MarshalAs(UnmanagedType.U1)] public bool available;
            public IntPtr detail;
        }

        /// <summary>Every callback of cenum.h (ce_font_fn, ce_window_fn,
        /// ce_printer_fn, ce_backend_fn): it gets the record's address, to
        /// read with ReadFont (and the others) inside the callback, where
        /// it is valid, and returns CE_CONTINUE or CE_STOP.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int RecordFn(IntPtr record, IntPtr ctx);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr ce_version_string();
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr ce_strerror(int status);
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr ce_status_name(int status);
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr ce_error_detail();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int ce_enum_fonts(RecordFn fn, IntPtr ctx);
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int ce_enum_fonts_ex(ref ce_font_query query,
                                                  RecordFn fn, IntPtr ctx);
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int ce_enum_windows(RecordFn fn, IntPtr ctx);
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int ce_enum_windows_ex(ref ce_window_query query,
                                                    RecordFn fn, IntPtr ctx);
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int ce_enum_printers(RecordFn fn, IntPtr ctx);
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int ce_enum_printers_ex(
            ref ce_printer_query query, RecordFn fn, IntPtr ctx);
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int ce_enum_backends(RecordFn fn, IntPtr ctx);

        /// <summary>A string of the library (UTF-8, NUL-terminated) as a
        /// .NET string: the one decoder of the binding, the same on every
        /// runtime. Marshal.PtrToStringUTF8 is not in netstandard2.0 nor in
        /// the .NET Framework, and PtrToStringAnsi decodes the ANSI code
        /// page on Windows; Encoding.UTF8 is UTF-8 whatever the locale.
        /// IntPtr.Zero (a field an older library did not fill) gives
        /// "".</summary>
        public static string Utf8(IntPtr text)
        {
            if (text == IntPtr.Zero)
                return "";
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0)
                length++;
            var bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>`text` as a NUL-terminated UTF-8 copy in unmanaged
        /// memory (IntPtr.Zero for null); free it with
        /// Marshal.FreeHGlobal.</summary>
        public static IntPtr Utf8Alloc(string text)
        {
            if (text == null)
                return IntPtr.Zero;
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            IntPtr copy = Marshal.AllocHGlobal(bytes.Length + 1);
            Marshal.Copy(bytes, 0, copy, bytes.Length);
            Marshal.WriteByte(copy, bytes.Length, 0);
            return copy;
        }

        /// <summary>The `size` a query of type T starts with.</summary>
        public static UIntPtr SizeOf<T>() where T : struct
        {
            return new UIntPtr((uint)Marshal.SizeOf(typeof(T)));
        }

        public static ce_font ReadFont(IntPtr font)
        {
            return Read<ce_font>(font, Marshal.SizeOf(typeof(ce_font)));
        }

        public static ce_window ReadWindow(IntPtr window)
        {
            return Read<ce_window>(window, Offset<ce_window>("transient_for"));
        }

        public static ce_printer ReadPrinter(IntPtr printer)
        {
            return Read<ce_printer>(printer, Offset<ce_printer>("instance"));
        }

        public static ce_backend ReadBackend(IntPtr backend)
        {
            return Read<ce_backend>(backend, Marshal.SizeOf(typeof(ce_backend)));
        }

        static int Offset<T>(string field)
        {
            return Marshal.OffsetOf(typeof(T), field).ToInt32();
        }

        /// <summary>A copy of the record at `record`, whose 0.1 fields take
        /// `smallest` bytes. CE_HAS_FIELD's rule for every field at once: a
        /// field is the library's when the record's `size` reaches its end.
        /// The first min(size, SizeOf(T)) bytes are copied over zeros, so a
        /// field an older library did not fill reads as 0, false or "", and
        /// nothing beyond the record is ever read.</summary>
        static T Read<T>(IntPtr record, int smallest) where T : struct
        {
            ulong size = unchecked((ulong)Marshal.ReadIntPtr(record).ToInt64());
            int full = Marshal.SizeOf(typeof(T));
            if (size < (ulong)smallest)
                throw new InvalidOperationException(
                    "cenum: a " + typeof(T).Name + " record of " + size +
                    " bytes is smaller than its 0.1 fields (" + smallest +
                    " bytes)");
            if (size >= (ulong)full)
                return (T)Marshal.PtrToStructure(record, typeof(T));
            var bytes = new byte[full];
            Marshal.Copy(record, bytes, 0, (int)size);
            IntPtr copy = Marshal.AllocHGlobal(full);
            try
            {
                Marshal.Copy(bytes, 0, copy, full);
                return (T)Marshal.PtrToStructure(copy, typeof(T));
            }
            finally
            {
                Marshal.FreeHGlobal(copy);
            }
        }

        static Native()
        {
            NativeResolver.Install();
        }
    }

    /// <summary>Where .NET (not Mono, which reads the dllmap, nor Windows,
    /// which finds cenum.dll) finds libcenum on Linux: CENUM_LIBRARY when
    /// set, else libcenum.so.0 by the system's search (.NET itself would try
    /// only libcenum.so, which the runtime package does not have).</summary>
    static class NativeResolver
    {
        internal static void Install()
        {
#if NETCOREAPP3_0_OR_GREATER
            System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(
                typeof(Native).Assembly, Resolve);
#endif
        }

#if NETCOREAPP3_0_OR_GREATER
        static IntPtr Resolve(string name,
                              System.Reflection.Assembly assembly,
                              DllImportSearchPath? path)
        {
            if (name != Native.Library)
                return IntPtr.Zero;
            IntPtr handle;
            string explicitPath =
                Environment.GetEnvironmentVariable("CENUM_LIBRARY");
            if (!string.IsNullOrEmpty(explicitPath))
                return System.Runtime.InteropServices.NativeLibrary.Load(
                    explicitPath);
            if (!OperatingSystem.IsWindows() &&
                System.Runtime.InteropServices.NativeLibrary.TryLoad(
                    "libcenum.so.0", assembly, path, out handle))
                return handle;
            return IntPtr.Zero; // the runtime's own search
        }
#endif
    }
}
