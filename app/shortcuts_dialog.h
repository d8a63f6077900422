// Help › Shortcuts: the table of app/shortcuts.h as a two-column table (key, action), one
// titled block per group.
#pragma once

#include <QDialog>

class QTableWidget;

namespace psc::app {

class ShortcutsDialog : public QDialog {
public:
    explicit ShortcutsDialog(QWidget* parent = nullptr);
    // The table (object name "shortcuts"): group titles span both columns.
    QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table;
};

} // namespace psc::app
