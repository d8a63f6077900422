// The PLY point cloud reader (format 1.0, ASCII and binary): the vertex element's x, y, z and
// weight, every other element and property read past.
#include "physics/file_util.h"
#include "physics/point_io.h"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

namespace psc::physics {

using detail::checkDim;
using detail::checkInMemorySize;
using detail::fail;
using detail::failAt;
using detail::FieldKind;
using detail::lower;
using detail::parseNumber;
using detail::readWholeFile;
using detail::trim;

namespace {

enum class PlyFormat { Ascii, BinaryLittleEndian, BinaryBigEndian };
enum class PlyType { Int8, Uint8, Int16, Uint16, Int32, Uint32, Float32, Float64 };

struct PlyTypeName {
    std::string_view name;
    PlyType type;
};
constexpr std::array<PlyTypeName, 16> kPlyTypes = {{
    {"char", PlyType::Int8},
    {"int8", PlyType::Int8},
    {"uchar", PlyType::Uint8},
    {"uint8", PlyType::Uint8},
    {"short", PlyType::Int16},
    {"int16", PlyType::Int16},
    {"ushort", PlyType::Uint16},
    {"uint16", PlyType::Uint16},
    {"int", PlyType::Int32},
    {"int32", PlyType::Int32},
    {"uint", PlyType::Uint32},
    {"uint32", PlyType::Uint32},
    {"float", PlyType::Float32},
    {"float32", PlyType::Float32},
    {"double", PlyType::Float64},
    {"float64", PlyType::Float64},
}};

std::size_t sizeOf(PlyType t) {
    switch (t) {
    case PlyType::Int8:
    case PlyType::Uint8:
        return 1;
    case PlyType::Int16:
    case PlyType::Uint16:
        return 2;
    case PlyType::Int32:
    case PlyType::Uint32:
    case PlyType::Float32:
        return 4;
    case PlyType::Float64:
        return 8;
    }
    return 8;
}

struct PlyProperty {
    std::string name;
    PlyType type = PlyType::Float32; // the item type of a list
    bool isList = false;
    PlyType countType = PlyType::Uint8;
    std::size_t line = 0;
};

struct PlyElement {
    std::string name;
    std::uint64_t count = 0;
    std::size_t line = 0;
    std::vector<PlyProperty> properties;
    bool hasLists = false;
    // Bytes (binary) or values (ASCII) of a record whose lists are all empty.
    std::uint64_t minRecordBytes = 0;
    std::size_t minRecordValues = 0;
};

struct PlyHeader {
    PlyFormat format = PlyFormat::Ascii;
    std::vector<PlyElement> elements;
    std::size_t dataOffset = 0;
    std::size_t lastLine = 0;
    // The vertex element, and for each of its properties the slot it fills: 0-2 x, y, z, 3 the
    // weight, -1 none.
    std::size_t vertex = 0;
    std::vector<int> slots;
    bool hasWeight = false;
};

// At most 40 bytes of the file, control bytes as '?', so that a message stays one short line
// whatever the file holds.
std::string printable(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 40))
        out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
    return s.size() > 40 ? out + "..." : out;
}
std::string quoted(std::string_view s) {
    return "'" + printable(s) + "'";
}

// "vertex 12", "face 3": a record as messages name it, counted from 0 as faces index vertices.
std::string recordText(const PlyElement& element, std::uint64_t r) {
    return printable(element.name) + " " + std::to_string(r);
}

std::string numberText(double v) {
    std::array<char, 32> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
    return std::string(buffer.data(), end);
}

void splitWords(std::string_view line, std::vector<std::string_view>& words) {
    words.clear();
    std::size_t i = 0;
    while (true) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i == line.size()) return;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        words.push_back(line.substr(start, i - start));
    }
}

bool parseCount(std::string_view word, std::uint64_t& count) {
    const auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), count);
    return ec == std::errc() && ptr == word.data() + word.size();
}

PlyType typeOf(const std::string& path, std::size_t line, std::string_view word) {
    for (const PlyTypeName& t : kPlyTypes)
        if (t.name == word) return t.type;
    failAt(path, line, "unknown property type " + quoted(word));
}

PlyFormat formatOf(const std::string& path, std::size_t line,
                   const std::vector<std::string_view>& words) {
    if (words.size() != 3) failAt(path, line, "bad format line (need 'format TYPE 1.0')");
    if (words[2] != "1.0") failAt(path, line, "unsupported PLY version " + quoted(words[2]));
    if (words[1] == "ascii") return PlyFormat::Ascii;
    if (words[1] == "binary_little_endian") return PlyFormat::BinaryLittleEndian;
    if (words[1] == "binary_big_endian") return PlyFormat::BinaryBigEndian;
    failAt(path, line,
           "unknown PLY format " + quoted(words[1]) +
               " (need ascii, binary_little_endian or binary_big_endian)");
}

PlyProperty propertyOf(const std::string& path, std::size_t line,
                       const std::vector<std::string_view>& words) {
    PlyProperty p;
    p.line = line;
    if (words.size() == 5 && words[1] == "list") {
        p.isList = true;
        p.countType = typeOf(path, line, words[2]);
        p.type = typeOf(path, line, words[3]);
        p.name = words[4];
        if (p.countType == PlyType::Float32 || p.countType == PlyType::Float64)
            failAt(path, line, "list count type " + quoted(words[2]) + " is not an integer type");
    } else if (words.size() == 3 && words[1] != "list") {
        p.type = typeOf(path, line, words[1]);
        p.name = words[2];
    } else {
        failAt(path, line,
               "bad property line (need 'property TYPE NAME' or "
               "'property list COUNTTYPE ITEMTYPE NAME')");
    }
    return p;
}

// Finds the vertex element and the properties that make the table; checked before any data.
void findVertexSlots(const std::string& path, PlyHeader& header, const LoadLimits& limits) {
    bool found = false;
    for (std::size_t i = 0; i < header.elements.size(); ++i) {
        if (header.elements[i].name != "vertex") continue;
        if (found) failAt(path, header.elements[i].line, "a second 'vertex' element");
        header.vertex = i;
        found = true;
    }
    if (!found) fail(path, "no 'vertex' element in the header");
    const PlyElement& vertex = header.elements[header.vertex];
    std::array<bool, 4> seen{};
    for (const PlyProperty& p : vertex.properties) {
        const std::string key = lower(p.name);
        const int slot = key == "x"                      ? 0
                         : key == "y"                    ? 1
                         : key == "z"                    ? 2
                         : key == "weight" || key == "q" ? 3
                                                         : -1;
        header.slots.push_back(slot);
        if (slot < 0) continue;
        if (p.isList) failAt(path, p.line, "vertex property " + quoted(p.name) + " is a list");
        if (seen[slot])
            failAt(path, p.line,
                   slot == 3 ? "more than one weight property ('q' or 'weight')"
                             : "a second vertex property " + quoted(p.name));
        seen[slot] = true;
    }
    for (int k = 0; k < 3; ++k)
        if (!seen[k])
            failAt(path, vertex.line,
                   std::string("the 'vertex' element has no '") + "xyz"[k] + "' property");
    header.hasWeight = seen[3];
    checkDim(path, 0, 3, limits);
    if (vertex.count == 0) failAt(path, vertex.line, "no data rows (0 vertices)");
    if (vertex.count > limits.maxRows)
        failAt(path, vertex.line,
               std::to_string(vertex.count) + " vertices, above the limit of " +
                   std::to_string(limits.maxRows));
}

PlyHeader parseHeader(const std::string& path, std::string_view bytes, const LoadLimits& limits) {
    if (!bytes.starts_with("ply\n") && !bytes.starts_with("ply\r\n"))
        fail(path, "not a PLY file (the first line is not 'ply')");
    PlyHeader header;
    bool seenFormat = false;
    std::size_t pos = bytes.find('\n') + 1;
    std::vector<std::string_view> words;
    for (std::size_t lineNo = 2;; ++lineNo) {
        if (pos >= bytes.size()) fail(path, "missing end_header (the file ends in the header)");
        const std::size_t nl = bytes.find('\n', pos);
        const std::string_view line = trim(bytes.substr(pos, nl - pos));
        pos = nl == std::string_view::npos ? bytes.size() : nl + 1;
        splitWords(line, words);
        if (words.empty()) continue;
        const std::string_view key = words[0];
        if (key == "comment" || key == "obj_info") continue;
        if (key == "format") {
            if (seenFormat) failAt(path, lineNo, "a second format line");
            header.format = formatOf(path, lineNo, words);
            seenFormat = true;
        } else if (key == "element") {
            if (!seenFormat) failAt(path, lineNo, "element before the format line");
            std::uint64_t count = 0;
            if (words.size() != 3)
                failAt(path, lineNo, "bad element line (need 'element NAME COUNT')");
            if (!parseCount(words[2], count))
                failAt(path, lineNo,
                       "element count " + quoted(words[2]) + " is not a whole number");
            header.elements.push_back({std::string(words[1]), count, lineNo, {}, false, 0, 0});
        } else if (key == "property") {
            if (header.elements.empty()) failAt(path, lineNo, "property before any element");
            PlyElement& element = header.elements.back();
            element.properties.push_back(propertyOf(path, lineNo, words));
            const PlyProperty& p = element.properties.back();
            element.hasLists |= p.isList;
            element.minRecordBytes += sizeOf(p.isList ? p.countType : p.type);
            ++element.minRecordValues;
        } else if (key == "end_header" && words.size() == 1) {
            if (!seenFormat) failAt(path, lineNo, "missing format line");
            header.dataOffset = pos;
            header.lastLine = lineNo;
            findVertexSlots(path, header, limits);
            return header;
        } else {
            failAt(path, lineNo, "unexpected header line " + quoted(line));
        }
    }
}

// Collects the picked values of one vertex record and appends it to the table once they are all
// known to be valid; onError(slot, reason) throws with the reader's own location.
struct VertexRecord {
    std::array<double, 4> values{};

    template <typename OnError>
    void append(PointTable& table, bool hasWeight, OnError&& onError) const {
        for (int k = 0; k < 3; ++k)
            if (!std::isfinite(values[k])) onError(k, std::string("non-finite '") + "xyz"[k] + "'");
        if (hasWeight) {
            if (!std::isfinite(values[3])) onError(3, "non-finite weight");
            if (!(values[3] > 0)) onError(3, "weight must be > 0, found " + numberText(values[3]));
            table.weights.push_back(values[3]);
        }
        table.values.insert(table.values.end(), values.begin(), values.begin() + 3);
    }
};

// Bytes are assembled explicitly: the file's byte order is not necessarily the host's.
double decode(const unsigned char* p, PlyType type, bool bigEndian) {
    const std::size_t n = sizeOf(type);
    std::uint64_t bits = 0;
    if (bigEndian) {
        for (std::size_t b = 0; b < n; ++b) bits = (bits << 8) | p[b];
    } else {
        for (std::size_t b = n; b-- > 0;) bits = (bits << 8) | p[b];
    }
    switch (type) {
    case PlyType::Int8:
        return static_cast<std::int8_t>(bits);
    case PlyType::Int16:
        return static_cast<std::int16_t>(bits);
    case PlyType::Int32:
        return static_cast<std::int32_t>(bits);
    case PlyType::Uint8:
    case PlyType::Uint16:
    case PlyType::Uint32:
        return static_cast<double>(bits);
    case PlyType::Float32:
        return std::bit_cast<float>(static_cast<std::uint32_t>(bits));
    case PlyType::Float64:
        return std::bit_cast<double>(bits);
    }
    return 0;
}

void readBinary(const std::string& path, std::string_view bytes, const PlyHeader& header,
                PointTable& table) {
    const bool bigEndian = header.format == PlyFormat::BinaryBigEndian;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    std::uint64_t pos = header.dataOffset;
    const std::uint64_t size = bytes.size();
    for (std::size_t e = 0; e < header.elements.size(); ++e) {
        const PlyElement& element = header.elements[e];
        const std::uint64_t left = size - pos;
        // Dividing instead of multiplying: a count of 2^63 must not wrap around to a small size.
        if (element.minRecordBytes > 0 && element.count > left / element.minRecordBytes)
            fail(path, "truncated data: " + std::to_string(element.count) + " " +
                           quoted(element.name) + " records of " +
                           (element.hasLists ? "at least " : "") +
                           std::to_string(element.minRecordBytes) + " bytes from byte offset " +
                           std::to_string(pos) + ", but only " + std::to_string(left) +
                           " bytes are left");
        const bool isVertex = e == header.vertex;
        if (!isVertex && !element.hasLists) {
            pos += element.count * element.minRecordBytes;
            continue;
        }
        if (isVertex) {
            table.values.reserve(static_cast<std::size_t>(element.count) * 3);
            if (header.hasWeight) table.weights.reserve(static_cast<std::size_t>(element.count));
        }
        for (std::uint64_t r = 0; r < element.count; ++r) {
            const auto need = [&](std::uint64_t n) {
                if (size - pos < n)
                    fail(path, "truncated data at byte offset " + std::to_string(size) + ": " +
                                   recordText(element, r) + " needs " + std::to_string(n) +
                                   " bytes from byte offset " + std::to_string(pos));
            };
            VertexRecord record;
            std::array<std::uint64_t, 4> offsets{};
            for (std::size_t k = 0; k < element.properties.size(); ++k) {
                const PlyProperty& p = element.properties[k];
                if (p.isList) {
                    need(sizeOf(p.countType));
                    const double count = decode(data + pos, p.countType, bigEndian);
                    if (count < 0)
                        fail(path, recordText(element, r) + " (byte offset " + std::to_string(pos) +
                                       "): negative list length " + numberText(count));
                    pos += sizeOf(p.countType);
                    const std::uint64_t items = static_cast<std::uint64_t>(count) * sizeOf(p.type);
                    need(items);
                    pos += items;
                    continue;
                }
                need(sizeOf(p.type));
                if (isVertex && header.slots[k] >= 0) {
                    record.values[header.slots[k]] = decode(data + pos, p.type, bigEndian);
                    offsets[header.slots[k]] = pos;
                }
                pos += sizeOf(p.type);
            }
            if (isVertex)
                record.append(table, header.hasWeight, [&](int slot, const std::string& reason) {
                    fail(path, recordText(element, r) + " (byte offset " +
                                   std::to_string(offsets[slot]) + "): " + reason);
                });
        }
    }
    if (pos != size)
        fail(path, std::to_string(size - pos) + " unexpected bytes after the data at byte offset " +
                       std::to_string(pos));
}

void readAscii(const std::string& path, std::string_view bytes, const PlyHeader& header,
               PointTable& table) {
    std::string_view rest = bytes.substr(header.dataOffset);
    std::size_t lineNo = header.lastLine;
    std::vector<std::string_view> words;
    // The next non-blank line into words; false at the end of the file.
    const auto nextLine = [&] {
        while (!rest.empty()) {
            const std::size_t nl = rest.find('\n');
            const std::string_view line = trim(rest.substr(0, nl));
            rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
            ++lineNo;
            splitWords(line, words);
            if (!words.empty()) return true;
        }
        return false;
    };
    for (std::size_t e = 0; e < header.elements.size(); ++e) {
        const PlyElement& element = header.elements[e];
        if (element.properties.empty()) continue; // such records are empty: no line to read
        // Each value takes at least one character and one separator (or the final newline).
        const std::uint64_t minBytes = 2 * element.minRecordValues;
        if (element.count > (rest.size() + 1) / minBytes)
            failAt(path, lineNo,
                   "truncated data: " + std::to_string(element.count) + " " + quoted(element.name) +
                       " records of " + (element.hasLists ? "at least " : "") +
                       std::to_string(element.minRecordValues) + " values cannot fit in the " +
                       std::to_string(rest.size()) + " bytes left");
        const bool isVertex = e == header.vertex;
        if (isVertex) {
            table.values.reserve(static_cast<std::size_t>(element.count) * 3);
            if (header.hasWeight) table.weights.reserve(static_cast<std::size_t>(element.count));
        }
        for (std::uint64_t r = 0; r < element.count; ++r) {
            if (!nextLine())
                failAt(path, lineNo,
                       "truncated data: the file ends after " + std::to_string(r) + " of " +
                           std::to_string(element.count) + " " + quoted(element.name) + " records");
            const auto tooFew = [&](std::size_t needed) {
                failAt(path, lineNo,
                       recordText(element, r) + ": expected " +
                           (element.hasLists ? "at least " : "") + std::to_string(needed) +
                           " values, found " + std::to_string(words.size()));
            };
            VertexRecord vertex;
            std::size_t t = 0;
            for (std::size_t k = 0; k < element.properties.size(); ++k) {
                const std::size_t after = element.properties.size() - k - 1;
                if (t >= words.size()) tooFew(t + 1 + after);
                const PlyProperty& p = element.properties[k];
                if (p.isList) {
                    std::uint64_t count = 0;
                    if (!parseCount(words[t], count))
                        failAt(path, lineNo,
                               recordText(element, r) + ": list length " + quoted(words[t]) +
                                   " is not a whole number");
                    if (count > words.size() - t - 1) tooFew(t + 1 + count + after);
                    t += 1 + count;
                    continue;
                }
                const int slot = isVertex ? header.slots[k] : -1;
                if (slot >= 0 && parseNumber(words[t], vertex.values[slot]) != FieldKind::Number)
                    failAt(path, lineNo,
                           recordText(element, r) + ": " + quoted(p.name) + " value " +
                               quoted(words[t]) + " is not a number");
                ++t;
            }
            if (t != words.size())
                failAt(path, lineNo,
                       recordText(element, r) + ": expected " + std::to_string(t) +
                           " values, found " + std::to_string(words.size()));
            if (isVertex)
                vertex.append(table, header.hasWeight, [&](int, const std::string& reason) {
                    failAt(path, lineNo, recordText(element, r) + ": " + reason);
                });
        }
    }
    if (nextLine()) failAt(path, lineNo, "unexpected data after the last element");
}

} // namespace

PointTable loadPly(const std::string& path, const LoadLimits& limits) {
    return parsePly(readWholeFile(path, limits), path, limits);
}

PointTable parsePly(std::string_view bytes, const std::string& path, const LoadLimits& limits) {
    checkInMemorySize(bytes.size(), path, limits);
    const PlyHeader header = parseHeader(path, bytes, limits);
    PointTable table;
    table.dim = 3;
    table.columnNames = {"x", "y", "z"};
    if (header.format == PlyFormat::Ascii)
        readAscii(path, bytes, header, table);
    else
        readBinary(path, bytes, header, table);
    return table;
}

} // namespace psc::physics
