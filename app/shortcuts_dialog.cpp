// A QTableWidget rather than text in a message box: the columns align whatever the font, and the
// dialog grows to its contents instead of wrapping lines.
#include "app/shortcuts_dialog.h"

#include "app/shortcuts.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace psc::app {
namespace {

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QTableWidgetItem* cell(const QString& s) {
    auto* item = new QTableWidgetItem(s);
    item->setFlags(Qt::ItemIsEnabled);
    return item;
}

} // namespace

ShortcutsDialog::ShortcutsDialog(QWidget* parent)
    : QDialog(parent), m_table(new QTableWidget(0, 2, this)) {
    setWindowTitle("Shortcuts");
    m_table->setObjectName("shortcuts");
    m_table->setHorizontalHeaderLabels({"Key", "Action"});
    m_table->verticalHeader()->hide();
    m_table->setShowGrid(false);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->horizontalHeader()->setStretchLastSection(true);
    QFont bold = font();
    bold.setBold(true);
    for (const auto& group : kShortcutGroups) {
        const int title = m_table->rowCount();
        m_table->insertRow(title);
        auto* heading = cell(text(group.title));
        heading->setFont(bold);
        m_table->setItem(title, 0, heading);
        m_table->setSpan(title, 0, 1, 2);
        for (const auto& s : kShortcuts) {
            if (s.group != group.value) continue;
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            m_table->setItem(row, 0, cell(text(s.keys)));
            m_table->setItem(row, 1, cell(text(s.action)));
        }
    }
    m_table->resizeColumnsToContents();
    m_table->resizeRowsToContents();
    m_table->horizontalHeader()->resizeSection(0, m_table->columnWidth(0) + 24);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The whole table without scrolling: the header, every row and the frame.
    int height = m_table->horizontalHeader()->height() + 2 * m_table->frameWidth();
    for (int row = 0; row < m_table->rowCount(); ++row) height += m_table->rowHeight(row);
    const int width =
        m_table->columnWidth(0) + m_table->columnWidth(1) + 2 * m_table->frameWidth() + 24;
    m_table->setMinimumSize(width, height);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
}

} // namespace psc::app
