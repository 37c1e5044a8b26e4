# SPDX-License-Identifier: MIT
# Installs the header, both libraries, the command and its manual, the CMake
# package (cenum::cenum, cenum::cenum_static), cenum.pc and cenum-static.pc.
include(CMakePackageConfigHelpers)

set(CENUM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cenum)

install(FILES ${PROJECT_SOURCE_DIR}/include/cenum.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS cenum cenum_static EXPORT cenumTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(TARGET cenum_tool)
  install(TARGETS cenum_tool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  if(NOT WIN32)
    install(FILES ${PROJECT_SOURCE_DIR}/docs/cenum.1
            DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endif()
endif()

install(EXPORT cenumTargets NAMESPACE cenum::
        FILE cenumTargets.cmake DESTINATION ${CENUM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cenumConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cenumConfig.cmake INSTALL_DESTINATION ${CENUM_CMAKE_DIR})
# find_package(cenum 0.1) accepts any 0.x from 0.1 on, and 1.x never
# satisfies 0.x: the same rule as the shared library's SOVERSION (the major
# version), since within a major version records and queries only grow and
# functions are only added (README, "Versions and compatibility").
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cenumConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cenumConfig.cmake
              ${PROJECT_BINARY_DIR}/cenumConfigVersion.cmake
        DESTINATION ${CENUM_CMAKE_DIR})

# pkg-config: `pkg-config --libs cenum` links the shared library. With both
# libraries installed the linker prefers libcenum.so for -lcenum, so
# `--static` cannot make cenum.pc link the archive: cenum-static.pc names the
# archive itself, with what it needs and CE_STATIC.
if(NOT DEFINED CENUM_PC_LIBS_PRIVATE)
  set(CENUM_PC_LIBS_PRIVATE "")
endif()
# The prefix is found relative to the .pc file, so `cmake --install --prefix`
# anywhere gives a working cenum.pc.
file(RELATIVE_PATH CENUM_PC_TO_PREFIX
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" CENUM_PC_TO_PREFIX "${CENUM_PC_TO_PREFIX}")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(CENUM_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(CENUM_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(CENUM_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(CENUM_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
if(MSVC)
  set(CENUM_PC_ARCHIVE cenum_static.lib)
else()
  set(CENUM_PC_ARCHIVE
      ${CMAKE_STATIC_LIBRARY_PREFIX}cenum${CMAKE_STATIC_LIBRARY_SUFFIX})
endif()
foreach(pc cenum cenum-static)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in
                 ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
