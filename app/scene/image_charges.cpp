// Decoding pictures (Qt's image readers: PNG built in, JPEG through the qjpeg plugin).
#include "app/scene/image_charges.h"

#include <QImage>
#include <QImageReader>
#include <QString>

#include <algorithm>

namespace psc::app {

physics::PointTable loadImageCharges(const std::string& path, const ImageChargeSettings& settings,
                                     const physics::LoadLimits& limits) {
    QImageReader reader(QString::fromStdString(path));
    QImage image = reader.read();
    if (image.isNull())
        throw physics::PointIoError(
            path + ": cannot read the picture: " + reader.errorString().toStdString());
    image = image.convertToFormat(QImage::Format_ARGB32);
    const int width = image.width(), height = image.height();
    const int stride = std::max(1, settings.stride);
    const double scale = 4.0 / std::max(width, height);
    physics::PointTable table;
    table.dim = 2;
    table.columnNames = {"x", "y"};
    for (int row = 0; row < height; row += stride) {
        const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(row));
        for (int column = 0; column < width; column += stride) {
            const QRgb p = line[column];
            const double luminance =
                (0.2126 * qRed(p) + 0.7152 * qGreen(p) + 0.0722 * qBlue(p)) / 255.0;
            const double w =
                (settings.weight == ImageWeight::Darkness ? 1.0 - luminance : luminance) *
                qAlpha(p) / 255.0;
            if (!(w > settings.threshold)) continue;
            if (table.weights.size() >= limits.maxRows)
                throw physics::PointIoError(
                    path + ": more than " + std::to_string(limits.maxRows) +
                    " charges; take every k-th pixel (image stride) or raise the threshold");
            table.values.push_back((column + 0.5 - 0.5 * width) * scale);
            table.values.push_back((0.5 * height - row - 0.5) * scale);
            table.weights.push_back(w);
        }
    }
    if (table.weights.empty())
        throw physics::PointIoError(
            path + ": no pixel is " +
            (settings.weight == ImageWeight::Darkness ? "darker" : "brighter") +
            " than the threshold " + std::to_string(settings.threshold) +
            " (lower it, or weigh the other way)");
    return table;
}

physics::PointTable loadDataFile(const std::string& path, const ImageChargeSettings& image,
                                 const physics::LoadLimits& limits) {
    return isImagePath(path) ? loadImageCharges(path, image, limits)
                             : physics::loadPoints(path, limits);
}

} // namespace psc::app
