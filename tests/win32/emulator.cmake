# SPDX-License-Identifier: MIT
# Included by tests/CMakeLists.txt in a MinGW-w64 cross build: every test
# of that directory runs its program under Wine through wine-run.sh, in the
# private prefix of the `wine` fixture, never in the user's ~/.wine.
set(CENUM_WINE_RUN ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh)
set(CENUM_WINE_ENV_FILE ${CMAKE_CURRENT_BINARY_DIR}/win32/wine/env)

get_property(cenum_wine_targets DIRECTORY PROPERTY BUILDSYSTEM_TARGETS)
foreach(target IN LISTS cenum_wine_targets)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    set_property(TARGET ${target} PROPERTY CROSSCOMPILING_EMULATOR
                 ${CENUM_WINE_RUN})
  endif()
endforeach()

get_property(cenum_wine_tests DIRECTORY PROPERTY TESTS)
foreach(test IN LISTS cenum_wine_tests)
  # The fixtures' own setup and cleanup tests run on the host.
  get_test_property(${test} FIXTURES_SETUP setup)
  get_test_property(${test} FIXTURES_CLEANUP cleanup)
  if(setup OR cleanup)
    continue()
  endif()
  set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED wine)
  set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT
               CENUM_WINE_ENV=${CENUM_WINE_ENV_FILE})
endforeach()
