// Trajectories are drawn from the last frames only: above a few data spreads the flow is a
// nearly radial rush toward the data that would fill the view with straight lines.
#include "app/flow_preview_widget.h"

#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/samplers.h"

#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace psc::app {

FlowPreviewWidget::FlowPreviewWidget(const physics::ChargeSet& charges, double d,
                                     std::size_t particles, QWidget* parent)
    : QWidget(parent), m_charges(charges), m_d(d) {
    physics::FastDenoiser denoiser(m_charges, d);
    physics::FlowSettings settings;
    settings.steps = 64;
    settings.recordEvery = 1;
    const auto start = physics::samplePriorMixture(m_charges, settings.sigmaMax, d, particles, 1);
    m_flow = physics::integrateFlow(denoiser, start, settings);
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, QColor(18, 20, 28));
    setPalette(pal);
}

void FlowPreviewWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const double spread = std::max(m_charges.rmsSpread(), 1e-9);
    const auto mean = m_charges.mean();
    const double halfView = 2.6 * spread;
    const double pixels = 0.5 * std::min(width(), height()) / halfView;
    auto toScreen = [&](double x, double y) {
        return QPointF(width() * 0.5 + (x - mean[0]) * pixels, height() * 0.5 - (y - mean[1]) * pixels);
    };
    const auto& frames = m_flow.frames;
    const std::size_t count = m_flow.points.size() / 2;
    for (std::size_t p = 0; p < count; ++p) {
        for (std::size_t f = 1; f < frames.size(); ++f) {
            const double sigma = frames[f].sigma;
            if (frames[f - 1].sigma > 3.0 * spread) continue;
            // Colour by log σ: warm far from the data, cool near it.
            const double t = std::clamp(std::log10(std::max(sigma, 1e-3) / 1e-3) / 3.5, 0.0, 1.0);
            QColor c = QColor::fromHsvF(0.55 - 0.5 * t, 0.7, 0.95, 0.35);
            painter.setPen(QPen(c, 1.0));
            painter.drawLine(toScreen(frames[f - 1].points[2 * p], frames[f - 1].points[2 * p + 1]),
                             toScreen(frames[f].points[2 * p], frames[f].points[2 * p + 1]));
        }
    }
    painter.setPen(Qt::NoPen);
    for (std::size_t i = 0; i < m_charges.size(); ++i) {
        const auto y = m_charges.position(i);
        const double radius = 2.0 + 1.5 * std::sqrt(m_charges.weights()[i] * m_charges.size());
        painter.setBrush(QColor(255, 200, 80, 220));
        painter.drawEllipse(toScreen(y[0], y[1]), radius, radius);
    }
    painter.setPen(QColor(220, 220, 230));
    painter.drawText(rect().adjusted(12, 10, -12, -10), Qt::AlignTop | Qt::AlignLeft,
                     QString("Backward PFGM++ flow, D = %1: %2 particles from sigma = 80 to 0 "
                             "(colour = log sigma), charges in gold")
                         .arg(QString::fromStdString(physics::formatExtraDims(m_d)))
                         .arg(count));
}

} // namespace psc::app
