// The XYZ point cloud reader: one "x y z [more columns]" point per line.
#include "physics/file_util.h"
#include "physics/point_io.h"

#include <cmath>
#include <string_view>
#include <vector>

namespace psc::physics {

using detail::checkDim;
using detail::checkInMemorySize;
using detail::fail;
using detail::failAt;
using detail::parseFiniteField;
using detail::readWholeFile;
using detail::trim;

namespace {

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}

// Runs of spaces and tabs separate values, and so does one comma with blanks around it; a second
// comma in a row leaves an empty value between them (an error if it is one of x, y, z).
void splitXyzFields(std::string_view line, std::vector<std::string_view>& fields) {
    fields.clear();
    std::size_t i = 0;
    while (true) {
        const std::size_t start = i;
        while (i < line.size() && !isBlank(line[i]) && line[i] != ',') ++i;
        fields.push_back(line.substr(start, i - start));
        while (i < line.size() && isBlank(line[i])) ++i;
        if (i == line.size()) break;
        if (line[i] == ',') {
            ++i;
            while (i < line.size() && isBlank(line[i])) ++i;
        }
    }
}

} // namespace

PointTable loadXyz(const std::string& path, const LoadLimits& limits) {
    return parseXyz(readWholeFile(path, limits), path, limits);
}

PointTable parseXyz(std::string_view text, const std::string& path, const LoadLimits& limits) {
    checkInMemorySize(text.size(), path, limits);
    std::string_view rest(text);
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);

    PointTable table;
    table.dim = 3;
    table.columnNames = {"x", "y", "z"};
    checkDim(path, 0, 3, limits);
    std::size_t rows = 0;
    std::vector<std::string_view> fields;
    for (std::size_t lineNo = 1; !rest.empty(); ++lineNo) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = trim(rest.substr(0, nl));
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (line.empty() || line.front() == '#') continue;
        splitXyzFields(line, fields);
        if (fields.size() < 3)
            failAt(path, lineNo,
                   "expected at least 3 values (x y z), found " + std::to_string(fields.size()));
        if (++rows > limits.maxRows)
            failAt(path, lineNo,
                   "more than " + std::to_string(limits.maxRows) + " rows, above the limit");
        for (std::size_t c = 0; c < 3; ++c)
            table.values.push_back(parseFiniteField(fields[c], c, path, lineNo));
    }
    if (rows == 0) fail(path, "no data rows (the file is empty or has only comments)");
    return table;
}

} // namespace psc::physics
