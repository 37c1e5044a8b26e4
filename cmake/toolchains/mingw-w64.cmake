# SPDX-License-Identifier: MIT
# Cross-compiles cenum for 64-bit Windows with MinGW-w64 (Debian's
# mingw-w64 package) and runs what it builds (tests, try_run) under Wine:
#   cmake -S . -B build-mingw \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64.cmake
#   cmake --build build-mingw && ctest --test-dir build-mingw
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(CENUM_MINGW_TRIPLE x86_64-w64-mingw32)
# Debian ships a -win32 (Win32 threads) and a -posix (winpthread) flavour;
# cenum uses no C11 or POSIX threads, so the plain name does.
find_program(CMAKE_C_COMPILER NAMES ${CENUM_MINGW_TRIPLE}-gcc REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${CENUM_MINGW_TRIPLE}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${CENUM_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The installed cenum.exe and cenum.dll must run from their directory
# alone: -static links the MinGW-w64 runtime (libgcc, and winpthread should
# anything pull it in) into them instead of needing its DLLs. The Windows
# system DLLs stay DLLs: MinGW-w64 has only import libraries for them.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")

# Tests and try_run go through Wine (Debian's `wine` runs 64-bit programs).
find_program(CENUM_WINE NAMES wine wine64)
if(CENUM_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${CENUM_WINE})
endif()
