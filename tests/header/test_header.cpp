// SPDX-License-Identifier: MIT
// The same program built as C++ (see test_header.c).
#include "test_header.c"
