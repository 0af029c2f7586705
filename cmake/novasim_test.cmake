# novasim_add_test(NAME SOURCES... LABELS ... LIBS ...)
# One GoogleTest binary, registered with ctest test by test. A binary that registers no test is a
# defect (design.md §5), so each binary also gets a ctest check that fails on an empty list.
function(novasim_add_test name)
  cmake_parse_arguments(arg "" "" "SOURCES;LABELS;LIBS" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_LIBS} GTest::gtest GTest::gtest_main novasim_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  gtest_discover_tests(${name} PROPERTIES LABELS "${arg_LABELS}" DISCOVERY_TIMEOUT 30)
  add_test(NAME ${name}.registers_tests
    COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:${name}>
            -P ${PROJECT_SOURCE_DIR}/cmake/require_tests.cmake)
  set_tests_properties(${name}.registers_tests PROPERTIES LABELS "${arg_LABELS}")
endfunction()

# The novasim binary, run as a user would: its exit status and what it prints
# (tests/tools/run_novasim.cmake). ENV sets variables for the run, e.g. a KVM device that is not
# there, to show that a command does without it.
function(novasim_cli_test name)
  cmake_parse_arguments(arg "" "EXIT;OUTPUT;SAME_AS" "ARGS;ENV" ${ARGN})
  add_test(NAME novasim.${name}
    COMMAND ${CMAKE_COMMAND} -DNOVASIM=$<TARGET_FILE:novasim> -DEXPECT_EXIT=${arg_EXIT}
            "-DEXPECT_OUTPUT=${arg_OUTPUT}" -DEXPECT_SAME_AS=${arg_SAME_AS}
            -P ${PROJECT_SOURCE_DIR}/tests/tools/run_novasim.cmake -- ${arg_ARGS})
  set_tests_properties(novasim.${name} PROPERTIES LABELS unit ENVIRONMENT "${arg_ENV}")
endfunction()
