// The strict CSV point reader and its writer.
#include "physics/file_util.h"
#include "physics/point_io.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>

namespace psc::physics {

using detail::checkDim;
using detail::checkInMemorySize;
using detail::checkShape;
using detail::fail;
using detail::failAt;
using detail::FieldKind;
using detail::flushChunk;
using detail::kChunk;
using detail::lower;
using detail::parseFiniteField;
using detail::parseNumber;
using detail::readWholeFile;
using detail::trim;
using detail::writeAtomically;

namespace {

void splitFields(std::string_view line, std::vector<std::string_view>& fields) {
    fields.clear();
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        fields.push_back(trim(line.substr(start, comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
}

std::string_view unquote(std::string_view name) {
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
        return trim(name.substr(1, name.size() - 2));
    return name;
}

// Column layout decided by the header (or by the first data row when there is none).
struct CsvLayout {
    std::size_t fields = 0;
    int weightColumn = -1;
};

CsvLayout readHeader(const std::string& path, std::size_t line,
                     const std::vector<std::string_view>& fields, PointTable& table) {
    CsvLayout layout{fields.size(), -1};
    for (std::size_t c = 0; c < fields.size(); ++c) {
        const std::string_view name = unquote(fields[c]);
        const std::string key = lower(name);
        if (key == "q" || key == "weight") {
            if (layout.weightColumn >= 0)
                failAt(path, line, "more than one weight column ('q' or 'weight')");
            layout.weightColumn = static_cast<int>(c);
        } else {
            table.columnNames.push_back(name.empty() ? "x" + std::to_string(c + 1)
                                                     : std::string(name));
        }
    }
    return layout;
}

void parseCsvRow(const std::string& path, std::size_t line,
                 const std::vector<std::string_view>& fields, const CsvLayout& layout,
                 PointTable& table) {
    if (fields.size() != layout.fields)
        failAt(path, line,
               "expected " + std::to_string(layout.fields) + " values, found " +
                   std::to_string(fields.size()));
    for (std::size_t c = 0; c < fields.size(); ++c) {
        const double value = parseFiniteField(fields[c], c, path, line);
        if (static_cast<int>(c) == layout.weightColumn) {
            if (!(value > 0))
                failAt(path, line, "weight must be > 0, found '" + std::string(fields[c]) + "'");
            table.weights.push_back(value);
        } else {
            table.values.push_back(value);
        }
    }
}

} // namespace

PointTable loadCsv(const std::string& path, const LoadLimits& limits) {
    return parseCsv(readWholeFile(path, limits), path, limits);
}

PointTable parseCsv(std::string_view text, const std::string& path, const LoadLimits& limits) {
    checkInMemorySize(text.size(), path, limits);
    std::string_view rest(text);
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3); // UTF-8 BOM from spreadsheets

    PointTable table;
    CsvLayout layout;
    bool started = false;
    std::size_t rows = 0;
    std::vector<std::string_view> fields;
    for (std::size_t lineNo = 1; !rest.empty(); ++lineNo) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = trim(rest.substr(0, nl));
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (line.empty() || line.front() == '#') continue;
        splitFields(line, fields);
        if (!started) {
            started = true;
            double ignored = 0;
            const bool header = std::any_of(fields.begin(), fields.end(), [&](std::string_view f) {
                return parseNumber(f, ignored) == FieldKind::NotANumber;
            });
            if (header) {
                layout = readHeader(path, lineNo, fields, table);
                table.dim = static_cast<int>(table.columnNames.size());
                checkDim(path, lineNo, table.columnNames.size(), limits);
                continue;
            }
            layout.fields = fields.size();
            checkDim(path, lineNo, fields.size(), limits);
            table.dim = static_cast<int>(fields.size());
            for (int k = 1; k <= table.dim; ++k)
                table.columnNames.push_back("x" + std::to_string(k));
        }
        if (++rows > limits.maxRows)
            failAt(path, lineNo,
                   "more than " + std::to_string(limits.maxRows) + " rows, above the limit");
        parseCsvRow(path, lineNo, fields, layout, table);
    }
    if (!started) fail(path, "no data rows (the file is empty)");
    if (rows == 0) fail(path, "no data rows (only a header)");
    return table;
}

void saveCsv(const std::string& path, int columns, const std::vector<double>& values,
             const std::vector<std::string>& header) {
    checkShape(path, columns, values.size());
    if (!header.empty() && header.size() != static_cast<std::size_t>(columns))
        fail(path, "cannot write: " + std::to_string(header.size()) + " header names for " +
                       std::to_string(columns) + " columns");
    for (const std::string& name : header)
        if (name.find_first_of(",\r\n") != std::string::npos)
            fail(path, "cannot write: header name '" + name + "' contains a comma or line break");
    writeAtomically(path, [&](std::FILE* file) {
        std::string buffer;
        for (int c = 0; c < columns; ++c) {
            if (c) buffer += ',';
            buffer += header.empty() ? "x" + std::to_string(c + 1) : header[c];
        }
        buffer += '\n';
        std::array<char, 32> number{};
        for (std::size_t i = 0; i < values.size(); ++i) {
            // Shortest representation that reads back to the same double.
            const auto [end, ec] =
                std::to_chars(number.data(), number.data() + number.size(), values[i]);
            buffer.append(number.data(), end);
            buffer += (i + 1) % columns == 0 ? '\n' : ',';
            if (buffer.size() >= kChunk && !flushChunk(file, buffer)) return false;
        }
        return flushChunk(file, buffer);
    });
}

} // namespace psc::physics
