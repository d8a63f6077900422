// Internal to physics/: helpers shared by the point readers and writers (not a public API).
#pragma once

#include "physics/point_io.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>

namespace psc::physics::detail {

// Throw PointIoError "path: reason" / "path:line: reason".
[[noreturn]] void fail(const std::string& path, const std::string& reason);
[[noreturn]] void failAt(const std::string& path, std::size_t line, const std::string& reason);

// ASCII lower case.
std::string lower(std::string_view s);
// The extension of path including the dot, lower-cased ("" when there is none).
std::string extensionOf(const std::string& path);
// s without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view s);

// One number field of a text file (CSV, XYZ, ASCII PLY): what std::from_chars reads, plus a
// leading '+'. The whole field must be the number. "nan" and "inf" read as such, an overflow
// reads as HUGE_VAL and an underflow as 0, so callers reject non-finite values in one place.
enum class FieldKind { Number, Empty, NotANumber };
FieldKind parseNumber(std::string_view field, double& value);
// The finite number in a text file's field (column counts from 0); throws PointIoError naming
// path, line and "column c+1" when it is empty, not a number or not finite.
double parseFiniteField(std::string_view field, std::size_t column, const std::string& path,
                        std::size_t line);

// The size of the regular file at path; throws PointIoError when it is missing, a directory,
// unreadable or larger than limits.maxFileBytes.
std::uint64_t checkedFileSize(const std::string& path, const LoadLimits& limits);
// An open binary stream on path; throws PointIoError (with strerror) when it cannot be opened.
std::ifstream openForReading(const std::string& path);
// The whole file at path, checked as checkedFileSize checks it; throws PointIoError.
std::string readWholeFile(const std::string& path, const LoadLimits& limits);
// Throws PointIoError when bytes already in memory are more than limits.maxFileBytes.
void checkInMemorySize(std::size_t size, const std::string& path, const LoadLimits& limits);
// Throws PointIoError when dim is outside [limits.minDim, limits.maxDim]; line 0 means the
// message names no line.
void checkDim(const std::string& path, std::size_t line, std::size_t dim, const LoadLimits& limits);

// Buffer size for reading and writing data in pieces.
inline constexpr std::size_t kChunk = 1 << 20;

// Runs body on a sibling temporary "<path>.tmp-<random>" and renames it over path. body returns
// false when a write failed (errno set). On any failure the temporary is removed, path is
// untouched and PointIoError "cannot write '<path>': <reason>" is thrown; exceptions thrown by
// body propagate unchanged (after the cleanup).
void writeAtomically(const std::string& path, const std::function<bool(std::FILE*)>& body);
// Throws PointIoError unless columns >= 1 and valueCount is a whole number of rows.
void checkShape(const std::string& path, int columns, std::size_t valueCount);
// Writes buffer to file and clears it; false when the write was short (errno set).
bool flushChunk(std::FILE* file, std::string& buffer);

} // namespace psc::physics::detail
