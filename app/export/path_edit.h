// A line edit for a file path that, while it is not being edited and the path does not fit,
// shows the path's end (the file's name) after an ellipsis, and the whole path as its tooltip.
#pragma once

#include <QLineEdit>

namespace psc::exporter {

class PathEdit : public QLineEdit {
    Q_OBJECT
public:
    explicit PathEdit(const QString& text = {}, QWidget* parent = nullptr);

    // What the field draws: the text itself while it has the focus or fits, else "…" and as much
    // of its end as fits the field's contents rectangle.
    QString shownText() const;
    // Explains the field above the path in the tooltip.
    void setHelp(const QString& help);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void updateToolTip();
    QRect textRect() const;

    QString m_help;
};

} // namespace psc::exporter
