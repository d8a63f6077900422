// Qt's line edit scrolls a long text to wherever the cursor last was and cuts characters at both
// ends without a mark; a path is read from its end, so this one elides on the left instead.
#include "app/export/path_edit.h"

#include <QPainter>
#include <QStyleOptionFrame>

namespace psc::exporter {

PathEdit::PathEdit(const QString& text, QWidget* parent) : QLineEdit(text, parent) {
    connect(this, &QLineEdit::textChanged, this, &PathEdit::updateToolTip);
    updateToolTip();
}

void PathEdit::setHelp(const QString& help) {
    m_help = help;
    updateToolTip();
}

void PathEdit::updateToolTip() {
    setToolTip(m_help.isEmpty() ? text() : m_help + "\n" + text());
}

// QLineEdit's own contents rectangle: the style's, less its text margins and the 2-pixel
// horizontal margin that QLineEdit keeps inside it.
QRect PathEdit::textRect() const {
    QStyleOptionFrame option;
    initStyleOption(&option);
    QRect r = style()->subElementRect(QStyle::SE_LineEditContents, &option, this);
    r = r.marginsRemoved(textMargins());
    return r.adjusted(2, 0, -2, 0);
}

QString PathEdit::shownText() const {
    const QString full = text();
    if (hasFocus() || fontMetrics().horizontalAdvance(full) <= textRect().width()) return full;
    return fontMetrics().elidedText(full, Qt::ElideLeft, textRect().width());
}

void PathEdit::paintEvent(QPaintEvent* event) {
    const QString shown = shownText();
    if (shown == text()) {
        QLineEdit::paintEvent(event);
        return;
    }
    // The frame as QLineEdit draws it, then the elided text in its place.
    QPainter painter(this);
    QStyleOptionFrame option;
    initStyleOption(&option);
    style()->drawPrimitive(QStyle::PE_PanelLineEdit, &option, &painter, this);
    painter.setPen(
        palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::Text));
    painter.drawText(textRect(), Qt::AlignVCenter | Qt::AlignLeft, shown);
}

} // namespace psc::exporter
