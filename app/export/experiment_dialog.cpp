// The robustness experiment dialog. The worker thread only reads the dialog's const data and the
// cancel flag; everything it reports is posted back to the GUI thread with `this` as context, and
// the destructor joins it first, so no posted call can outlive the dialog.
#include "app/export/experiment_dialog.h"

#include "app/export/experiment_plot.h"
#include "app/export/experiment_report.h"
#include "app/export/experiment_table.h"
#include "app/scene/count_text.h"

#include "physics/extra_dims.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

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
    m_study = new QComboBox;
    m_study->setObjectName("study");
    m_study->addItem("Custom", QString());
    for (const auto& study : experimentStudies()) {
        const auto name = QString::fromStdString(study.name);
        m_study->addItem("Study: " + name, name);
        m_study->addItem("Study: " + name + " (quick, for class)", name + ":quick");
    }
    m_study->setToolTip("Prepared studies fill in the settings below; they are meant for their "
                        "own data set (Tools > Study: digits opens it on the digits).");
    std::string defaultDs;
    for (double d : physics::defaultExperimentDs(m_train.dim()))
        defaultDs += (defaultDs.empty() ? "" : ",") + physics::formatExtraDims(d);
    m_ds = listEdit("dValues", defaultDs.c_str(),
                    "Values of D, comma separated (a number >= 1 or inf); empty: the default "
                    "for this N (1, 4, 16, ... up to where D is as good as infinite, and inf).");
    m_learnedField = new QCheckBox("learned fields (a, b, c)");
    m_learnedField->setObjectName("learnedField");
    m_learnedField->setChecked(physics::learnedFieldsBuiltIn());
    m_learnedField->setEnabled(physics::learnedFieldsBuiltIn());
    m_learnedField->setToolTip("Train a field per D and seed; score its samples against held-out "
                               "data under noise, fewer steps and quantised weights.");
    m_exactField = new QCheckBox("exact field (a, b)");
    m_exactField->setObjectName("exactField");
    m_exactField->setChecked(true);
    m_exactField->setToolTip("The exact field: no learning noise, so only the ODE changes with D. "
                             "Also scored against the adaptive rk45 end point of each start.");
    auto* fieldsRow = new QHBoxLayout;
    fieldsRow->addWidget(m_learnedField);
    fieldsRow->addWidget(m_exactField);
    fieldsRow->addStretch(1);
    m_seeds = spinBox("seeds", 1, 100, 5,
                      "Repetitions: seed k trains with seed + k and starts from its own noise; "
                      "every point is a mean with a 95% interval.");
    m_trainSteps = spinBox("trainSteps", 0, 1000000, 3000, "Optimiser steps of each training.");
    m_tailQuantile = new QDoubleSpinBox;
    m_tailQuantile->setObjectName("tailQuantile");
    m_tailQuantile->setDecimals(4);
    m_tailQuantile->setRange(0.5, 1.0);
    m_tailQuantile->setSingleStep(0.005);
    m_tailQuantile->setValue(0.99);
    m_tailQuantile->setToolTip(
        "Small D's noise is heavy-tailed (at D = 1, N = 2 its mean radius is infinite). Training "
        "noise and the prior are truncated at this quantile of the radius; 1 keeps it whole.");
    m_samples = spinBox("samples", 2, 100000, 2000,
                        "Points generated per measurement, scored against the held-out data.");
    m_alphas = listEdit("alphas", "0,0.1,0.2",
                        "(a) Noise strengths alpha in [0, 10]: alpha*sigma_k*N(0, I) is added "
                        "before every step.");
    m_heunSteps = listEdit("heunSteps", "3,6,9,13,18",
                           "(b) Heun schedule lengths, 2..10000 steps (NFE = 2 steps - 1).");
    m_bits = listEdit("bits", "5,6,7,8,9", "(c) Weight quantisation bits, 5..9.");
    m_seed = spinBox("seed", 0, INT_MAX, 0, "First seed: repetition k uses seed + k.");
    auto* form = new QFormLayout;
    form->addRow("Study", m_study);
    form->addRow("D values", m_ds);
    form->addRow("Fields", fieldsRow);
    form->addRow("Seeds", m_seeds);
    form->addRow("Training steps per D", m_trainSteps);
    form->addRow("Noise tail quantile", m_tailQuantile);
    form->addRow("Generated samples", m_samples);
    form->addRow("Noise alpha", m_alphas);
    form->addRow("Heun steps", m_heunSteps);
    form->addRow("Weight bits", m_bits);
    form->addRow("Seed", m_seed);

    m_problem = new QLabel;
    m_problem->setObjectName("problem");
    m_problem->setStyleSheet("color: #c62828");
    m_problem->setWordWrap(true);
    m_run = button("run", "Run",
                   "Per seed and D: the exact field's protocols, then a trained "
                   "field's; every setting measured.");
    m_cancelButton = button("cancel", "Cancel", "Stop after the current training or flow step.");
    m_stage = new QLabel("Not run yet.");
    m_stage->setObjectName("stage");
    m_progress = new QProgressBar;
    m_progress->setObjectName("progress");
    m_progress->setToolTip("Stages done: per seed and D, the exact field, training, then the "
                           "learned field's measurements.");
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_run);
    runRow->addWidget(m_cancelButton);
    runRow->addWidget(m_progress, 1);

    m_figureLabel = new QLabel("The figure appears here after a run.");
    m_figureLabel->setObjectName("figure");
    m_figureLabel->setAlignment(Qt::AlignCenter);
    m_figureLabel->setToolTip("A panel per protocol, a curve per D with 95% intervals; the "
                              "caption under it says what they resolve.");
    // Ignored, so the scaled pixmap never dictates the dialog's minimum size.
    m_figureLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_figureLabel->setMinimumSize(600, 208);
    m_report = new QPlainTextEdit;
    m_report->setObjectName("report");
    m_report->setReadOnly(true);
    m_report->setPlaceholderText("What the seeds resolve appears here after a run.");
    m_report->setMinimumHeight(120);
    m_table = new QTableWidget(0, 8);
    m_table->setObjectName("table");
    m_table->setHorizontalHeaderLabels({"field", "protocol", "value", "D", "NFE", "sliced W2 [95%]",
                                        "to rk45 end [95%]", "on its charge"});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setMinimumHeight(140);
    m_table->setToolTip("One row per field, setting and D: means over the seeds with 95% "
                        "intervals; NFE: denoiser evaluations.");

    m_saveTable = button("saveTable", "Save table...",
                         "Write the summary (mean and 95% interval per setting) as CSV.");
    m_saveFigure = button("saveFigure", "Save figure...", "Write the figure as PNG (1500 wide).");
    auto* close = button("close", "Close", "Close the dialog (cancels a run).");
    auto* saveRow = new QHBoxLayout;
    saveRow->addWidget(m_saveTable);
    saveRow->addWidget(m_saveFigure);
    saveRow->addStretch(1);
    saveRow->addWidget(close);

    // Settings on the left; the results, the figure first, take the rest of the dialog.
    auto* settingsColumn = new QVBoxLayout;
    settingsColumn->addWidget(data);
    settingsColumn->addLayout(form);
    settingsColumn->addWidget(m_problem);
    settingsColumn->addLayout(runRow);
    settingsColumn->addWidget(m_stage);
    settingsColumn->addWidget(m_report, 1);
    auto* results = new QTabWidget;
    results->setObjectName("results");
    results->addTab(m_figureLabel, "Figure");
    results->addTab(m_table, "Table");
    auto* columns = new QHBoxLayout;
    columns->addLayout(settingsColumn, 2);
    columns->addWidget(results, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addLayout(saveRow);
    resize(1240, 820);

    // An edit by hand makes the settings custom, so the study choice never names settings that
    // are no longer the study's.
    auto edited = [this] {
        if (!m_applyingStudy) m_study->setCurrentIndex(0);
        updateButtons();
    };
    for (auto* edit : {m_ds, m_alphas, m_heunSteps, m_bits})
        connect(edit, &QLineEdit::textEdited, this, edited);
    for (auto* edit : {m_ds, m_alphas, m_heunSteps, m_bits})
        connect(edit, &QLineEdit::textChanged, this, &ExperimentDialog::updateButtons);
    for (auto* spin : {m_seeds, m_trainSteps, m_samples, m_seed})
        connect(spin, &QSpinBox::valueChanged, this, edited);
    for (auto* box : {m_learnedField, m_exactField})
        connect(box, &QCheckBox::toggled, this, &ExperimentDialog::updateButtons);
    connect(m_tailQuantile, &QDoubleSpinBox::valueChanged, this, &ExperimentDialog::updateButtons);
    connect(m_study, &QComboBox::activated, this, [this] {
        const QString key = m_study->currentData().toString();
        if (!key.isEmpty())
            applyStudy(key.section(':', 0, 0).toStdString(), key.endsWith(":quick"));
    });
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
    if (m_worker.joinable()) {
        m_worker.join();
        Q_EMIT runningChanged(false);
    }
}

std::optional<physics::ExperimentSettings> ExperimentDialog::settings(QString* problem) const {
    physics::ExperimentSettings s;
    const ExperimentLists lists{m_ds->text().toStdString(), m_alphas->text().toStdString(),
                                m_heunSteps->text().toStdString(), m_bits->text().toStdString()};
    if (auto e = readExperimentLists(lists, s)) {
        if (problem) *problem = QString::fromStdString(*e);
        return std::nullopt;
    }
    s.learned = m_learnedField->isChecked();
    s.exact = m_exactField->isChecked();
    s.seeds = m_seeds->value();
    s.train.steps = m_trainSteps->value();
    s.train.tailQuantile = m_tailQuantile->value();
    s.seed = static_cast<std::uint64_t>(m_seed->value());
    s.samples = static_cast<std::size_t>(m_samples->value());
    if (auto e = physics::validateExperimentSettings(s)) {
        if (problem) *problem = QString::fromStdString(*e);
        return std::nullopt;
    }
    if (problem) problem->clear();
    return s;
}

bool ExperimentDialog::applyStudy(const std::string& name, bool quick) {
    const auto* study = findExperimentStudy(name);
    if (!study || running()) return false;
    const auto options = studyOptions(*study, quick);
    auto text = [&](const char* key, QLineEdit* edit) {
        if (auto it = options.find(key); it != options.end())
            edit->setText(QString::fromStdString(it->second));
    };
    auto number = [&](const char* key, QSpinBox* spin) {
        if (auto it = options.find(key); it != options.end()) spin->setValue(std::stoi(it->second));
    };
    m_applyingStudy = true;
    text("D", m_ds);
    text("alpha", m_alphas);
    text("heun-steps", m_heunSteps);
    text("bits", m_bits);
    number("seeds", m_seeds);
    number("steps", m_trainSteps);
    number("samples", m_samples);
    m_learnedField->setChecked(physics::learnedFieldsBuiltIn());
    m_exactField->setChecked(true);
    m_applyingStudy = false;
    const int index = m_study->findData(QString::fromStdString(name + (quick ? ":quick" : "")));
    if (index >= 0) m_study->setCurrentIndex(index);
    updateButtons();
    return true;
}

bool ExperimentDialog::run() {
    const auto s = settings();
    if (running() || !s) return false;
    m_cancel = false;
    m_stagesSeen = 0;
    // runRobustnessExperiment reports per seed and D: the exact field, then training and the
    // learned field's measurements.
    const int ds = static_cast<int>(
        s->ds.empty() ? physics::defaultExperimentDs(m_train.dim()).size() : s->ds.size());
    m_progress->setRange(0, s->seeds * ds * ((s->exact ? 1 : 0) + (s->learned ? 2 : 0)));
    m_ranWith = *s;
    m_progress->setValue(0);
    m_stage->setText("Starting...");
    m_worker = std::thread([this, s = *s] {
        physics::ExperimentResult result;
        QString failure;
        try {
            result = physics::runRobustnessExperiment(
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
            this,
            [this, result = std::move(result), failure]() mutable {
                finished(std::move(result), failure);
            },
            Qt::QueuedConnection);
    });
    updateButtons();
    Q_EMIT runningChanged(true);
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

void ExperimentDialog::finished(physics::ExperimentResult result, const QString& failure) {
    // The worker's last act was posting this call, so the join is immediate.
    m_worker.join();
    Q_EMIT runningChanged(false);
    m_result = std::move(result);
    const auto& rows = m_result.rows;
    if (!failure.isEmpty()) {
        m_stage->setText("Failed: " + failure);
    } else if (m_cancel) {
        m_stage->setText(QString("Cancelled after %1.")
                             .arg(QString::fromStdString(app::countText(
                                 static_cast<long long>(rows.size()), "measurement"))));
    } else {
        m_progress->setValue(m_progress->maximum());
        m_stage->setText(QString("Done: %1.")
                             .arg(QString::fromStdString(app::countText(
                                 static_cast<long long>(rows.size()), "measurement"))));
    }
    showResults();
    updateButtons();
}

void ExperimentDialog::showResults() {
    const auto points = physics::summarize(m_result.rows);
    auto withInterval = [](const physics::Interval& i) {
        if (!std::isfinite(i.mean)) return QString();
        QString text = QString::number(i.mean, 'g', 3);
        if (i.spread)
            text += QString(" [%1, %2]")
                        .arg(QString::number(i.lo, 'g', 3), QString::number(i.hi, 'g', 3));
        return text;
    };
    m_table->setRowCount(static_cast<int>(points.size()));
    for (int i = 0; i < m_table->rowCount(); ++i) {
        const auto& p = points[static_cast<std::size_t>(i)];
        const bool data = p.field == physics::FieldKind::Data;
        const QString cells[] = {physics::fieldKindName(p.field),
                                 QString::fromStdString(p.protocol),
                                 data ? QString() : QString::number(p.value, 'g', 6),
                                 data ? QString()
                                      : QString::fromStdString(physics::formatExtraDims(p.d)),
                                 data ? QString() : QString::number(p.nfe, 'g', 4),
                                 withInterval(p.sw2),
                                 withInterval(p.endpointDistance),
                                 withInterval(p.landedFraction)};
        for (int c = 0; c < 8; ++c) m_table->setItem(i, c, new QTableWidgetItem(cells[c]));
    }
    const std::string caption = experimentCaption(m_result, m_ranWith, m_datasetName);
    QString report = QString::fromStdString(caption) + "\n";
    for (const auto& w : m_result.warnings) report += "\nwarning: " + QString::fromStdString(w);
    for (const auto& line : resolvedPairsReport(m_result))
        report += "\n" + QString::fromStdString(line);
    m_report->setPlainText(m_result.rows.empty() ? QString() : report);
    m_figure = m_result.rows.empty()
                   ? QImage()
                   : plotExperiment(m_result,
                                    QString("Robustness of PFGM++ across D: %1")
                                        .arg(QString::fromStdString(m_datasetName)),
                                    QString::fromStdString(caption));
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
    for (QWidget* w : std::initializer_list<QWidget*>{
             m_study, m_ds, m_learnedField, m_exactField, m_seeds, m_trainSteps, m_tailQuantile,
             m_samples, m_alphas, m_heunSteps, m_bits, m_seed})
        w->setEnabled(!busy);
    m_run->setEnabled(!busy && valid);
    m_cancelButton->setEnabled(busy && !m_cancel);
    m_learnedField->setEnabled(!busy && physics::learnedFieldsBuiltIn());
    m_saveTable->setEnabled(!busy && !m_result.rows.empty());
    m_saveFigure->setEnabled(!busy && !m_figure.isNull());
}

bool ExperimentDialog::saveTable(const QString& path, QString* error) {
    if (m_result.rows.empty())
        return reportSaveError("nothing to save: run the experiment first", error);
    return reportSaveError(saveExperimentText(path, experimentSummaryCsv(m_result)), error);
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
