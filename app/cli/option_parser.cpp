// Command-line option parsing with one-line error messages.
#include "app/cli/option_parser.h"

#include <charconv>
#include <cmath>
#include <sstream>

namespace psc::app {

const OptionSpec* OptionParser::find(const std::string& name) const {
    for (const auto& s : m_specs)
        if (s.name == name) return &s;
    return nullptr;
}

std::optional<std::string> OptionParser::parse(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0 || arg.size() < 3) return "unexpected argument '" + arg + "'";
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const OptionSpec* spec = find(name);
        if (!spec) return "unknown option '--" + name + "' (see --help)";
        if (m_values.count(name)) return "option '--" + name + "' given twice";
        if (spec->valueName.empty()) {
            if (inlineValue) return "option '--" + name + "' takes no value";
            m_values[name] = "1";
            continue;
        }
        if (inlineValue) {
            m_values[name] = *inlineValue;
        } else {
            if (i + 1 >= args.size()) return "option '--" + name + "' needs a value";
            m_values[name] = args[++i];
        }
    }
    return std::nullopt;
}

std::string OptionParser::value(const std::string& name) const {
    if (auto it = m_values.find(name); it != m_values.end()) return it->second;
    const OptionSpec* spec = find(name);
    return spec ? spec->defaultValue : std::string();
}

std::string OptionParser::helpText() const {
    std::size_t width = 0;
    for (const auto& s : m_specs)
        width = std::max(width, s.name.size() + (s.valueName.empty() ? 0 : s.valueName.size() + 1));
    std::ostringstream out;
    for (const auto& s : m_specs) {
        std::string left = "--" + s.name + (s.valueName.empty() ? "" : " " + s.valueName);
        out << "  " << left << std::string(width + 4 - left.size() + 2, ' ') << s.help;
        if (!s.defaultValue.empty()) out << " (default: " << s.defaultValue << ")";
        out << "\n";
    }
    return out.str();
}

std::optional<double> parseDouble(const std::string& text) {
    double v = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<long long> parseInteger(const std::string& text) {
    long long v = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    return v;
}

std::optional<PixelSize> parseSize(const std::string& text, int minSide, int maxWidth,
                                   int maxHeight) {
    const auto x = text.find('x');
    if (x == std::string::npos) return std::nullopt;
    const auto w = parseInteger(text.substr(0, x)), h = parseInteger(text.substr(x + 1));
    if (!w || !h || *w < minSide || *h < minSide || *w > maxWidth || *h > maxHeight)
        return std::nullopt;
    return PixelSize{static_cast<int>(*w), static_cast<int>(*h)};
}

} // namespace psc::app
