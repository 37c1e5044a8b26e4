# Installs the header, both libraries, the command, the CMake package
# (cenum::cenum, cenum::cenum_static) and cenum.pc.
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
endif()

install(EXPORT cenumTargets NAMESPACE cenum::
        FILE cenumTargets.cmake DESTINATION ${CENUM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cenumConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cenumConfig.cmake INSTALL_DESTINATION ${CENUM_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cenumConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cenumConfig.cmake
              ${PROJECT_BINARY_DIR}/cenumConfigVersion.cmake
        DESTINATION ${CENUM_CMAKE_DIR})

# pkg-config: `pkg-config --libs cenum` links the shared library;
# `pkg-config --static --libs --cflags cenum` adds what a static link needs.
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
configure_file(${PROJECT_SOURCE_DIR}/cmake/cenum.pc.in
               ${PROJECT_BINARY_DIR}/cenum.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cenum.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
