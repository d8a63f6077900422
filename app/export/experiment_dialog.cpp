// The robustness experiment dialog. The worker thread only reads the dialog's const data and the
// cancel flag; everything it reports is posted back to the GUI thread with `this` as context, and
// the destructor joins it first, so no posted call can outlive the dialog.
#include "app/export/experiment_dialog.h"

#include "app/export/experiment_plot.h"
#include "app/export/experiment_table.h"
#include "app/scene/count_text.h"

#include "physics/extra_dims.h"

#include <QCloseEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace psc::exporter {
namespace {

QLineEdit* listEdit(const char* name, const char* value, const char* tip) {
    auto* edit = new QLineEdit(value);
    edit->setObjectName(name);
    edit->setToolTip(tip);
    return edit;
}

QSpinBox* spinBox(const char* name, int low, int high, int value, const char* tip) {
    auto* spin = new QSpinBox;
    spin->setObjectName(name);
    spin->setRange(low, high);
    spin->setValue(value);
    spin->setToolTip(tip);
    return spin;
}

QPushButton* button(const char* name, const char* label, const char* tip) {
    auto* b = new QPushButton(label);
    b->setObjectName(name);
    b->setToolTip(tip);
    b->setAutoDefault(false);
    return b;
}

} // namespace

ExperimentDialog::ExperimentDialog(physics::ChargeSet train, physics::ChargeSet heldOut,
                                   std::string datasetName, QWidget* parent)
    : QDialog(parent), m_train(std::move(train)), m_heldOut(std::move(heldOut)),
      m_datasetName(std::move(datasetName)) {
    setWindowTitle("Robustness experiment");
    auto* data = new QLabel(QString("Data: %1, %2, %3 held out (N = %4)")
                                .arg(QString::fromStdString(m_datasetName))
                                .arg(QString::fromStdString(app::countText(
                                    static_cast<long long>(m_train.size()), "training point")))
                                .arg(m_heldOut.size())
                                .arg(m_train.dim()));
    data->setWordWrap(true);
    m_ds = listEdit("dValues", "1,4,16,128,2048,inf",
                    "Values of D, comma separated (a number >= 1 or inf); one learned field each.");
    m_trainSteps = spinBox("trainSteps", 0, 1000000, 3000, "Optimiser steps of each training.");
    m_samples = spinBox("samples", 2, 100000, 2000,
                        "Points generated per measurement, scored against the held-out data.");
    m_alphas = listEdit("alphas", "0,0.1,0.2",
                        "(a) Noise strengths alpha in [0, 10]: alpha*sigma_k*N(0, I) is added "
                        "before every step.");
    m_heunSteps = listEdit("heunSteps", "4,6,9,13,18",
                           "(b) Heun schedule lengths, 2..10000 steps (NFE = 2 steps - 1).");
    m_bits = listEdit("bits", "5,6,7,8,9", "(c) Weight quantisation bits, 5..9.");
    m_seed = spinBox("seed", 0, INT_MAX, 0, "Seed of training, start points and noise.");
    auto* form = new QFormLayout;
    form->addRow("D values", m_ds);
    form->addRow("Training steps per D", m_trainSteps);
    form->addRow("Generated samples", m_samples);
    form->addRow("Noise alpha", m_alphas);
    form->addRow("Heun steps", m_heunSteps);
    form->addRow("Weight bits", m_bits);
    form->addRow("Seed", m_seed);

    m_problem = new QLabel;
    m_problem->setObjectName("problem");
    m_problem->setStyleSheet("color: #c62828");
    m_problem->setWordWrap(true);
    m_run = button("run", "Run", "Train a field per D and measure every protocol setting.");
    m_cancelButton = button("cancel", "Cancel", "Stop after the current training or flow step.");
    m_stage = new QLabel("Not run yet.");
    m_stage->setObjectName("stage");
    m_progress = new QProgressBar;
    m_progress->setObjectName("progress");
    m_progress->setToolTip("Stages done: per D, its training, then its measurements.");
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_run);
    runRow->addWidget(m_cancelButton);
    runRow->addWidget(m_progress, 1);

    m_figureLabel = new QLabel("The figure appears here after a run.");
    m_figureLabel->setObjectName("figure");
    m_figureLabel->setAlignment(Qt::AlignCenter);
    m_figureLabel->setToolTip("Sliced W2 to the held-out data (lower is better), one curve per D.");
    // Ignored, so the scaled pixmap never dictates the dialog's minimum size.
    m_figureLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_figureLabel->setMinimumSize(600, 208);
    m_table = new QTableWidget(0, 6);
    m_table->setObjectName("table");
    m_table->setHorizontalHeaderLabels({"D", "protocol", "value", "NFE", "sliced W2", "MMD"});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setMinimumHeight(140);
    m_table->setToolTip("One row per D and protocol setting; NFE: denoiser evaluations.");

    m_saveTable = button("saveTable", "Save table...", "Write the rows as CSV.");
    m_saveFigure = button("saveFigure", "Save figure...", "Write the figure as PNG (1500x520).");
    auto* close = button("close", "Close", "Close the dialog (cancels a run).");
    auto* saveRow = new QHBoxLayout;
    saveRow->addWidget(m_saveTable);
    saveRow->addWidget(m_saveFigure);
    saveRow->addStretch(1);
    saveRow->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(data);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addLayout(runRow);
    layout->addWidget(m_stage);
    layout->addWidget(m_figureLabel, 3);
    layout->addWidget(m_table, 2);
    layout->addLayout(saveRow);
    resize(900, 760);

    for (auto* edit : {m_ds, m_alphas, m_heunSteps, m_bits})
        connect(edit, &QLineEdit::textChanged, this, &ExperimentDialog::updateButtons);
    for (auto* spin : {m_trainSteps, m_samples, m_seed})
        connect(spin, &QSpinBox::valueChanged, this, &ExperimentDialog::updateButtons);
    connect(m_run, &QPushButton::clicked, this, &ExperimentDialog::run);
    connect(m_cancelButton, &QPushButton::clicked, this, &ExperimentDialog::cancel);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_saveTable, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, "Save table", "robustness.csv",
                                                          "CSV tables (*.csv)");
        if (!path.isEmpty()) saveTable(path);
    });
    connect(m_saveFigure, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, "Save figure", "robustness.png",
                                                          "PNG images (*.png)");
        if (!path.isEmpty()) saveFigure(path);
    });
    updateButtons();
}

ExperimentDialog::~ExperimentDialog() {
    m_cancel = true;
    if (m_worker.joinable()) m_worker.join();
}

std::optional<physics::ExperimentSettings> ExperimentDialog::settings(QString* problem) const {
    physics::ExperimentSettings s;
    const ExperimentLists lists{m_ds->text().toStdString(), m_alphas->text().toStdString(),
                                m_heunSteps->text().toStdString(), m_bits->text().toStdString()};
    if (auto e = readExperimentLists(lists, s)) {
        if (problem) *problem = QString::fromStdString(*e);
        return std::nullopt;
    }
    s.train.steps = m_trainSteps->value();
    s.train.seed = s.seed = static_cast<std::uint64_t>(m_seed->value());
    s.samples = static_cast<std::size_t>(m_samples->value());
    if (problem) problem->clear();
    return s;
}

bool ExperimentDialog::run() {
    const auto s = settings();
    if (running() || !s) return false;
    m_cancel = false;
    m_stagesSeen = 0;
    // runRobustnessExperiment reports two stages per D: its training, then its measurements.
    m_progress->setRange(0, 2 * static_cast<int>(s->ds.size()));
    m_progress->setValue(0);
    m_stage->setText("Starting...");
    m_worker = std::thread([this, s = *s] {
        std::vector<physics::ExperimentRow> rows;
        QString failure;
        try {
            rows = physics::runRobustnessExperiment(
                m_train, m_heldOut, m_datasetName, s,
                [this](const std::string& stage) {
                    QMetaObject::invokeMethod(
                        this, [this, t = QString::fromStdString(stage)] { stageReached(t); },
                        Qt::QueuedConnection);
                },
                &m_cancel);
        } catch (const std::exception& e) {
            failure = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, rows = std::move(rows), failure] { finished(rows, failure); },
            Qt::QueuedConnection);
    });
    updateButtons();
    return true;
}

void ExperimentDialog::cancel() {
    if (!running()) return;
    m_cancel = true;
    m_stage->setText("Cancelling...");
    updateButtons();
}

void ExperimentDialog::stageReached(const QString& stage) {
    m_progress->setValue(std::min(m_stagesSeen++, m_progress->maximum()));
    if (!m_cancel) m_stage->setText(stage);
}

void ExperimentDialog::finished(const std::vector<physics::ExperimentRow>& rows,
                                const QString& failure) {
    // The worker's last act was posting this call, so the join is immediate.
    m_worker.join();
    m_rows = rows;
    if (!failure.isEmpty()) {
        m_stage->setText("Failed: " + failure);
    } else if (m_cancel) {
        m_stage->setText(QString("Cancelled after %1.")
                             .arg(QString::fromStdString(app::countText(
                                 static_cast<long long>(m_rows.size()), "measurement"))));
    } else {
        m_progress->setValue(m_progress->maximum());
        m_stage->setText(QString("Done: %1.")
                             .arg(QString::fromStdString(app::countText(
                                 static_cast<long long>(m_rows.size()), "measurement"))));
    }
    showResults();
    updateButtons();
}

void ExperimentDialog::showResults() {
    m_table->setRowCount(static_cast<int>(m_rows.size()));
    for (int i = 0; i < m_table->rowCount(); ++i) {
        const auto& r = m_rows[static_cast<std::size_t>(i)];
        const QString cells[] = {QString::fromStdString(physics::formatExtraDims(r.d)),
                                 QString::fromStdString(r.protocol),
                                 QString::number(r.value, 'g', 6),
                                 QString::number(r.nfe),
                                 QString::number(r.sw2, 'g', 4),
                                 QString::number(r.mmd, 'g', 4)};
        for (int c = 0; c < 6; ++c) m_table->setItem(i, c, new QTableWidgetItem(cells[c]));
    }
    m_figure = m_rows.empty()
                   ? QImage()
                   : plotExperiment(m_rows, QString("Robustness of PFGM++ across D: %1")
                                                .arg(QString::fromStdString(m_datasetName)));
    showFigure();
}

void ExperimentDialog::showFigure() {
    if (m_figure.isNull()) {
        m_figureLabel->setPixmap({});
        m_figureLabel->setText("No results yet.");
        return;
    }
    m_figureLabel->setPixmap(QPixmap::fromImage(m_figure).scaled(
        m_figureLabel->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

void ExperimentDialog::resizeEvent(QResizeEvent* event) {
    QDialog::resizeEvent(event);
    if (!m_figure.isNull()) showFigure();
}

void ExperimentDialog::updateButtons() {
    const bool busy = running();
    QString problem;
    const bool valid = settings(&problem).has_value();
    m_problem->setText(problem);
    m_problem->setVisible(!valid);
    for (QWidget* w : std::initializer_list<QWidget*>{m_ds, m_trainSteps, m_samples, m_alphas,
                                                      m_heunSteps, m_bits, m_seed})
        w->setEnabled(!busy);
    m_run->setEnabled(!busy && valid);
    m_cancelButton->setEnabled(busy && !m_cancel);
    m_saveTable->setEnabled(!busy && !m_rows.empty());
    m_saveFigure->setEnabled(!busy && !m_figure.isNull());
}

bool ExperimentDialog::saveTable(const QString& path, QString* error) {
    if (m_rows.empty()) return reportSaveError("nothing to save: run the experiment first", error);
    return reportSaveError(saveExperimentCsv(path, m_rows), error);
}

bool ExperimentDialog::saveFigure(const QString& path, QString* error) {
    if (m_figure.isNull())
        return reportSaveError("nothing to save: run the experiment first", error);
    return reportSaveError(saveExperimentPng(path, m_figure), error);
}

bool ExperimentDialog::reportSaveError(const std::optional<std::string>& error, QString* out) {
    if (!error) return true;
    const QString message = QString::fromStdString(*error);
    if (out)
        *out = message;
    else
        QMessageBox::warning(this, "Robustness experiment", message);
    return false;
}

void ExperimentDialog::closeEvent(QCloseEvent* event) {
    cancel();
    QDialog::closeEvent(event);
}

void ExperimentDialog::reject() {
    cancel();
    QDialog::reject();
}

} // namespace psc::exporter
