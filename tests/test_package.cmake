# SPDX-License-Identifier: MIT
# Installs cenum into a private prefix and builds a consumer against it in
# every way a user would: find_package (shared and static, and which
# versions it accepts), pkg-config (cenum.pc shared, cenum-static.pc really
# static), and add_subdirectory of the source tree (the library alone,
# nothing installed unless asked). Then checks that neither the library nor
# the command links a backend's library, and the build type a top-level
# build without one gets.
#   cmake -DSOURCE_DIR= -DBUILD_DIR= -DWORK_DIR= -DCONSUMER_DIR= -DC_COMPILER=
#         -DVERSION= [-DSKIP_RPATH=ON] -P test_package.cmake

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "failed (${result}): ${command}\n${out}\n${err}")
  endif()
  message(STATUS "ok: ${ARGV0} ${ARGV1} ${ARGV2}\n${out}")
  set(RUN_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

set(PREFIX ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})

# find_package
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/find_package
    -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_C_COMPILER=${C_COMPILER})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/find_package)
run(${WORK_DIR}/find_package/consumer_shared)
run(${WORK_DIR}/find_package/consumer_static)

# cenumConfigVersion.cmake: SameMajorVersion, as the SOVERSION. This
# version satisfies a request for any earlier version of its major one, and
# neither a later minor version nor another major one.
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" version "${VERSION}")
set(major ${CMAKE_MATCH_1})
set(minor ${CMAKE_MATCH_2})
math(EXPR next_minor "${minor} + 1")
math(EXPR next_major "${major} + 1")
foreach(want "${major}.${minor}" "${major}.${next_minor}" "${next_major}.0")
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_DIR}
    -B ${WORK_DIR}/want_${want} -DCMAKE_PREFIX_PATH=${PREFIX}
    -DCMAKE_C_COMPILER=${C_COMPILER} -DCENUM_WANT=${want}
    RESULT_VARIABLE result OUTPUT_QUIET ERROR_QUIET)
  if(want STREQUAL "${major}.${minor}")
    set(expected 0)
  else()
    set(expected 1)
  endif()
  if(NOT result EQUAL expected)
    message(FATAL_ERROR "find_package(cenum ${want}) with ${VERSION} "
            "installed: configure exited ${result}, expected ${expected}")
  endif()
endforeach()

# pkg-config
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
file(GLOB pc_dirs ${PREFIX}/lib*/pkgconfig ${PREFIX}/lib/*/pkgconfig)
string(REPLACE ";" ":" pc_path "${pc_dirs}")
set(ENV{PKG_CONFIG_PATH} "${pc_path}")
run(${PKG_CONFIG} --cflags --libs cenum)
separate_arguments(flags UNIX_COMMAND "${RUN_OUTPUT}")
run(${PKG_CONFIG} --variable=libdir cenum)
string(STRIP "${RUN_OUTPUT}" libdir)
run(${C_COMPILER} ${CONSUMER_DIR}/consumer.c ${flags} -Wl,-rpath,${libdir}
    -o ${WORK_DIR}/pc_shared)
run(${WORK_DIR}/pc_shared)
run(ldd ${WORK_DIR}/pc_shared)
if(NOT RUN_OUTPUT MATCHES "libcenum\\.so")
  message(FATAL_ERROR "pkg-config cenum did not link libcenum.so:\n${RUN_OUTPUT}")
endif()
# The static library through cenum-static.pc: with libcenum.so beside the
# archive, the program must still not need it.
run(${PKG_CONFIG} --static --cflags --libs cenum-static)
separate_arguments(static_flags UNIX_COMMAND "${RUN_OUTPUT}")
run(${C_COMPILER} ${CONSUMER_DIR}/consumer.c ${static_flags}
    -o ${WORK_DIR}/pc_static)
run(${WORK_DIR}/pc_static)
run(ldd ${WORK_DIR}/pc_static)
if(RUN_OUTPUT MATCHES "libcenum")
  message(FATAL_ERROR "pkg-config cenum-static linked libcenum.so:\n${RUN_OUTPUT}")
endif()
foreach(pc cenum cenum-static)
  run(${PKG_CONFIG} --modversion ${pc})
  string(STRIP "${RUN_OUTPUT}" pc_version)
  if(NOT pc_version STREQUAL VERSION)
    message(FATAL_ERROR "${pc}.pc says ${pc_version}, not ${VERSION}")
  endif()
endforeach()

# The manual
if(NOT EXISTS ${PREFIX}/share/man/man1/cenum.1)
  message(FATAL_ERROR "cenum.1 is not installed in share/man/man1")
endif()

# add_subdirectory: the library only (no command), and installing the
# parent installs nothing of cenum's...
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/subdirectory
    -DCENUM_SOURCE_DIR=${SOURCE_DIR} -DCMAKE_C_COMPILER=${C_COMPILER})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/subdirectory)
run(${WORK_DIR}/subdirectory/consumer_shared)
if(EXISTS ${WORK_DIR}/subdirectory/cenum/cenum)
  message(FATAL_ERROR "as a subdirectory cenum built its command")
endif()
file(STRINGS ${WORK_DIR}/subdirectory/CMakeCache.txt build_type
     REGEX "^CMAKE_BUILD_TYPE:")
if(NOT build_type MATCHES "^CMAKE_BUILD_TYPE:STRING=$")
  message(FATAL_ERROR "as a subdirectory cenum set the parent's ${build_type}")
endif()
run(${CMAKE_COMMAND} --install ${WORK_DIR}/subdirectory
    --prefix ${WORK_DIR}/subdirectory-prefix)
file(GLOB_RECURSE installed ${WORK_DIR}/subdirectory-prefix/*)
if(installed)
  message(FATAL_ERROR "as a subdirectory cenum installed: ${installed}")
endif()
# ...unless the parent asks for it.
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/subdirectory-install
    -DCENUM_SOURCE_DIR=${SOURCE_DIR} -DCMAKE_C_COMPILER=${C_COMPILER}
    -DCENUM_INSTALL=ON -DCENUM_BUILD_TOOLS=ON)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/subdirectory-install)
run(${CMAKE_COMMAND} --install ${WORK_DIR}/subdirectory-install
    --prefix ${WORK_DIR}/subdirectory-install-prefix)
foreach(file include/cenum.h bin/cenum share/man/man1/cenum.1)
  if(NOT EXISTS ${WORK_DIR}/subdirectory-install-prefix/${file})
    message(FATAL_ERROR "with CENUM_INSTALL=ON, ${file} was not installed")
  endif()
endforeach()

# A top-level build without a build type is optimised (RelWithDebInfo).
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/toplevel
    -DCMAKE_C_COMPILER=${C_COMPILER} -DCENUM_BUILD_TESTS=OFF
    -DCENUM_BUILD_BENCH=OFF)
file(STRINGS ${WORK_DIR}/toplevel/CMakeCache.txt build_type
     REGEX "^CMAKE_BUILD_TYPE:")
if(NOT build_type STREQUAL "CMAKE_BUILD_TYPE:STRING=RelWithDebInfo")
  message(FATAL_ERROR "a top-level build without a build type got "
          "'${build_type}', not RelWithDebInfo")
endif()

# The backends' libraries are loaded at first use, never linked.
file(GLOB libraries ${libdir}/libcenum.so)
foreach(binary ${libraries} ${PREFIX}/bin/cenum ${WORK_DIR}/pc_static)
  run(ldd ${binary})
  foreach(backend fontconfig cups X11 xcb)
    if(RUN_OUTPUT MATCHES "lib${backend}")
      message(FATAL_ERROR "${binary} links lib${backend}:\n${RUN_OUTPUT}")
    endif()
  endforeach()
endforeach()
# The installed command finds the library through its RPATH ($ORIGIN/../lib),
# unless the build left it out (Debian's: CMAKE_SKIP_INSTALL_RPATH).
if(SKIP_RPATH)
  run(${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${libdir}
      ${PREFIX}/bin/cenum --version)
else()
  run(${PREFIX}/bin/cenum --version)
endif()
