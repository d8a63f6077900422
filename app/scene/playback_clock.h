// The flow's clock: log σ running between the top of a scene's flow and its bottom (which stands
// for σ = 0), at the view's speed, held a moment at the end before a loop starts again. GL-free.
#pragma once

#include "app/scene/scene_settings.h"

namespace psc::app {

class PlaybackClock {
public:
    // Seconds the clock rests at the end of a flow before a loop starts it again.
    static constexpr double kHoldSeconds = 1.2;

    double logSigma() const { return m_logSigma; }
    // The range of the scene on screen; the clock is clamped into it.
    void setRange(double top, double bottom);
    double top() const { return m_top; }
    double bottom() const { return m_bottom; }
    bool atBottom() const { return m_logSigma <= m_bottom + 1e-9; }
    // Moves the clock (clamped) and ends a hold.
    void set(double logSigma);
    // To the start of the flow in the view's direction: the top backwards, the bottom forwards.
    void rewind(const ViewSettings& view);
    // Plays dt seconds of the view's flow when view.playing. At the end it holds, then loops, or
    // stops and clears view.playing when the view does not loop. True when the clock moved.
    bool advance(double dt, ViewSettings& view);

private:
    double m_logSigma = 0, m_top = 0, m_bottom = -1;
    double m_holdSeconds = 0;
};

} // namespace psc::app
