// A small declarative command-line parser for the subcommands (long options only, exact errors).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace psc::app {

struct OptionSpec {
    std::string name;      // without the leading "--"
    std::string valueName; // empty for a flag
    std::string help;
    std::string defaultValue; // shown in --help; empty for none
};

class OptionParser {
public:
    explicit OptionParser(std::vector<OptionSpec> specs) : m_specs(std::move(specs)) {}

    // Parses args (without the program and subcommand names). Accepts "--name value" and
    // "--name=value". Returns an error line on an unknown option, a missing value, a value given
    // to a flag or a repeated option; positional arguments are errors too.
    std::optional<std::string> parse(const std::vector<std::string>& args);

    bool has(const std::string& name) const { return m_values.count(name) > 0; }
    // The given value, else the spec's default.
    std::string value(const std::string& name) const;

    // "  --name VALUE   help (default: x)" lines, aligned.
    std::string helpText() const;

private:
    const OptionSpec* find(const std::string& name) const;
    std::vector<OptionSpec> m_specs;
    std::map<std::string, std::string> m_values;
};

// Strict number parsing for option values: the whole text must be a finite number.
std::optional<double> parseDouble(const std::string& text);
std::optional<long long> parseInteger(const std::string& text);

struct PixelSize {
    int width, height;
};
// "WxH" with minSide <= W, H and W <= maxWidth, H <= maxHeight; nullopt otherwise.
std::optional<PixelSize> parseSize(const std::string& text, int minSide, int maxWidth,
                                   int maxHeight);

} // namespace psc::app
