# SPDX-License-Identifier: MIT
# The version lives in one place, project(VERSION) in CMakeLists.txt; every
# other place that states it must agree: the header's CE_VERSION_*, the
# generated cenum.pc and cenum-static.pc, the newest debian/changelog entry
# (upstream part), CHANGELOG.md (a section for it, or the Unreleased section
# naming it) and `cenum --version`.
#   cmake -DVERSION= -DSOURCE_DIR= -DBUILD_DIR= -DCENUM= -P test_version.cmake
set(errors "")
macro(expect what found)
  if(NOT "${found}" STREQUAL "${VERSION}")
    string(APPEND errors "${what} says '${found}', project(VERSION) ${VERSION}\n")
  endif()
endmacro()

file(READ ${SOURCE_DIR}/include/cenum.h header)
foreach(part MAJOR MINOR PATCH)
  if(header MATCHES "#define CE_VERSION_${part} ([0-9]+)")
    list(APPEND header_version ${CMAKE_MATCH_1})
  endif()
endforeach()
list(JOIN header_version "." header_version)
expect("include/cenum.h" "${header_version}")

foreach(pc cenum cenum-static)
  set(pc_version "")
  if(EXISTS ${BUILD_DIR}/${pc}.pc)
    file(STRINGS ${BUILD_DIR}/${pc}.pc line REGEX "^Version: ")
    string(REGEX REPLACE "^Version: " "" pc_version "${line}")
  endif()
  expect("${pc}.pc" "${pc_version}")
endforeach()

file(STRINGS ${SOURCE_DIR}/debian/changelog first LIMIT_COUNT 1)
# "cenum (0.2.0) unstable; urgency=medium" (a native package); a Debian
# revision after a hyphen ("0.2.0-1") is not part of the upstream version.
string(REGEX REPLACE "^cenum \\(([^)-]*)(-[^)]*)?\\).*" "\\1" debian
       "${first}")
expect("debian/changelog" "${debian}")

file(READ ${SOURCE_DIR}/CHANGELOG.md changelog)
string(REPLACE "." "\\." version_re "${VERSION}")
if(NOT changelog MATCHES "\n## \\[${version_re}\\]" AND
   NOT changelog MATCHES "\n## \\[Unreleased\\]\n\nTo be released as ${version_re} ")
  string(APPEND errors "CHANGELOG.md has no section for ${VERSION}\n")
endif()

execute_process(COMMAND ${CENUM} --version OUTPUT_VARIABLE out
                RESULT_VARIABLE result)
string(REGEX MATCH "^cenum ([^\n]*)" line "${out}")
expect("cenum --version (exit ${result})" "${CMAKE_MATCH_1}")

if(errors)
  message(FATAL_ERROR "versions disagree:\n${errors}")
endif()
message(STATUS "version ${VERSION} everywhere")
