// What each D generated, side by side: a contact sheet of images for image data, a scatter per D
// over the held-out data for point data.
#pragma once

#include "physics/charge_set.h"
#include "physics/torch/robustness_experiment.h"

#include <QImage>
#include <QString>

namespace psc::exporter {

// One row per generated set of the result (learned, first seed, α = 0, 18 steps) and a first row
// of held-out data, `perRow` samples each. imageWidth × imageHeight = N draws every sample as a
// grey image (the data's range black to white, values beyond clipped); otherwise each row is a
// scatter of the first two coordinates over the held-out data in grey. Null when nothing was
// generated. Needs a QGuiApplication (fonts).
QImage sampleSheet(const physics::ExperimentResult& result, const physics::ChargeSet& heldOut,
                   int imageWidth, int imageHeight, const QString& title, int perRow = 16);

} // namespace psc::exporter
