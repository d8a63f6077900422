// Point set files: picks the reader (CSV, .npy, PLY, XYZ) or writer (CSV, .npy) by extension, and
// turns tables into charges.
#include "physics/point_io.h"

#include "physics/file_util.h"

namespace psc::physics {

using detail::extensionOf;
using detail::fail;

PointTable loadPoints(const std::string& path, const LoadLimits& limits) {
    const std::string ext = extensionOf(path);
    if (ext == ".csv") return loadCsv(path, limits);
    if (ext == ".npy") return loadNpy(path, limits);
    if (ext == ".ply") return loadPly(path, limits);
    if (ext == ".xyz") return loadXyz(path, limits);
    fail(path, "unknown file type (use .csv, .npy, .ply or .xyz)");
}

ChargeSet chargesFromTable(const PointTable& table) {
    return ChargeSet(table.dim, table.values, table.weights);
}

void savePoints(const std::string& path, int columns, const std::vector<double>& values,
                const std::vector<std::string>& header) {
    const std::string ext = extensionOf(path);
    if (ext == ".csv") return saveCsv(path, columns, values, header);
    if (ext == ".npy") return saveNpy(path, columns, values);
    fail(path, "unknown file type (use .csv or .npy)");
}

} // namespace psc::physics
