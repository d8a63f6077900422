// Point set files: a strict CSV and .npy reader, and writers that replace the target atomically.
#include "physics/point_io.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string_view>
#include <system_error>

namespace psc::physics {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
    throw PointIoError(path + ": " + reason);
}

[[noreturn]] void failAt(const std::string& path, std::size_t line, const std::string& reason) {
    throw PointIoError(path + ":" + std::to_string(line) + ": " + reason);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string extensionOf(const std::string& path) {
    return lower(fs::path(path).extension().string());
}

std::string_view trim(std::string_view s) {
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

// Checked before reading so that a huge file is refused without touching its contents.
std::uint64_t checkedFileSize(const std::string& path, const LoadLimits& limits) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) fail(path, "cannot read: no such file");
    if (fs::is_directory(status)) fail(path, "cannot read: is a directory");
    const std::uint64_t size = fs::file_size(path, ec);
    if (ec) fail(path, "cannot read: " + ec.message());
    if (size > limits.maxFileBytes)
        fail(path, "file is " + std::to_string(size) + " bytes, above the limit of " +
                       std::to_string(limits.maxFileBytes) + " bytes");
    return size;
}

std::ifstream openForReading(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, std::string("cannot read: ") + std::strerror(errno));
    return in;
}

void checkDim(const std::string& path, std::size_t line, std::size_t dim,
              const LoadLimits& limits) {
    if (dim < static_cast<std::size_t>(limits.minDim) ||
        dim > static_cast<std::size_t>(limits.maxDim)) {
        const std::string reason = std::to_string(dim) + " coordinate columns, dimension must be " +
                                   std::to_string(limits.minDim) + " to " +
                                   std::to_string(limits.maxDim);
        if (line) failAt(path, line, reason);
        fail(path, reason);
    }
}

// ---- CSV -------------------------------------------------------------------------------------

enum class FieldKind { Number, Empty, NotANumber };

// from_chars reports both overflow and underflow as out of range without a value; the decimal
// order of magnitude (digits before the point plus the exponent) tells which one it was.
bool overflows(std::string_view s) {
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
    const std::size_t e = s.find_first_of("eE");
    long long exponent = 0;
    if (e != std::string_view::npos) {
        std::string_view digits = s.substr(e + 1);
        const bool negative = !digits.empty() && digits.front() == '-';
        if (!digits.empty() && (digits.front() == '-' || digits.front() == '+'))
            digits.remove_prefix(1);
        const auto [ptr, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
        if (ec == std::errc::result_out_of_range) exponent = 1'000'000'000;
        if (negative) exponent = -exponent;
        s = s.substr(0, e);
    }
    const std::size_t point = std::min(s.find('.'), s.size());
    const std::size_t first = s.find_first_of("123456789");
    if (first == std::string_view::npos) return false;
    const long long order = first < point ? static_cast<long long>(point - first)
                                          : -static_cast<long long>(first - point - 1);
    return order + exponent > 0;
}

// from_chars rejects a leading '+', which spreadsheets do write, so that sign is skipped here.
FieldKind parseNumber(std::string_view field, double& value) {
    if (field.empty()) return FieldKind::Empty;
    if (field.size() > 1 && field.front() == '+' && field[1] != '-' && field[1] != '+')
        field.remove_prefix(1);
    const char* end = field.data() + field.size();
    const auto [ptr, ec] = std::from_chars(field.data(), end, value);
    if (ec == std::errc::result_out_of_range && ptr == end) {
        value = overflows(field) ? HUGE_VAL : 0.0;
        return FieldKind::Number;
    }
    return ec == std::errc() && ptr == end ? FieldKind::Number : FieldKind::NotANumber;
}

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
        double value = 0;
        const std::string column = "column " + std::to_string(c + 1);
        switch (parseNumber(fields[c], value)) {
        case FieldKind::Empty:
            failAt(path, line, column + " is empty");
        case FieldKind::NotANumber:
            failAt(path, line, column + ": '" + std::string(fields[c]) + "' is not a number");
        case FieldKind::Number:
            break;
        }
        if (!std::isfinite(value))
            failAt(path, line, column + ": non-finite value '" + std::string(fields[c]) + "'");
        if (static_cast<int>(c) == layout.weightColumn) {
            if (!(value > 0))
                failAt(path, line, "weight must be > 0, found '" + std::string(fields[c]) + "'");
            table.weights.push_back(value);
        } else {
            table.values.push_back(value);
        }
    }
}

// ---- NPY -------------------------------------------------------------------------------------

constexpr std::string_view kNpyMagic = "\x93NUMPY";

struct NpyHeader {
    std::string descr;
    bool fortranOrder = false;
    std::vector<std::uint64_t> shape;
};

// The header is a Python dict literal; only the three keys numpy writes are accepted.
class NpyHeaderParser {
public:
    NpyHeaderParser(const std::string& path, std::string_view text) : m_path(path), m_s(text) {}

    NpyHeader parse() {
        NpyHeader header;
        bool seenDescr = false, seenOrder = false, seenShape = false;
        expect('{');
        while (true) {
            skipSpace();
            if (peek() == '}') break;
            const std::string key = parseString("a key");
            expect(':');
            skipSpace();
            if (key == "descr" && !seenDescr) {
                header.descr = parseString("'descr'");
                seenDescr = true;
            } else if (key == "fortran_order" && !seenOrder) {
                header.fortranOrder = parseBool();
                seenOrder = true;
            } else if (key == "shape" && !seenShape) {
                header.shape = parseShape();
                seenShape = true;
            } else {
                error("unexpected or repeated key '" + key + "'");
            }
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() != '}') error("expected ',' or '}'");
        }
        ++m_pos;
        skipSpace();
        if (m_pos != m_s.size()) error("unexpected text after the header dict");
        if (!seenDescr || !seenOrder || !seenShape)
            error("header needs 'descr', 'fortran_order' and 'shape'");
        return header;
    }

private:
    [[noreturn]] void error(const std::string& what) const {
        fail(m_path, "bad .npy header: " + what);
    }
    char peek() const { return m_pos < m_s.size() ? m_s[m_pos] : '\0'; }
    void skipSpace() {
        while (m_pos < m_s.size() && std::isspace(static_cast<unsigned char>(m_s[m_pos]))) ++m_pos;
    }
    void expect(char c) {
        skipSpace();
        if (peek() != c) error(std::string("expected '") + c + "'");
        ++m_pos;
    }
    std::string parseString(const std::string& what) {
        skipSpace();
        const char quote = peek();
        if (quote != '\'' && quote != '"') error(what + " must be a string");
        const std::size_t end = m_s.find(quote, m_pos + 1);
        if (end == std::string_view::npos) error("unterminated string");
        std::string value(m_s.substr(m_pos + 1, end - m_pos - 1));
        m_pos = end + 1;
        return value;
    }
    bool parseBool() {
        for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
            const std::string_view w(word);
            if (m_s.substr(m_pos, w.size()) == w) {
                m_pos += w.size();
                return value;
            }
        }
        error("'fortran_order' must be True or False");
    }
    std::vector<std::uint64_t> parseShape() {
        std::vector<std::uint64_t> shape;
        expect('(');
        while (true) {
            skipSpace();
            if (peek() == ')') break;
            std::uint64_t n = 0;
            const char* begin = m_s.data() + m_pos;
            const auto [ptr, ec] = std::from_chars(begin, m_s.data() + m_s.size(), n);
            if (ec != std::errc() || ptr == begin) error("'shape' must be a tuple of integers");
            m_pos += static_cast<std::size_t>(ptr - begin);
            shape.push_back(n);
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
            } else if (peek() != ')') {
                error("'shape' must be a tuple of integers");
            }
        }
        ++m_pos;
        return shape;
    }

    const std::string& m_path;
    std::string_view m_s;
    std::size_t m_pos = 0;
};

std::string shapeText(const std::vector<std::uint64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

// Little-endian on disk whatever the host, so bytes are assembled explicitly.
double decodeLittleEndian(const unsigned char* p, std::size_t itemSize) {
    std::uint64_t bits = 0;
    for (std::size_t b = itemSize; b-- > 0;) bits = (bits << 8) | p[b];
    if (itemSize == 4) return std::bit_cast<float>(static_cast<std::uint32_t>(bits));
    return std::bit_cast<double>(bits);
}

// ---- Writing ---------------------------------------------------------------------------------

std::string randomHex() {
    std::uint64_t bits =
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    try {
        std::random_device device;
        bits ^= (static_cast<std::uint64_t>(device()) << 32) ^ device();
    } catch (const std::exception&) {
        // No entropy source: the clock alone still makes a clash with a live temporary unlikely.
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(bits));
    return buf;
}

// Writes through body into a sibling temporary, then renames it over path; path is only ever
// the old file or the complete new one. body returns false when a write failed (errno set).
void writeAtomically(const std::string& path, const std::function<bool(std::FILE*)>& body) {
    const std::string tmp = path + ".tmp-" + randomHex();
    const auto failWith = [&](const std::string& reason) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw PointIoError("cannot write '" + path + "': " + reason);
    };
    std::FILE* file = std::fopen(tmp.c_str(), "wb");
    if (!file) failWith(std::strerror(errno));
    bool written = false;
    try {
        written = body(file) && std::fflush(file) == 0 && !std::ferror(file);
    } catch (...) {
        std::fclose(file);
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw;
    }
    const int writeErrno = errno;
    if (std::fclose(file) != 0 || !written) failWith(std::strerror(written ? errno : writeErrno));
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) failWith(ec.message());
}

void checkShape(const std::string& path, int columns, std::size_t valueCount) {
    if (columns < 1) fail(path, "cannot write: column count must be >= 1");
    if (valueCount % static_cast<std::size_t>(columns) != 0)
        fail(path, "cannot write: " + std::to_string(valueCount) + " values do not fill rows of " +
                       std::to_string(columns));
}

constexpr std::size_t kChunk = 1 << 20;

bool flushChunk(std::FILE* file, std::string& buffer) {
    const bool ok = std::fwrite(buffer.data(), 1, buffer.size(), file) == buffer.size();
    buffer.clear();
    return ok;
}

} // namespace

PointTable loadCsv(const std::string& path, const LoadLimits& limits) {
    const std::uint64_t size = checkedFileSize(path, limits);
    std::ifstream in = openForReading(path);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size)))
        fail(path, "cannot read: read error");

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

PointTable loadNpy(const std::string& path, const LoadLimits& limits) {
    const std::uint64_t size = checkedFileSize(path, limits);
    std::ifstream in = openForReading(path);

    std::array<char, 12> prelude{};
    const std::size_t preludeRead = static_cast<std::size_t>(
        in.read(prelude.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(size, 12)))
            .gcount());
    const std::string_view pre(prelude.data(), preludeRead);
    if (!pre.starts_with(kNpyMagic)) fail(path, "not a .npy file (bad magic)");
    if (pre.size() < 10) fail(path, "truncated header at byte offset " + std::to_string(size));
    const int major = static_cast<unsigned char>(pre[6]);
    if (major < 1 || major > 3)
        fail(path, "unsupported .npy version " + std::to_string(major) + "." +
                       std::to_string(static_cast<unsigned char>(pre[7])));
    const std::size_t lengthBytes = major == 1 ? 2 : 4;
    if (pre.size() < 8 + lengthBytes)
        fail(path, "truncated header at byte offset " + std::to_string(size));
    std::uint64_t headerLength = 0;
    for (std::size_t b = lengthBytes; b-- > 0;)
        headerLength = (headerLength << 8) | static_cast<unsigned char>(pre[8 + b]);
    const std::uint64_t dataOffset = 8 + lengthBytes + headerLength;
    if (dataOffset > size)
        fail(path, "truncated header: needs " + std::to_string(dataOffset) +
                       " bytes, the file has " + std::to_string(size));

    std::string headerText(static_cast<std::size_t>(headerLength), '\0');
    in.clear(); // a prelude shorter than 12 bytes left the stream failed
    in.seekg(static_cast<std::streamoff>(8 + lengthBytes));
    if (!in.read(headerText.data(), static_cast<std::streamsize>(headerLength)))
        fail(path, "cannot read: read error in the header");
    const NpyHeader header = NpyHeaderParser(path, headerText).parse();

    if (header.descr != "<f4" && header.descr != "<f8")
        fail(path, "unsupported dtype '" + header.descr + "' (need '<f4' or '<f8')");
    if (header.fortranOrder) fail(path, "Fortran-ordered arrays are not supported");
    if (header.shape.size() != 1 && header.shape.size() != 2)
        fail(path, "shape " + shapeText(header.shape) + " has rank " +
                       std::to_string(header.shape.size()) + " (need (M, N) or (M,))");
    const std::uint64_t rows = header.shape[0];
    const std::uint64_t cols = header.shape.size() == 2 ? header.shape[1] : 1;
    checkDim(path, 0, cols, limits);
    if (rows == 0) fail(path, "no data rows (shape " + shapeText(header.shape) + ")");
    if (rows > limits.maxRows)
        fail(path,
             std::to_string(rows) + " rows, above the limit of " + std::to_string(limits.maxRows));
    const std::size_t itemSize = header.descr == "<f4" ? 4 : 8;
    // Bounding rows by the file size first keeps the byte count below from overflowing.
    const std::uint64_t available = size - dataOffset;
    const std::uint64_t expected =
        rows <= available ? rows * cols * itemSize : std::numeric_limits<std::uint64_t>::max();
    if (available < expected)
        fail(path, "truncated data at byte offset " + std::to_string(size) + ": expected " +
                       std::to_string(rows) + " x " + std::to_string(cols) + " x " +
                       std::to_string(itemSize) + " data bytes from offset " +
                       std::to_string(dataOffset) + ", found " + std::to_string(available));
    if (available > expected)
        fail(path, std::to_string(available - expected) +
                       " unexpected bytes after the data at byte offset " +
                       std::to_string(dataOffset + expected));

    PointTable table;
    table.dim = static_cast<int>(cols);
    for (int k = 1; k <= table.dim; ++k) table.columnNames.push_back("x" + std::to_string(k));
    table.values.resize(static_cast<std::size_t>(rows * cols));
    std::vector<unsigned char> chunk;
    std::size_t done = 0;
    while (done < table.values.size()) {
        const std::size_t n = std::min(table.values.size() - done, kChunk / itemSize);
        chunk.resize(n * itemSize);
        if (!in.read(reinterpret_cast<char*>(chunk.data()),
                     static_cast<std::streamsize>(n * itemSize)))
            fail(path, "cannot read: read error at byte offset " +
                           std::to_string(dataOffset + done * itemSize));
        for (std::size_t i = 0; i < n; ++i) {
            const double v = decodeLittleEndian(chunk.data() + i * itemSize, itemSize);
            const std::size_t index = done + i;
            if (!std::isfinite(v))
                fail(path, "non-finite value at row " + std::to_string(index / cols + 1) +
                               ", column " + std::to_string(index % cols + 1) + " (byte offset " +
                               std::to_string(dataOffset + index * itemSize) + ")");
            table.values[index] = v;
        }
        done += n;
    }
    return table;
}

PointTable loadPoints(const std::string& path, const LoadLimits& limits) {
    const std::string ext = extensionOf(path);
    if (ext == ".csv") return loadCsv(path, limits);
    if (ext == ".npy") return loadNpy(path, limits);
    fail(path, "unknown file type (use .csv or .npy)");
}

ChargeSet chargesFromTable(const PointTable& table) {
    return ChargeSet(table.dim, table.values, table.weights);
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

void saveNpy(const std::string& path, int columns, const std::vector<double>& values) {
    checkShape(path, columns, values.size());
    std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" +
                       std::to_string(values.size() / columns) + ", " + std::to_string(columns) +
                       "), }";
    // The data must start on a 64-byte boundary: magic (6) + version (2) + length (2) + dict.
    const std::size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    writeAtomically(path, [&](std::FILE* file) {
        std::string buffer(kNpyMagic);
        buffer += '\x01';
        buffer += '\x00';
        buffer += static_cast<char>(dict.size() & 0xff);
        buffer += static_cast<char>(dict.size() >> 8);
        buffer += dict;
        for (double v : values) {
            std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
            for (int b = 0; b < 8; ++b, bits >>= 8) buffer += static_cast<char>(bits & 0xff);
            if (buffer.size() >= kChunk && !flushChunk(file, buffer)) return false;
        }
        return flushChunk(file, buffer);
    });
}

void savePoints(const std::string& path, int columns, const std::vector<double>& values,
                const std::vector<std::string>& header) {
    const std::string ext = extensionOf(path);
    if (ext == ".csv") return saveCsv(path, columns, values, header);
    if (ext == ".npy") return saveNpy(path, columns, values);
    fail(path, "unknown file type (use .csv or .npy)");
}

} // namespace psc::physics
