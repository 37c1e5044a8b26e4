# SPDX-License-Identifier: MIT
# The Win32 backend's UTF-16 conversion, which is plain C on 16-bit units
# (no <windows.h>), built natively for the fuzzer.
cenum_fuzzer(utf16 fuzz_utf16.c ${PROJECT_SOURCE_DIR}/src/win32/utf16.c)
# The OpenType reader that finds a face in a collection, likewise plain C.
cenum_fuzzer(sfnt fuzz_sfnt.c ${PROJECT_SOURCE_DIR}/src/win32/sfnt.c)
