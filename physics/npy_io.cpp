// The .npy point reader (float32/float64, C order) and its float64 writer.
#include "physics/file_util.h"
#include "physics/point_io.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>

namespace psc::physics {

using detail::checkDim;
using detail::checkedFileSize;
using detail::checkShape;
using detail::fail;
using detail::flushChunk;
using detail::kChunk;
using detail::openForReading;
using detail::writeAtomically;

namespace {

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

// The reader proper, on a stream of size bytes (a file, or bytes in memory).
PointTable readNpy(const std::string& path, std::istream& in, std::uint64_t size,
                   const LoadLimits& limits) {
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
    if (header.shape.empty() || header.shape.size() > 3)
        fail(path, "shape " + shapeText(header.shape) + " has rank " +
                       std::to_string(header.shape.size()) +
                       " (need (M, N), (M,) or images (M, H, W))");
    const std::uint64_t rows = header.shape[0];
    // Images (M, H, W) are points of N = H·W coordinates, row by row (C order); each side is
    // checked first so that the product cannot overflow.
    if (header.shape.size() == 3)
        for (std::size_t axis : {1, 2})
            if (header.shape[axis] == 0 || header.shape[axis] > std::uint64_t(limits.maxDim))
                fail(path, "images of shape " + shapeText(header.shape) +
                               ": each side must be 1 to " + std::to_string(limits.maxDim));
    const std::uint64_t cols = header.shape.size() == 1   ? 1
                               : header.shape.size() == 2 ? header.shape[1]
                                                          : header.shape[1] * header.shape[2];
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
    if (header.shape.size() == 3) {
        table.imageHeight = static_cast<int>(header.shape[1]);
        table.imageWidth = static_cast<int>(header.shape[2]);
    }
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

} // namespace

PointTable loadNpy(const std::string& path, const LoadLimits& limits) {
    const std::uint64_t size = checkedFileSize(path, limits);
    std::ifstream in = openForReading(path);
    return readNpy(path, in, size, limits);
}

PointTable parseNpy(std::string_view bytes, const std::string& path, const LoadLimits& limits) {
    if (bytes.size() > limits.maxFileBytes)
        fail(path, std::to_string(bytes.size()) + " bytes, above the limit of " +
                       std::to_string(limits.maxFileBytes) + " bytes");
    std::istringstream in(std::string(bytes), std::ios::binary);
    return readNpy(path, in, bytes.size(), limits);
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

} // namespace psc::physics
