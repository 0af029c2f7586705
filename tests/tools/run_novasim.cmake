# Runs the novasim binary and checks what a user would see.
#   cmake -DNOVASIM=path -DEXPECT_EXIT=n [-DEXPECT_OUTPUT=regex] [-DEXPECT_SAME_AS=file]
#         -P run_novasim.cmake -- ARGS...
# EXPECT_OUTPUT is matched against stdout and stderr together; EXPECT_SAME_AS compares stdout
# with a file byte for byte.
include(${CMAKE_CURRENT_LIST_DIR}/script_args.cmake)
script_args(args)

execute_process(COMMAND ${NOVASIM} ${args}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("novasim ${args}\n-- exit status ${status}\n-- stdout:\n${out}-- stderr:\n${err}")

if(NOT status STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "expected exit status ${EXPECT_EXIT}, got ${status}")
endif()
if(DEFINED EXPECT_OUTPUT AND NOT EXPECT_OUTPUT STREQUAL "")
  if(NOT "${out}${err}" MATCHES "${EXPECT_OUTPUT}")
    message(FATAL_ERROR "output does not match: ${EXPECT_OUTPUT}")
  endif()
endif()
if(DEFINED EXPECT_SAME_AS AND NOT EXPECT_SAME_AS STREQUAL "")
  file(READ "${EXPECT_SAME_AS}" expected)
  if(NOT out STREQUAL expected)
    message(FATAL_ERROR "stdout differs from ${EXPECT_SAME_AS}")
  endif()
endif()
