# Layers.AnUpwardIncludeFailsTheBuild: cmake/CheckLayers.cmake (run by every build) refuses an
# include that reaches up a layer or, from tools/cli, into the library's private headers, and
# accepts the tree as it is.
#   cmake -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P upward_include_test.cmake
set(tree "${WORK_DIR}/layers-tree")
file(REMOVE_RECURSE "${tree}")
file(WRITE "${tree}/src/face/reaches_up.cc" "#include \"pipeline/face_steps.h\"\n")
file(WRITE "${tree}/src/face/public_up.h" "#include \"facetag/engine.h\"\n")
file(WRITE "${tree}/src/pipeline/reaches_down.cc" "#include \"face/detector.h\"\n#include \"facetag/image.h\"\n")
file(WRITE "${tree}/tools/cli/private.cc" "#include \"service/router.h\"\n#include \"facetag/service.h\"\n")
execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${tree} -P ${SOURCE_DIR}/cmake/CheckLayers.cmake
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "upward includes were accepted")
endif()
string(REPLACE "\n" " " err "${err}")
foreach(expected "src/face/reaches_up.cc: pipeline/face_steps.h" "src/face/public_up.h: facetag/engine.h"
                 "tools/cli/private.cc: service/router.h")
  string(FIND "${err}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "not reported: ${expected}\n${err}")
  endif()
endforeach()
foreach(allowed "reaches_down.cc" "facetag/service.h")
  string(FIND "${err}" "${allowed}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "reported though allowed: ${allowed}\n${err}")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${SOURCE_DIR} -P ${SOURCE_DIR}/cmake/CheckLayers.cmake
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the repository's own tree breaks the layers:\n${err}")
endif()
file(REMOVE_RECURSE "${tree}")
