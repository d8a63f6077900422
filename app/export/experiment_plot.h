// The robustness experiment as a figure for people: quality against α, NFE and bits, one curve per
// D.
#pragma once

#include "physics/torch/robustness_experiment.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <vector>

namespace psc::exporter {

// Three panels side by side (noise α, NFE, weight bits), sliced-W2 to held-out data on the
// y axis (log scale), one coloured curve per D with a legend, a title, labelled axes and ticks.
// Needs a QGuiApplication (fonts).
QImage plotExperiment(const std::vector<physics::ExperimentRow>& rows, const QString& title,
                      QSize size = {1500, 520});

} // namespace psc::exporter
