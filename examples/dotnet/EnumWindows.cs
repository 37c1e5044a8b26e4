// SPDX-License-Identifier: MIT
// The .NET documentation's "Callback Functions" sample, which hands a
// managed callback to user32's EnumWindows, done through cenum: the same
// program runs on Windows and on Linux (X11 or Wayland).
//
//   mcs -r:CenumSharp.dll EnumWindows.cs && mono EnumWindows.exe
//   (or dotnet run with EnumWindows.csproj)
using System;
using CenumSharp;

public class EnumReportApp
{
    public static int Main()
    {
        // As in the documentation: a delegate for the callback, kept in a
        // variable (and alive) while the enumerator may call it.
        Native.RecordFn myCallBack = Report;
        int status = Native.ce_enum_windows(myCallBack, IntPtr.Zero);
        GC.KeepAlive(myCallBack);
        if (status < 0)
        {
            Console.Error.WriteLine("EnumWindows: " +
                                    Native.Utf8(Native.ce_error_detail()));
            return 1;
        }

        // The same with cenum's idiomatic surface: a lambda, records, and a
        // CenumException on failure.
        Cenum.EnumWindows(window => {
            Console.WriteLine("Window {0} is {1}x{2} at {3},{4}",
                              window.Id, window.Width, window.Height,
                              window.X, window.Y);
            return true; // false stops the enumeration
        });
        return 0;
    }

    // The record is valid only during the call: read it here.
    public static int Report(IntPtr record, IntPtr ctx)
    {
        Native.ce_window window = Native.ReadWindow(record);
        Console.Write("Window handle is ");
        Console.WriteLine(window.id);
        return Native.CE_CONTINUE;
    }
}
