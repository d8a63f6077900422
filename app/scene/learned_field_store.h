// Keeps a session's learned fields on disk as they are made, so that a window that is killed
// (or crashes) comes back with the fields it had: minutes of training are the costliest thing a
// person makes in a session.
#pragma once

#include <QString>
#include <QStringList>

#include <memory>
#include <utility>
#include <vector>

namespace psc::app {

class LearnedFields;
struct LearnedModel;

class LearnedFieldStore {
public:
    // Files go into dir (created when needed), one per field.
    explicit LearnedFieldStore(QString dir);

    // Writes each field of the list not yet on disk (atomically, by the field's own save) and
    // deletes the files of fields no longer listed. Returns the file names in list order.
    // Fields that cannot be written are left out and named in `problems`.
    QStringList sync(const LearnedFields& fields, QStringList* problems = nullptr);
    // Loads the named files (names from sync) into fields, in order; a file that no longer loads
    // is skipped and named in the returned problems.
    QStringList restore(LearnedFields& fields, const QStringList& files);

private:
    QString m_dir;
    // The fields on disk; holding them keeps their addresses from being reused by newer ones.
    std::vector<std::pair<std::shared_ptr<const LearnedModel>, QString>> m_onDisk;
};

} // namespace psc::app
