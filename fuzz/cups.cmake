# SPDX-License-Identifier: MIT
# The CUPS backend's mapping of what a print server or the network sent.
# libcups is reached through the backend's dlopen table, as in the library,
# so only its headers are needed to build these.
if(CENUM_CUPS)
  cenum_fuzzer(cups_ipp fuzz_cups_ipp.c)
  cenum_fuzzer(cups_dest fuzz_cups_dest.c)
  foreach(target fuzz_cups_ipp fuzz_cups_dest)
    target_include_directories(${target} PRIVATE ${CENUM_CUPS_INCLUDE_DIR})
  endforeach()
endif()
