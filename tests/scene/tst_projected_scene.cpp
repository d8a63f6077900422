// Scenes of more than three coordinates: what is drawn is the projection of the data, computed
// directly here; an embedded shape comes back as itself; image data gives image tiles that land on
// training images; the laws panel's histogram follows the kernel's law at small σ.
#include "app/scene/distance_laws.h"
#include "app/scene/image_tiles.h"
#include "app/scene/scene_data.h"
#include "app/scene/scene_geometry_builder.h"

#include "physics/datasets.h"
#include "physics/radial_law.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <stdexcept>

using namespace psc;
using namespace psc::app;

namespace {

SceneSettings small(const std::string& dataset, int dim = 0) {
    SceneSettings s;
    s.dataset = dataset;
    s.datasetParams.dim = dim;
    s.d = 128;
    s.particles = 150; // two chunks of kProjectedChunk
    s.fieldLines = 6;
    s.particleSource = ParticleSource::Prior;
    s.steps = 16;
    return s;
}

// axes · (x − origin), written out here rather than through ViewProjection::project.
std::vector<double> projectDirectly(const ViewProjection& p, std::span<const double> x) {
    std::vector<double> out(static_cast<std::size_t>(p.viewDim), 0.0);
    for (int a = 0; a < p.viewDim; ++a)
        for (int k = 0; k < p.dataDim; ++k)
            out[a] += p.axes[static_cast<std::size_t>(a) * p.dataDim + k] * (x[k] - p.origin[k]);
    return out;
}

// An .npy file of count images of height × width pixels (version 1.0, little-endian doubles).
QString writeImages(const QTemporaryDir& dir, int count, int height, int width) {
    QByteArray header = QString("{'descr': '<f8', 'fortran_order': False, 'shape': (%1, %2, %3), }")
                            .arg(count)
                            .arg(height)
                            .arg(width)
                            .toLatin1();
    while ((10 + header.size() + 1) % 64) header.append(' ');
    header.append('\n');
    QByteArray bytes("\x93NUMPY\x01\x00", 8);
    bytes.append(char(header.size() & 0xff)).append(char(header.size() >> 8)).append(header);
    for (int i = 0; i < count; ++i)
        for (int p = 0; p < height * width; ++p) {
            const double v = std::sin(0.7 * i + 1.3 * p); // distinct images
            bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
        }
    const QString path = dir.filePath("images.npy");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) return {};
    return path;
}

} // namespace

class TestProjectedScene : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void drawnIsTheProjectionOfTheData() {
        const auto scene = computeScene(small("digits"));
        QVERIFY(scene && scene->projected);
        const auto& p = scene->projected->projection;
        QCOMPARE(p.kind, ProjectionKind::Pca); // auto: digits are not an embedded shape
        QCOMPARE(dataDim(*scene), 64);
        QCOMPARE(scene->charges.dim(), 2);
        QCOMPARE(scene->charges.size(), std::size_t{1797});
        for (std::size_t i = 0; i < scene->charges.size(); i += 97) {
            const auto expected = projectDirectly(p, dataCharges(*scene).position(i));
            for (int a = 0; a < 2; ++a)
                QVERIFY(std::abs(scene->charges.position(i)[a] - expected[a]) < 1e-12);
        }
        // Every particle is drawn; the first kKeptPaths keep their 64 coordinates, and the drawn
        // path is their projection point by point.
        QCOMPARE(scene->paths.size(), std::size_t{150});
        QCOMPARE(dataPaths(*scene).size(), std::size_t{150});
        const auto& full = dataPaths(*scene)[140]; // in the second chunk
        const auto& drawn = scene->paths[140];
        QCOMPARE(drawn.sigma, full.sigma);
        for (std::size_t k = 0; k < full.sigma.size(); k += 3) {
            const auto expected =
                projectDirectly(p, std::span<const double>(full.x).subspan(k * 64, 64));
            QVERIFY(std::abs(drawn.x[k * 2] - expected[0]) < 1e-12);
            QVERIFY(std::abs(drawn.x[k * 2 + 1] - expected[1]) < 1e-12);
        }
        // The explained shares are variances along the axes over the total, which the axes of
        // principal components make the two largest of any direction: more than two coordinates'.
        QVERIFY(p.explained[0] >= p.explained[1]);
        QVERIFY(p.explained[0] + p.explained[1] > 2.0 / 64);
        QVERIFY(p.describe().find("principal components 1–2 of 64 coordinates") == 0);
        for (const auto& line : scene->fieldLines) QCOMPARE(line.x.size(), 2 * line.sigma.size());
    }

    // Two moons embedded in 16 coordinates, seen through the embedding's plane, are the 2-D two
    // moons themselves (the extra noise is orthogonal to the plane).
    void embeddedShapeComesBackAsItself() {
        const auto scene = computeScene(small("two-moons", 16));
        QVERIFY(scene && scene->projected);
        QCOMPARE(scene->projected->projection.kind, ProjectionKind::Embedding);
        const physics::ChargeSet flat = physics::makeDataset("two-moons", {});
        QCOMPARE(scene->charges.size(), flat.size());
        double worst = 0;
        for (std::size_t i = 0; i < flat.size(); ++i)
            for (int a = 0; a < 2; ++a)
                worst =
                    std::max(worst, std::abs(scene->charges.position(i)[a] - flat.position(i)[a]));
        QVERIFY2(worst < 1e-12, qPrintable(QString::number(worst)));
    }

    void twoChosenCoordinatesAreThoseCoordinates() {
        SceneSettings s = small("wine");
        s.projection = ProjectionKind::Axes;
        s.axisX = 13;
        s.axisY = 2;
        const auto scene = computeScene(s);
        QVERIFY(scene);
        for (std::size_t i = 0; i < scene->charges.size(); i += 17) {
            QCOMPARE(scene->charges.position(i)[0], dataCharges(*scene).position(i)[12]);
            QCOMPARE(scene->charges.position(i)[1], dataCharges(*scene).position(i)[1]);
        }
        s.axisX = 14; // wine has 13
        try {
            computeScene(s);
            QFAIL("an axis beyond N was accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY(std::string(e.what()).find("1 to 13") != std::string::npos);
        }
    }

    // The exact field copies its training set: every landed particle is a training image, and its
    // tile at σ = 0 is the tile of the nearest one. At σ_max the tile is noise clipped to black
    // and white.
    void imageTilesLandOnTrainingImages() {
        const auto scene = computeScene(small("digits"));
        const ImageTiles landed = imageTiles(*scene, clockBottom(*scene));
        QCOMPARE(landed.width, 8);
        QCOMPARE(landed.height, 8);
        QCOMPARE(landed.tiles.size(), kImageTiles);
        for (const auto& tile : landed.tiles) {
            QCOMPARE(tile.particle.size(), std::size_t{64});
            QVERIFY2(tile.landedDifference < 1e-3,
                     qPrintable(QString::number(tile.landedDifference)));
            for (std::size_t k = 0; k < 64; ++k)
                QVERIFY(std::abs(tile.particle[k] - tile.nearest[k]) < 2e-3);
        }
        const ImageTiles noise = imageTiles(*scene, clockTop(*scene));
        int clipped = 0;
        for (float v : noise.tiles[0].particle) clipped += v == 0.0f || v == 1.0f;
        QVERIFY(clipped > 56); // σ = 80 against pixels in [-1, 1]: nearly all clipped
        // Data that are not images have no tiles, an embedded toy of 16 coordinates included.
        QVERIFY(imageTiles(*computeScene(small("wine")), 0.0).tiles.empty());
        QVERIFY(imageTiles(*computeScene(small("two-moons", 16)), 0.0).tiles.empty());
    }

    // A file of (M, 3, 6) images declares its shape: 18 coordinates are no square, yet tiles
    // of 6 × 3 pixels are drawn.
    void imageFilesDeclareTheirShape() {
        QTemporaryDir dir;
        SceneSettings s = small("digits");
        s.dataPath = writeImages(dir, 40, 3, 6).toStdString();
        QVERIFY(!s.dataPath.empty());
        const auto scene = computeScene(s);
        QCOMPARE(dataDim(*scene), 18);
        const ImageTiles tiles = imageTiles(*scene, clockBottom(*scene));
        QCOMPARE(tiles.width, 6);
        QCOMPARE(tiles.height, 3);
        QCOMPARE(tiles.tiles.size(), kImageTiles);
    }

    // Prior particles at σ well below the digits' spacing sit at distances from their nearest
    // charge that follow the kernel's law (their own charge is the nearest): the histogram's mean
    // within 3% of the law's, and its mass 1.
    void histogramFollowsTheKernelLawAtSmallSigma() {
        SceneSettings s = small("digits");
        s.particles = 256;
        s.steps = 32;
        const auto scene = computeScene(s);
        const double logSigma = std::log(0.05);
        const auto h = nearestDistanceHistogram(*scene, logSigma);
        QVERIFY(h);
        QCOMPARE(h->particles, std::size_t{256});
        double mass = 0, mean = 0, lawMean = 0, lawMass = 0;
        for (std::size_t b = 0; b < h->density.size(); ++b) {
            const double w = h->edges[b + 1] - h->edges[b];
            mass += h->density[b] * w;
            mean += h->density[b] * w * 0.5 * (h->edges[b] + h->edges[b + 1]);
        }
        const double dt = h->curveT[1] - h->curveT[0];
        for (std::size_t k = 0; k < h->curveT.size(); ++k) {
            lawMass += h->lawDensity[k] * dt;
            lawMean += h->lawDensity[k] * h->curveT[k] * dt;
        }
        QVERIFY(std::abs(mass - 1) < 1e-12);
        QVERIFY2(std::abs(mean - lawMean / lawMass) < 0.03 * lawMean,
                 qPrintable(QString("%1 vs %2").arg(mean).arg(lawMean / lawMass)));
        // At σ = 0 R/σ means nothing.
        QVERIFY(!nearestDistanceHistogram(*scene, clockBottom(*scene)));
    }

    void diffusionMapMatchesTheLaw() {
        const DiffusionDistanceMap& map = diffusionDistanceMap();
        QCOMPARE(map.ns.front(), 1.0);
        QCOMPARE(map.ns.back(), 16384.0);
        QCOMPARE(map.tv.size(), map.ns.size() * map.ds.size());
        const std::size_t row = 8, column = 11; // D = 100, N = 64
        QCOMPARE(map.ds[row], 100.0);
        QCOMPARE(map.ns[column], 64.0);
        QCOMPARE(map.at(row, column), physics::radialTotalVariation(64, 100.0));
    }
};

QTEST_MAIN(TestProjectedScene)
#include "tst_projected_scene.moc"
