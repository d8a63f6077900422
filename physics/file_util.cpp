// Shared helpers of the point set readers and writers: errors, file checks, atomic writes.
#include "physics/file_util.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <random>
#include <system_error>

namespace psc::physics::detail {

namespace fs = std::filesystem;

namespace {

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

} // namespace

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

// Checked before reading so that a huge file is refused without touching its contents.
double parseFiniteField(std::string_view field, std::size_t column, const std::string& path,
                        std::size_t line) {
    double value = 0;
    const std::string name = "column " + std::to_string(column + 1);
    switch (parseNumber(field, value)) {
    case FieldKind::Empty:
        failAt(path, line, name + " is empty");
    case FieldKind::NotANumber:
        failAt(path, line, name + ": '" + std::string(field) + "' is not a number");
    case FieldKind::Number:
        break;
    }
    if (!std::isfinite(value))
        failAt(path, line, name + ": non-finite value '" + std::string(field) + "'");
    return value;
}

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

std::string readWholeFile(const std::string& path, const LoadLimits& limits) {
    const std::uint64_t size = checkedFileSize(path, limits);
    std::ifstream in = openForReading(path);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size)))
        fail(path, "cannot read: read error");
    return text;
}

void checkInMemorySize(std::size_t size, const std::string& path, const LoadLimits& limits) {
    if (size > limits.maxFileBytes)
        fail(path, std::to_string(size) + " bytes, above the limit of " +
                       std::to_string(limits.maxFileBytes) + " bytes");
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

bool flushChunk(std::FILE* file, std::string& buffer) {
    const bool ok = std::fwrite(buffer.data(), 1, buffer.size(), file) == buffer.size();
    buffer.clear();
    return ok;
}

} // namespace psc::physics::detail
