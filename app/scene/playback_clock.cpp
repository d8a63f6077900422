// The clock's motion in log σ.
#include "app/scene/playback_clock.h"

#include <algorithm>
#include <cmath>

namespace psc::app {

void PlaybackClock::setRange(double top, double bottom) {
    m_top = top;
    m_bottom = bottom;
    m_logSigma = std::clamp(m_logSigma, m_bottom, m_top);
}

void PlaybackClock::set(double logSigma) {
    m_logSigma = std::clamp(logSigma, m_bottom, m_top);
    m_holdSeconds = 0;
}

void PlaybackClock::rewind(const ViewSettings& view) {
    set(view.forward ? m_bottom : m_top);
}

bool PlaybackClock::advance(double dt, ViewSettings& view) {
    if (!view.playing) return false;
    const double end = view.forward ? m_top : m_bottom;
    if (m_holdSeconds > 0) {
        m_holdSeconds -= dt;
        if (m_holdSeconds <= 0 && view.loop) rewind(view);
        return true;
    }
    m_logSigma += (view.forward ? 1.0 : -1.0) * dt * view.decadesPerSecond * std::log(10.0);
    if ((view.forward && m_logSigma >= end) || (!view.forward && m_logSigma <= end)) {
        m_logSigma = end;
        m_holdSeconds = view.loop ? kHoldSeconds : 0.0;
        if (!view.loop) view.playing = false;
    }
    return true;
}

} // namespace psc::app
