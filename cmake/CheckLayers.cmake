# Fails when an #include reaches up a layer, run as a script by the build:
#   cmake -DSOURCE_DIR=<repo> -P CheckLayers.cmake
# The library's layers, lowest first: each folder of src/ may include its own headers, the
# private headers of the folders below it and the public headers (include/facetag/) those
# folders own. The command-line tool (tools/cli) may include public headers only; the benchmark
# and converter tools measure and write the library's internals and may include them. The build links each layer as its own
# static library in the same order (CMakeLists.txt), so a call that reaches up fails to link too.
cmake_minimum_required(VERSION 3.20)

set(layers common storage image nn face catalog pipeline people xmp library export annotate service cluster)
# Which layer each public header belongs to.
set(public_headers
    status=common text=common content_hash=common stop_signal=common
    image=image
    face=face models=face engine_options=face
    catalog=catalog catalog_records=catalog grouping_io=catalog events=catalog backup=catalog
    engine=pipeline remote_analyzer=pipeline
    known_faces=people people=people review=people
    xmp=xmp
    indexer=library purge=library
    graph_export=export face_crops=export
    annotate=annotate
    service=service api_keys=service
    cluster=cluster)

function(layer_rank name out)
  list(FIND layers "${name}" rank)
  set(${out} ${rank} PARENT_SCOPE)
endfunction()

function(public_rank header out)
  foreach(pair IN LISTS public_headers)
    string(REPLACE "=" ";" kv "${pair}")
    list(GET kv 0 h)
    list(GET kv 1 layer)
    if(h STREQUAL header)
      layer_rank(${layer} rank)
      set(${out} ${rank} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} -1 PARENT_SCOPE)
endfunction()

set(problems "")
# `rank` of the including file's layer; -2 for tools (public headers only).
function(check_file file rank)
  file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" inc "${line}")
    if(NOT inc MATCHES "/")
      continue()  # a header beside the file
    endif()
    string(REGEX REPLACE "/.*" "" top "${inc}")
    if(top STREQUAL "facetag")
      string(REGEX REPLACE "^facetag/([^/.]+)\\.h$" "\\1" header "${inc}")
      public_rank("${header}" target)
      if(target EQUAL -1)
        if(rank EQUAL -2)
          continue()  # a tool's own public-looking header is not the library's business
        endif()
        string(APPEND problems "${rel}: ${inc} is not a library header (name its layer in public_headers, cmake/CheckLayers.cmake)\n")
      elseif(rank GREATER_EQUAL 0 AND target GREATER rank)
        list(GET layers ${target} up)
        string(APPEND problems "${rel}: ${inc} belongs to ${up}, a layer above\n")
      endif()
    else()
      layer_rank("${top}" target)
      if(target EQUAL -1)
        continue()  # not a library folder (a tool's own subfolder, a test support header)
      endif()
      if(rank EQUAL -2)
        string(APPEND problems "${rel}: ${inc} is private to the library (use include/facetag/)\n")
      elseif(target GREATER rank)
        string(APPEND problems "${rel}: ${inc} is in ${top}, a layer above\n")
      endif()
    endif()
  endforeach()
  set(problems "${problems}" PARENT_SCOPE)
endfunction()

foreach(layer IN LISTS layers)
  layer_rank(${layer} rank)
  file(GLOB_RECURSE files "${SOURCE_DIR}/src/${layer}/*.h" "${SOURCE_DIR}/src/${layer}/*.cc")
  foreach(f IN LISTS files)
    check_file("${f}" ${rank})
  endforeach()
endforeach()
foreach(pair IN LISTS public_headers)
  string(REPLACE "=" ";" kv "${pair}")
  list(GET kv 0 h)
  list(GET kv 1 layer)
  layer_rank(${layer} rank)
  if(EXISTS "${SOURCE_DIR}/include/facetag/${h}.h")
    check_file("${SOURCE_DIR}/include/facetag/${h}.h" ${rank})
  endif()
endforeach()
file(GLOB_RECURSE cli_files "${SOURCE_DIR}/tools/cli/*.h" "${SOURCE_DIR}/tools/cli/*.cc")
foreach(f IN LISTS cli_files)
  check_file("${f}" -2)
endforeach()

if(problems)
  message(FATAL_ERROR "Includes that break the layers (lowest first: ${layers}):\n${problems}")
endif()
