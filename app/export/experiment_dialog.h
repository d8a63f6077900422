// Tools › Robustness experiment: the settings of `poissonscope experiment`, a run on a worker
// thread with progress and Cancel, then the figure, the table and saving both.
#pragma once

#include "physics/charge_set.h"
#include "physics/torch/robustness_experiment.h"

#include <QDialog>
#include <QImage>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace psc::exporter {

// Widgets carry object names for tests: study, dValues, learnedField, exactField, seeds,
// trainSteps, tailQuantile, samples, alphas, heunSteps, bits, seed, run, cancel, problem, stage,
// progress, figure, report, table, saveTable, saveFigure.
// Invalid settings show in red in "problem" and disable Run. Closing or destroying the dialog
// while running cancels the run and waits for the worker (a training or flow step at most).
class ExperimentDialog : public QDialog {
    Q_OBJECT
public:
    // `heldOut` must have train's dimension; datasetName names the figure and the trained fields.
    ExperimentDialog(physics::ChargeSet train, physics::ChargeSet heldOut, std::string datasetName,
                     QWidget* parent = nullptr);
    ~ExperimentDialog() override;

    bool running() const { return m_worker.joinable(); }
    // Results of the last finished run (fewer than the settings ask for when it was cancelled).
    const physics::ExperimentResult& result() const { return m_result; }
    // Fills the settings with a prepared study's (experiment_table.h); false for an unknown one.
    bool applyStudy(const std::string& name, bool quick);
    // The full-size figure of rows() (null before the first results).
    QImage figure() const { return m_figure; }
    // The settings as entered, or the reason they cannot run.
    std::optional<physics::ExperimentSettings> settings(QString* problem = nullptr) const;

    // Start a run (false when the settings are invalid or one is running) / ask it to stop.
    bool run();
    void cancel();
    // Write the table (CSV) or the figure (PNG) atomically; false when there is nothing to save
    // or the file cannot be written. The reason goes to *error when given, else a message box.
    bool saveTable(const QString& path, QString* error = nullptr);
    bool saveFigure(const QString& path, QString* error = nullptr);

Q_SIGNALS:
    // A run started (true) or ended (false): the main window draws fewer frames meanwhile.
    void runningChanged(bool running);

protected:
    void closeEvent(QCloseEvent* event) override;
    void reject() override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void stageReached(const QString& stage);
    void finished(physics::ExperimentResult result, const QString& failure);
    void showResults();
    void showFigure();
    void updateButtons();
    bool reportSaveError(const std::optional<std::string>& error, QString* out);

    const physics::ChargeSet m_train, m_heldOut;
    const std::string m_datasetName;
    QComboBox* m_study;
    QLineEdit *m_ds, *m_alphas, *m_heunSteps, *m_bits;
    QCheckBox *m_learnedField, *m_exactField;
    QSpinBox *m_seeds, *m_trainSteps, *m_samples, *m_seed;
    QDoubleSpinBox* m_tailQuantile;
    QPlainTextEdit* m_report;
    QPushButton *m_run, *m_cancelButton, *m_saveTable, *m_saveFigure;
    QLabel *m_problem, *m_stage, *m_figureLabel;
    QProgressBar* m_progress;
    QTableWidget* m_table;
    physics::ExperimentResult m_result;
    physics::ExperimentSettings m_ranWith;
    QImage m_figure;
    int m_stagesSeen = 0;
    bool m_applyingStudy = false; // applyStudy is writing the fields: they stay the study's
    std::atomic<bool> m_cancel{false};
    std::thread m_worker; // joinable exactly while a run is in flight
};

} // namespace psc::exporter
