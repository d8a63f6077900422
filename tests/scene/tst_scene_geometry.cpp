// The geometry builder, GL-free: the hemisphere's shape in physics coordinates for every D, trail
// windows, and particle positions on the log-σ clock.
#include "app/scene/scene_data.h"
#include "app/scene/scene_geometry_builder.h"

#include "physics/extra_dims.h"

#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace psc;
using namespace psc::app;

class TestSceneGeometry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hemisphereIsTheFoldedSphere_data();
    void hemisphereIsTheFoldedSphere();
    void trailWindowsFollowTheClock();
    void particlesInterpolateInLogSigma();
    void sigmaMaxLabelRoundsTheRadius_data();
    void sigmaMaxLabelRoundsTheRadius();
    void aPictureIsDotsOfItsTones();
};

void TestSceneGeometry::hemisphereIsTheFoldedSphere_data() {
    QTest::addColumn<double>("d");
    for (double d : {1.0, 4.0, 64.0, 1e6, physics::kInfiniteD})
        QTest::addRow("D=%s", physics::formatExtraDims(d).c_str()) << d;
}

// Every wireframe vertex, mapped back to physics coordinates, lies on |x − c|² + D σ² = D σ_max²
// (σ = σ_max at D = ∞: the noise plane is flat in σ, whatever the log view does to it).
void TestSceneGeometry::hemisphereIsTheFoldedSphere() {
    QFETCH(double, d);
    const double sigmaMax = 20.0;
    const render::AxisWarp warp =
        render::AxisWarp::forData(glm::vec3(0.5f, -0.25f, 0.0f), 1.0, sigmaMax);
    const auto lines = hemisphereLines(0.5, -0.25, sigmaMax, d, warp, glm::vec4(1.0f));
    QVERIFY(lines.vertices.size() > 500);
    for (const auto& v : lines.vertices) {
        const glm::dvec3 p = warp.fromWorld3D(v.position);
        const double r2 = (p.x - 0.5) * (p.x - 0.5) + (p.y + 0.25) * (p.y + 0.25);
        if (physics::isInfiniteD(d)) {
            QVERIFY2(std::abs(p.z - sigmaMax) < 1e-3 * sigmaMax, qPrintable(QString::number(p.z)));
        } else {
            const double onSphere = (r2 + d * p.z * p.z) / (d * sigmaMax * sigmaMax);
            QVERIFY2(std::abs(onSphere - 1.0) < 1e-3, qPrintable(QString::number(onSphere)));
        }
    }
}

void TestSceneGeometry::trailWindowsFollowTheClock() {
    SceneSettings settings;
    settings.dataset = "two-charges";
    settings.particles = 50;
    settings.fieldLines = 0;
    const auto scene = computeScene(settings);
    const double now = std::log(0.5), length = 1.0;
    const auto backward = trailRanges(*scene, now, length, false);
    const auto forward = trailRanges(*scene, now, length, true);
    QVERIFY(!backward.firsts.empty() && !forward.firsts.empty());
    // Flatten the paths' clock values in buffer order to check each window's contents.
    std::vector<double> clock;
    for (const auto& path : scene->paths)
        for (double s : path.sigma) clock.push_back(clockLogSigma(*scene, s));
    for (std::size_t i = 0; i < backward.firsts.size(); ++i) {
        const int first = backward.firsts[i], last = first + backward.counts[i] - 1;
        // Inner vertices lie in [now, now + length]; the two ends may reach one vertex beyond.
        for (int k = first + 1; k < last; ++k)
            QVERIFY(clock[k] >= now - 1e-12 && clock[k] <= now + length + 1e-12);
    }
    for (std::size_t i = 0; i < forward.firsts.size(); ++i) {
        const int first = forward.firsts[i], last = first + forward.counts[i] - 1;
        for (int k = first + 1; k < last; ++k)
            QVERIFY(clock[k] >= now - length - 1e-12 && clock[k] <= now + 1e-12);
    }
}

void TestSceneGeometry::particlesInterpolateInLogSigma() {
    SceneSettings settings;
    settings.dataset = "one-charge";
    settings.particles = 5;
    settings.fieldLines = 0;
    settings.particleSource = ParticleSource::Prior;
    settings.steps = 8;
    const auto scene = computeScene(settings);
    for (std::size_t p = 0; p < scene->paths.size(); ++p) {
        const auto& path = scene->paths[p];
        // At a recorded σ the position is the recorded one.
        const auto at = pathPositionAt(*scene, p, clockLogSigma(*scene, path.sigma[3]));
        QVERIFY(std::abs(at[0] - path.x[6]) < 1e-12 && std::abs(at[1] - path.x[7]) < 1e-12);
        // One charge: the flow is a straight line x ∝ σ, so halfway in log σ between two
        // recorded points the interpolated point lies on the segment between them.
        const double mid =
            0.5 * (clockLogSigma(*scene, path.sigma[3]) + clockLogSigma(*scene, path.sigma[4]));
        const auto between = pathPositionAt(*scene, p, mid);
        const double cross = (path.x[8] - path.x[6]) * (between[1] - path.x[7]) -
                             (path.x[9] - path.x[7]) * (between[0] - path.x[6]);
        QVERIFY(std::abs(cross) < 1e-9 * (1 + std::abs(path.x[6])));
        // Before its start and after its end a particle stays at its first and last point.
        const auto early = pathPositionAt(*scene, p, clockTop(*scene) + 1.0);
        QCOMPARE(early[0], path.x[0]);
        const auto late = pathPositionAt(*scene, p, clockBottom(*scene) - 1.0);
        QCOMPARE(late[0], path.x[path.x.size() - 2]);
    }
    QCOMPARE(particleHeads(*scene, ViewSettings{}, sceneWarp(*scene), clockTop(*scene)).size(),
             scene->paths.size());
}

void TestSceneGeometry::sigmaMaxLabelRoundsTheRadius_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<QString>("label");
    QTest::newRow("D=1") << 1.0 << "σ = 80  (r = σ√D = 80)";
    QTest::newRow("D=8") << 8.0 << "σ = 80  (r = σ√D ≈ 226)";
    QTest::newRow("D=2") << 2.0 << "σ = 80  (r = σ√D ≈ 113)";
    QTest::newRow("D=1e6") << 1e6 << "σ = 80  (r = σ√D = 80000)";
    QTest::newRow("D=inf") << physics::kInfiniteD << "σ = 80  (r = ∞)";
}

// The label at the top of the σ axis: σ_max as set, the radius r = σ√D it implies in three
// significant figures, and "≈" where digits were dropped (not "226.274").
void TestSceneGeometry::sigmaMaxLabelRoundsTheRadius() {
    QFETCH(double, d);
    QFETCH(QString, label);
    SceneSettings settings;
    settings.dataset = "one-charge";
    settings.particles = 0;
    settings.fieldLines = 0;
    settings.d = d;
    const auto scene = computeScene(settings);
    const auto geometry = buildSceneGeometry(*scene, ViewSettings{}, sceneWarp(*scene));
    QStringList seen;
    for (const auto& l : geometry.labels)
        if (QString::fromStdString(l.text).startsWith("σ = "))
            seen << QString::fromStdString(l.text);
    QCOMPARE(seen, QStringList{label});
}

// A picture of 30,000 pixels: a charge per pixel darker than the threshold, at its place (the
// longer side spanning 4 units), drawn as flat dots whose opacity follows the darkness; by the
// tree code, kept for the next D.
void TestSceneGeometry::aPictureIsDotsOfItsTones() {
    QTemporaryDir dir;
    QImage picture(200, 150, QImage::Format_RGB32);
    for (int y = 0; y < 150; ++y)
        for (int x = 0; x < 200; ++x) {
            const int v = 250 - x; // dark on the right, almost white on the left
            picture.setPixel(x, y, qRgb(v, v, v));
        }
    const QString file = dir.filePath("ramp.png");
    QVERIFY(picture.save(file));
    SceneSettings settings;
    settings.dataPath = file.toStdString();
    settings.image.threshold = 0.1; // 1 − v/255 > 0.1: v < 229.5, x > 20
    settings.particles = 20;
    settings.fieldLines = 4;
    settings.fieldMethod = physics::FieldMethod::Tree;
    const auto scene = computeScene(settings);
    QCOMPARE(scene->charges.size(), std::size_t(179 * 150));
    const auto first = scene->charges.position(0);
    QCOMPARE(first[0], (21 + 0.5 - 100) * 0.02);
    QCOMPARE(first[1], (75 - 0.5) * 0.02);
    const auto geometry = buildSceneGeometry(*scene, ViewSettings{}, sceneWarp(*scene));
    QVERIFY(geometry.chargeDots);
    QCOMPARE(geometry.charges.size(), scene->charges.size());
    // Row 0: opacity grows to the right, the darkest pixel fully opaque.
    QVERIFY(geometry.charges[0].color.a < geometry.charges[100].color.a);
    QCOMPARE(geometry.charges[178].color.a, 1.0f);
    QVERIFY(geometry.charges[0].size < 3.0f);
    // Fewer charges keep their lit spheres.
    settings.image.stride = 4;
    const auto sparse = computeScene(settings);
    QVERIFY(!buildSceneGeometry(*sparse, ViewSettings{}, sceneWarp(*sparse)).chargeDots);
}

QTEST_APPLESS_MAIN(TestSceneGeometry)
#include "tst_scene_geometry.moc"
