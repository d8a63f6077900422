# Checks `cmake --install`: installs the build tree into a fresh prefix, requires exactly the
# expected files (binary, modules, desktop entry, icons, assets), validates the desktop entry and
# runs the installed binary, with its LibTorch module when there is one. Run by CTest (test
# install_tree) with -DBUILD_DIR, -DSOURCE_DIR, -DBINDIR, -DDATADIR, -DVERSION, -DMODULES (paths
# joined with '|') and -DWITH_TORCH.
cmake_minimum_required(VERSION 3.24)

foreach(var BUILD_DIR SOURCE_DIR BINDIR DATADIR VERSION MODULES WITH_TORCH)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_install: -D${var}=... is required")
  endif()
endforeach()

set(prefix "${BUILD_DIR}/install-check")
file(REMOVE_RECURSE "${prefix}")
# A DESTDIR in the environment would send the files elsewhere.
unset(ENV{DESTDIR})
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "check_install: cmake --install failed (${rc}); is poissonscope built?\n${out}")
endif()

set(bin "${BINDIR}/poissonscope")
set(desktop "${DATADIR}/applications/poissonscope.desktop")
set(svg "${DATADIR}/icons/hicolor/scalable/apps/poissonscope.svg")
set(png "${DATADIR}/icons/hicolor/256x256/apps/poissonscope.png")
set(expected "${bin}" "${desktop}" "${svg}" "${png}")
string(REPLACE "|" ";" modules "${MODULES}")
list(APPEND expected ${modules})
# The assets are installed as they are in the source tree, every file of each folder.
foreach(dir scenes data lessons)
  file(GLOB_RECURSE assets RELATIVE "${SOURCE_DIR}/assets" "${SOURCE_DIR}/assets/${dir}/*")
  foreach(asset IN LISTS assets)
    list(APPEND expected "${DATADIR}/poissonscope/${asset}")
  endforeach()
endforeach()
foreach(required "${DATADIR}/poissonscope/lessons/pfgm-tour.json"
                 "${DATADIR}/poissonscope/scenes/default.json"
                 "${DATADIR}/poissonscope/data/heart.csv")
  if(NOT required IN_LIST expected)
    message(FATAL_ERROR "check_install: ${required} is missing from the source tree's assets")
  endif()
endforeach()

file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${prefix}" "${prefix}/*")
set(problems "")
foreach(file IN LISTS expected)
  if(NOT EXISTS "${prefix}/${file}")
    string(APPEND problems "  missing: ${file}\n")
  endif()
endforeach()
foreach(file IN LISTS installed)
  if(NOT file IN_LIST expected)
    string(APPEND problems "  unexpected: ${file}\n")
  endif()
endforeach()
if(problems)
  list(SORT installed)
  list(JOIN installed "\n  " tree)
  message(FATAL_ERROR "check_install: the installed tree is wrong:\n${problems}installed:\n  ${tree}")
endif()

# The PNG's IHDR chunk holds width and height as big-endian 32-bit numbers at bytes 16..23.
file(READ "${prefix}/${png}" ihdr OFFSET 16 LIMIT 8 HEX)
if(NOT ihdr STREQUAL "0000010000000100")
  message(FATAL_ERROR "check_install: ${png} is not 256x256 (IHDR size bytes ${ihdr})")
endif()

# The desktop entry must start the installed binary and name the installed icon.
file(STRINGS "${prefix}/${desktop}" exec_lines REGEX "^Exec=")
file(STRINGS "${prefix}/${desktop}" icon_lines REGEX "^Icon=")
if(NOT exec_lines MATCHES "^Exec=poissonscope( |$)")
  message(FATAL_ERROR "check_install: ${desktop} does not run poissonscope: '${exec_lines}'")
endif()
if(NOT icon_lines STREQUAL "Icon=poissonscope")
  message(FATAL_ERROR "check_install: ${desktop} does not name the poissonscope icon: '${icon_lines}'")
endif()
find_program(DESKTOP_FILE_VALIDATE desktop-file-validate)
if(DESKTOP_FILE_VALIDATE)
  execute_process(COMMAND "${DESKTOP_FILE_VALIDATE}" "${prefix}/${desktop}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_install: desktop-file-validate rejects ${desktop}:\n${out}")
  endif()
else()
  message(STATUS "check_install: desktop-file-validate not found; the desktop entry is not validated")
endif()

# The installed copy runs on its own (no build-tree RPATH needed) and reports its version.
execute_process(COMMAND "${prefix}/${bin}" --version
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out STREQUAL "poissonscope ${VERSION}\n")
  message(FATAL_ERROR "check_install: '${bin} --version' gave exit ${rc}, output '${out}' ${err}")
endif()

# The installed binary loads the installed LibTorch module (found relative to itself, before the
# build tree) and flows with it; the dynamic loader's log names the file it mapped.
if(WITH_TORCH)
  list(FILTER modules INCLUDE REGEX "libpoissonscope-torch\\.so$")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env LD_DEBUG=files
                  "${prefix}/${bin}" sample --dataset two-moons --count 50 --particles 4 --steps 2
                  --backend torch --threads 1 --quiet
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(FIND "${err}" "file=${prefix}/${modules} " at)
  if(NOT rc EQUAL 0 OR at EQUAL -1)
    string(REGEX MATCH "[^\n]*libpoissonscope-torch[^\n]*" loaded "${err}")
    message(FATAL_ERROR "check_install: the installed binary did not flow with the installed "
                        "LibTorch module (exit ${rc}; loaded: '${loaded}')")
  endif()
endif()

file(REMOVE_RECURSE "${prefix}")
message(STATUS "check_install: ${prefix} held exactly the expected files; the binary runs")
