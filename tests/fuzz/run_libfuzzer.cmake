# Runs a libFuzzer target from a fresh working corpus and checks how it ends.
#   cmake -DFUZZER=path -DWORK=dir -DRUNS=n -DEXPECT=crash|clean [-DEXPECT_OUTPUT=regex]
#         -P run_libfuzzer.cmake -- [CORPUS_DIR...]
# NOVASIM_SEED in the environment is libFuzzer's -seed (unset: 1; 0: libFuzzer draws one, and
# prints it, as "Seed: N"). The output is shown, so a failure shows the seed and the report.
include(${CMAKE_CURRENT_LIST_DIR}/../tools/script_args.cmake)
script_args(dirs)

set(seed 1)
if(DEFINED ENV{NOVASIM_SEED} AND NOT "$ENV{NOVASIM_SEED}" STREQUAL "")
  set(seed $ENV{NOVASIM_SEED})
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus)
execute_process(COMMAND ${FUZZER} -seed=${seed} -runs=${RUNS} -max_len=8192 -timeout=60
                        -artifact_prefix=${WORK}/ ${WORK}/corpus ${dirs}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${FUZZER} -seed=${seed} -runs=${RUNS}\n-- exit status ${status}\n${out}${err}")

if(EXPECT STREQUAL "crash" AND status EQUAL 0)
  message(FATAL_ERROR "expected a crash within ${RUNS} runs (NOVASIM_SEED=${seed})")
endif()
if(EXPECT STREQUAL "clean" AND NOT status EQUAL 0)
  message(FATAL_ERROR "expected no finding in ${RUNS} runs (NOVASIM_SEED=${seed})")
endif()
if(DEFINED EXPECT_OUTPUT AND NOT "${out}${err}" MATCHES "${EXPECT_OUTPUT}")
  message(FATAL_ERROR "output does not match: ${EXPECT_OUTPUT} (NOVASIM_SEED=${seed})")
endif()
