// The robustness experiment as a figure for people: one panel per protocol, a curve per D with
// 95% error bars, relative axes, values off the scale marked at its edge, and a caption in words.
#pragma once

#include "physics/torch/robustness_experiment.h"

#include <QImage>
#include <QSize>
#include <QString>

namespace psc::exporter {

// Learned fields on the top row (SW2 over the data baseline against α, NFE and weight bits), the
// exact field below (SW2 over the baseline against α; distance to the rk45 end point over the
// data's spread, and the share landing on the rk45 end point's charge, against NFE). Rows of a
// field the result lacks are left out. Log y axes span at most four decades above the lowest
// interval: a mean above that is drawn as a triangle on the top edge labelled with its value
// (so one D far worse than the rest cannot flatten the others). The caption is wrapped under the
// panels. Needs a QGuiApplication (fonts).
QImage plotExperiment(const physics::ExperimentResult& result, const QString& title,
                      const QString& caption, int width = 1500);

} // namespace psc::exporter
