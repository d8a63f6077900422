// Charge editing logic: each operation, weight limits, the last charge, undo and redo, picking.
#include "app/scene/charge_editor.h"
#include "app/scene/scene_data.h"

#include <QTest>

using namespace psc;
using namespace psc::app;

class TestChargeEditor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void firstEditCopiesTheCharges();
    void moveRemoveReweight();
    void lastChargeCannotBeDeleted();
    void undoRedo();
    void picking();
};

void TestChargeEditor::firstEditCopiesTheCharges() {
    SceneSettings settings;
    settings.dataset = "three-charges";
    const auto charges = loadSceneCharges(settings);
    ChargeEditor editor;
    const auto edited = editor.add(settings, charges, 2.0, 3.0);
    QCOMPARE(edited.editedWeights.size(), std::size_t(4));
    const auto after = loadSceneCharges(edited);
    QCOMPARE(after.size(), std::size_t(4));
    QCOMPARE(after.position(3)[0], 2.0);
    QCOMPARE(after.position(3)[1], 3.0);
    // Relative weights survive the copy: 0.5 : 0.3 : 0.2, and the new charge weighs 1 (= average).
    QVERIFY(std::abs(after.weights()[0] / after.weights()[1] - 0.5 / 0.3) < 1e-12);
    QVERIFY(std::abs(after.weights()[3] * (1.5 + 0.9 + 0.6 + 1.0) - 1.0) < 1e-12);
}

void TestChargeEditor::moveRemoveReweight() {
    SceneSettings settings;
    settings.dataset = "two-charges";
    ChargeEditor editor;
    auto s = editor.move(settings, loadSceneCharges(settings), 1, 4.0, -1.0, true);
    QCOMPARE(loadSceneCharges(s).position(1)[0], 4.0);
    s = editor.reweight(s, loadSceneCharges(s), 0, 3.0);
    QVERIFY(std::abs(s.editedWeights[0] - std::pow(1.25, 3.0)) < 1e-12);
    s = editor.reweight(s, loadSceneCharges(s), 0, 100.0);
    QCOMPARE(s.editedWeights[0], ChargeEditor::kMaxWeight);
    s = editor.reweight(s, loadSceneCharges(s), 0, -200.0);
    QCOMPARE(s.editedWeights[0], ChargeEditor::kMinWeight);
    const auto removed = editor.remove(s, loadSceneCharges(s), 0);
    QVERIFY(removed);
    QCOMPARE(loadSceneCharges(*removed).size(), std::size_t(1));
    QCOMPARE(loadSceneCharges(*removed).position(0)[0], 4.0);
}

void TestChargeEditor::lastChargeCannotBeDeleted() {
    SceneSettings settings;
    settings.dataset = "one-charge";
    ChargeEditor editor;
    QVERIFY(!editor.remove(settings, loadSceneCharges(settings), 0));
    QVERIFY(!editor.canUndo());
}

void TestChargeEditor::undoRedo() {
    SceneSettings settings;
    settings.dataset = "two-charges";
    ChargeEditor editor;
    const auto a = editor.add(settings, loadSceneCharges(settings), 0.0, 1.0);
    const auto b = editor.add(a, loadSceneCharges(a), 0.0, 2.0);
    auto back = editor.undo(b);
    QVERIFY(back && *back == a);
    back = editor.undo(*back);
    QVERIFY(back && *back == settings);
    QVERIFY(!editor.undo(*back));
    auto forward = editor.redo(settings);
    QVERIFY(forward && *forward == a);
    forward = editor.redo(*forward);
    QVERIFY(forward && *forward == b);
    QVERIFY(!editor.canRedo());
    // A new edit after an undo drops the redo branch.
    back = editor.undo(b);
    editor.add(*back, loadSceneCharges(*back), 5, 5);
    QVERIFY(!editor.canRedo());
}

void TestChargeEditor::picking() {
    const std::vector<float> screen{10, 10, 50, 50, 52, 50};
    QVERIFY(!pickNearest(screen, 100, 100, 8));
    QCOMPARE(*pickNearest(screen, 12, 11, 8), std::size_t(0));
    QCOMPARE(*pickNearest(screen, 52.5f, 50, 8), std::size_t(2));
}

QTEST_APPLESS_MAIN(TestChargeEditor)
#include "tst_charge_editor.moc"
