// Progress on stderr with an ETA; silent for short runs so scripts see clean output.
#include "app/cli/progress_printer.h"

#include <cstdio>
#include <ostream>

namespace psc::app {

ProgressPrinter::ProgressPrinter(std::ostream& out, std::string label, bool quiet)
    : m_out(out), m_label(std::move(label)), m_quiet(quiet),
      m_start(std::chrono::steady_clock::now()), m_last(m_start) {}

void ProgressPrinter::update(double fraction) {
    if (m_quiet) return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    if (elapsed < 1.0 || std::chrono::duration<double>(now - m_last).count() < 0.1) return;
    m_last = now;
    char line[128];
    const double eta = fraction > 1e-6 ? elapsed * (1.0 - fraction) / fraction : 0.0;
    std::snprintf(line, sizeof line, "\r%s: %5.1f%%  %.1f s elapsed, ~%.1f s left ",
                  m_label.c_str(), 100.0 * fraction, elapsed, eta);
    m_out << line << std::flush;
    m_printed = true;
}

void ProgressPrinter::finish() {
    if (m_printed) m_out << "\n";
    m_printed = false;
}

} // namespace psc::app
