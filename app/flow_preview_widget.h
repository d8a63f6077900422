// A QPainter view of a 2D scene: charges, backward-flow trajectories (σ as colour) and end points.
#pragma once

#include "physics/charge_set.h"
#include "physics/flow_solver.h"

#include <QWidget>

namespace psc::app {

class FlowPreviewWidget : public QWidget {
    Q_OBJECT
public:
    // Computes the flow of `particles` points at D for the 2D charges (synchronously: the
    // default scene takes well under a second).
    FlowPreviewWidget(const physics::ChargeSet& charges, double d, std::size_t particles,
                      QWidget* parent = nullptr);

    QSize sizeHint() const override { return {900, 700}; }
    const physics::FlowResult& flow() const { return m_flow; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    physics::ChargeSet m_charges;
    double m_d;
    physics::FlowResult m_flow;
};

} // namespace psc::app
