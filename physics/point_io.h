// Reading and writing point sets: CSV and NumPy .npy (read and write), PLY and XYZ point clouds
// (read only), with atomic (temporary file + rename) writes.
#pragma once

#include "physics/charge_set.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace psc::physics {

// A loader or writer failure. what() is one line that names the file, the line (CSV, XYZ, ASCII
// PLY) or byte offset (NPY, binary PLY) where that applies, and the reason, e.g.
//   "data.csv:4: expected 3 values, found 2"
//   "points.npy: unsupported dtype '<i4' (need '<f4' or '<f8')"
//   "scan.ply: vertex 7 (byte offset 311): non-finite 'z'"
class PointIoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PointTable {
    int dim = 0;                 // coordinate columns
    std::vector<double> values;  // rows*dim, row-major
    std::vector<double> weights; // empty, or one per row (CSV column / PLY property q or weight)
    std::vector<std::string>
        columnNames; // coordinate column names ("x1", "x2", ... when no header; PLY/XYZ: x, y, z)
    // A file of images (an .npy of shape (M, H, W)): each point is H×W pixels, row by row.
    int imageHeight = 0, imageWidth = 0;
    std::size_t rows() const { return dim ? values.size() / dim : 0; }
};

// The most coordinates a point may have: above FFHQ 64×64 (12,288), the largest images the
// PFGM++ paper trains on. Memory is checked separately (rows × N against maxFileBytes).
inline constexpr int kMaxDataDim = 16384;

struct LoadLimits {
    std::uint64_t maxFileBytes = 1ull << 30; // 1 GiB
    std::size_t maxRows = 10'000'000;
    int minDim = 1, maxDim = kMaxDataDim;
};

// CSV: comma-separated, optional header row (detected: a first row with any non-numeric field),
// '#' comment lines and blank lines skipped, CRLF accepted. A header column named "q" or
// "weight" (case-insensitive) holds the charges; every other column is a coordinate.
// Rejected with PointIoError: missing/unreadable file, empty file or no data rows, a field that
// is not a number, NaN or infinite values, ragged rows, a dimension outside [minDim, maxDim],
// weights <= 0, a file larger than maxFileBytes or with more than maxRows rows.
PointTable loadCsv(const std::string& path, const LoadLimits& limits = {});

// NPY (format 1.0/2.0/3.0): dtype '<f4' or '<f8' (little-endian floats only), fortran_order False,
// shape (M, N) with N in [minDim, maxDim], or (M,) treated as N=1 (then rejected when minDim > 1).
// Rejected: bad magic, truncated header or data, other dtypes, Fortran order, wrong rank,
// non-finite values, limits as for CSV. No weights.
PointTable loadNpy(const std::string& path, const LoadLimits& limits = {});

// PLY (format 1.0: ascii, binary_little_endian or binary_big_endian), e.g. a 3-D scan. The header
// is "ply", one "format" line, "comment"/"obj_info" lines, "element NAME COUNT" each followed by
// its "property TYPE NAME" / "property list COUNTTYPE ITEMTYPE NAME" lines (types char, uchar,
// short, ushort, int, uint, float, double or int8 ... float64), then "end_header". The one
// "vertex" element gives the points: properties x, y, z (any numeric type, required) and an
// optional weight, a property named "q" or "weight" (names case-insensitive); other properties
// (normals, colours) and other elements (faces), before or after the vertices, are read past.
// An ASCII record is one line. dim = 3, columnNames x, y, z. Messages name the line (header,
// ASCII data) or the byte offset (binary data); vertices are counted from 0, as faces index them.
// Rejected: no "ply" line, an unknown format or version, a bad or unknown header line, no
// end_header, no vertex element or no x/y/z, a list or second property for x/y/z or the weight,
// counts that the remaining bytes cannot hold (checked before anything is allocated), truncated
// records, data after the last element, bad numbers, non-finite coordinates, weights that are not
// finite and > 0, zero vertices, limits as for CSV (maxRows counts vertices; dim 3 must lie in
// [minDim, maxDim]).
PointTable loadPly(const std::string& path, const LoadLimits& limits = {});

// XYZ: text, one point "x y z" per line, the values separated by spaces, tabs or commas; columns
// after the third (intensity, colour) are ignored unread. '#' comment lines and blank lines are
// skipped, CRLF accepted. Not the chemistry .xyz format (atom count, element symbols). No weights;
// dim = 3, columnNames x, y, z. Rejected: lines with fewer than 3 values, a first three values
// that are not numbers, empty or non-finite, no data rows, limits as for CSV.
PointTable loadXyz(const std::string& path, const LoadLimits& limits = {});

// The same readers over bytes already in memory (fuzzing, embedded data): name stands for the
// path in messages, and bytes longer than limits.maxFileBytes are refused like a large file.
PointTable parseCsv(std::string_view text, const std::string& name, const LoadLimits& limits = {});
PointTable parseNpy(std::string_view bytes, const std::string& name, const LoadLimits& limits = {});
PointTable parsePly(std::string_view bytes, const std::string& name, const LoadLimits& limits = {});
PointTable parseXyz(std::string_view text, const std::string& name, const LoadLimits& limits = {});

// Picks the loader by extension (".csv", ".npy", ".ply" or ".xyz", case-insensitive); anything
// else is an error that lists these.
PointTable loadPoints(const std::string& path, const LoadLimits& limits = {});

// Builds charges from a table (throws InvalidChargeSet as ChargeSet does).
ChargeSet chargesFromTable(const PointTable& table);

// Writers. rows*dim values; header names columns (CSV only; default "x1".."xN").
// Written to "<path>.tmp-<random>" in the same folder and renamed over path on success; on any
// failure the temporary is removed, path is untouched, and PointIoError says why
// ("cannot write 'out/x.csv': No such file or directory").
void saveCsv(const std::string& path, int columns, const std::vector<double>& values,
             const std::vector<std::string>& header = {});
void saveNpy(const std::string& path, int columns, const std::vector<double>& values);
// By extension; ".csv" or ".npy".
void savePoints(const std::string& path, int columns, const std::vector<double>& values,
                const std::vector<std::string>& header = {});

} // namespace psc::physics
