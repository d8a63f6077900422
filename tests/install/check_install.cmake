# Checks `cmake --install`: installs the build tree into a fresh prefix, requires exactly the
# expected files (binary, desktop entry, icons, assets), validates the desktop entry and runs the
# installed binary. Run by CTest (test install_tree) with -DBUILD_DIR, -DSOURCE_DIR, -DBINDIR,
# -DDATADIR and -DVERSION.
cmake_minimum_required(VERSION 3.24)

foreach(var BUILD_DIR SOURCE_DIR BINDIR DATADIR VERSION)
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

file(REMOVE_RECURSE "${prefix}")
message(STATUS "check_install: ${prefix} held exactly the expected files; the binary runs")
