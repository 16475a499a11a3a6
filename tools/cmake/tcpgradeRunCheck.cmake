# Runs tcpgrade check and passes when its exit code is exactly WANT (0 or 1); prints the report.
execute_process(COMMAND ${TCPGRADE} check ${SCENARIO} ${CAPTURE} --format ${FORMAT} --color never
                RESULT_VARIABLE status)
if(NOT status STREQUAL "${WANT}")
  message(FATAL_ERROR "tcpgrade check exited ${status}, expected ${WANT}")
endif()
