# SPDX-License-Identifier: MIT
# cenum_warnings(target): the warning flags every cenum target builds with.
function(cenum_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${CENUM_WERROR}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -pedantic
      $<$<BOOL:${CENUM_WERROR}>:-Werror>)
  endif()
endfunction()
