# SPDX-License-Identifier: MIT
# The Wayland backend's hand decoders: sway's get_tree JSON, the wlr state
# array, the ext identifier; pure functions, no compositor needed.
if(CENUM_WAYLAND)
  cenum_fuzzer(wayland fuzz_wayland.c)
endif()
