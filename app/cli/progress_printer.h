// A one-line progress display on stderr that appears only for runs longer than a second.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>

namespace psc::app {

class ProgressPrinter {
public:
    ProgressPrinter(std::ostream& out, std::string label, bool quiet);
    // fraction in [0, 1]; prints at most ~10 times a second, and only after the first second.
    void update(double fraction);
    // Ends the progress line if one was printed.
    void finish();

private:
    std::ostream& m_out;
    std::string m_label;
    bool m_quiet;
    bool m_printed = false;
    std::chrono::steady_clock::time_point m_start, m_last;
};

} // namespace psc::app
