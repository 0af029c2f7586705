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
