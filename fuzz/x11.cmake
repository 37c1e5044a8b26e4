# SPDX-License-Identifier: MIT
# The X11 backend's property decoders; pure functions, no X server needed.
if(CENUM_X11)
  cenum_fuzzer(x11_props fuzz_x11_props.c)
endif()
