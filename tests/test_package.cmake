# Installs cenum into a private prefix and builds a consumer against it in
# every way a user would: find_package (shared and static), pkg-config
# (shared and static), and add_subdirectory of the source tree. Then checks
# that neither the library nor the command links a backend's library.
#   cmake -DSOURCE_DIR= -DBUILD_DIR= -DWORK_DIR= -DCONSUMER_DIR= -DC_COMPILER=
#         -P test_package.cmake

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

# pkg-config
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${PREFIX}/lib/pkgconfig)
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
run(${PKG_CONFIG} --static --cflags --libs cenum)
separate_arguments(static_flags UNIX_COMMAND "${RUN_OUTPUT}")
# The linker prefers libcenum.so; ask for the archive by name.
list(TRANSFORM static_flags REPLACE "^-lcenum$" "-l:libcenum.a")
run(${C_COMPILER} ${CONSUMER_DIR}/consumer.c ${static_flags}
    -o ${WORK_DIR}/pc_static)
run(${WORK_DIR}/pc_static)

# add_subdirectory
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/subdirectory
    -DCENUM_SOURCE_DIR=${SOURCE_DIR} -DCMAKE_C_COMPILER=${C_COMPILER})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/subdirectory)
run(${WORK_DIR}/subdirectory/consumer_shared)

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
run(${PREFIX}/bin/cenum --version)
