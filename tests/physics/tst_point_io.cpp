// Tests for point set files: CSV and .npy parsing, rejection messages, round trips, atomic writes.
#include "physics/point_io.h"

#include <QtTest/QtTest>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace psc::physics;

namespace {

std::string pathIn(const QTemporaryDir& dir, const QString& name) {
    return dir.filePath(name).toStdString();
}

std::string writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) return {};
    return file.fileName().toStdString();
}

QByteArray readFile(const std::string& path) {
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Anything the atomic writer might have left behind.
QStringList leftovers(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden | QDir::System);
}

QByteArray littleEndian(const std::vector<double>& values, bool asFloat) {
    QByteArray out;
    for (double v : values) {
        std::uint64_t bits = asFloat ? std::bit_cast<std::uint32_t>(static_cast<float>(v))
                                     : std::bit_cast<std::uint64_t>(v);
        for (int b = 0; b < (asFloat ? 4 : 8); ++b, bits >>= 8)
            out.append(static_cast<char>(bits & 0xff));
    }
    return out;
}

// A .npy file with an arbitrary header dict, so bad headers can be written on purpose.
QByteArray npyFile(const QByteArray& dict, const QByteArray& data, int major = 1) {
    QByteArray header = dict;
    const int prefix = major == 1 ? 10 : 12;
    while ((prefix + header.size() + 1) % 64 != 0) header.append(' ');
    header.append('\n');
    QByteArray out("\x93NUMPY", 6);
    out.append(static_cast<char>(major));
    out.append('\0');
    const int lengthBytes = major == 1 ? 2 : 4;
    for (int b = 0; b < lengthBytes; ++b)
        out.append(static_cast<char>((header.size() >> (8 * b)) & 0xff));
    return out + header + data;
}

QByteArray f8Dict(const QByteArray& shape) {
    return "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
}

// Calls load and checks that it throws PointIoError whose message has every keyword.
template <typename Load>
bool failsWith(Load load, const QStringList& keywords, QString* message) {
    try {
        load();
        *message = "no exception";
        return false;
    } catch (const PointIoError& e) {
        *message = QString::fromUtf8(e.what());
        for (const QString& k : keywords)
            if (!message->contains(k)) return false;
        return !message->contains('\n');
    }
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

} // namespace

class TestPointIo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void csvWithoutHeader() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "a.csv", "1,2\n3.5,-4e2\n");
        const PointTable t = loadCsv(path);
        QCOMPARE(t.dim, 2);
        QCOMPARE(t.rows(), std::size_t(2));
        QVERIFY(sameBits(t.values, {1, 2, 3.5, -400}));
        QVERIFY(t.weights.empty());
        QCOMPARE(t.columnNames, (std::vector<std::string>{"x1", "x2"}));
    }

    void csvWithHeader() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "h.csv", " x , y ,z\n1,2,3\n+4,.5,6.\n");
        const PointTable t = loadCsv(path);
        QCOMPARE(t.dim, 3);
        QVERIFY(sameBits(t.values, {1, 2, 3, 4, 0.5, 6}));
        QCOMPARE(t.columnNames, (std::vector<std::string>{"x", "y", "z"}));
    }

    void csvUnderflowReadsAsZero() {
        QTemporaryDir dir;
        const PointTable t = loadCsv(writeFile(dir, "u.csv", "\"a\",b\n1e-400,-2e-999\n"));
        QVERIFY(sameBits(t.values, {0.0, 0.0}));
        QCOMPARE(t.columnNames, (std::vector<std::string>{"a", "b"}));
    }

    void csvWeightColumn_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("q last") << QByteArray("x,y,q\n1,2,0.5\n3,4,1.5\n");
        QTest::newRow("weight first") << QByteArray("weight,x,y\n0.5,1,2\n1.5,3,4\n");
        QTest::newRow("Q middle") << QByteArray("x,Q,y\n1,0.5,2\n3,1.5,4\n");
        QTest::newRow("spaced Weight") << QByteArray("x, Weight ,y\n1,0.5,2\n3,1.5,4\n");
    }
    void csvWeightColumn() {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const PointTable t = loadCsv(writeFile(dir, "w.csv", content));
        QCOMPARE(t.dim, 2);
        QVERIFY(sameBits(t.values, {1, 2, 3, 4}));
        QVERIFY(sameBits(t.weights, {0.5, 1.5}));
        QCOMPARE(t.columnNames, (std::vector<std::string>{"x", "y"}));
        const ChargeSet set = chargesFromTable(t);
        QVERIFY(std::abs(set.weights()[0] - 0.25) < 1e-15);
        QVERIFY(std::abs(set.weights()[1] - 0.75) < 1e-15);
    }

    void csvCommentsBlankLinesCrlf_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("LF") << QByteArray("# made by hand\n\nx,y\n1,2\n# middle\n\n3,4\n");
        QTest::newRow("CRLF") << QByteArray(
            "# made by hand\r\n\r\nx,y\r\n1,2\r\n#m\r\n\r\n3,4\r\n");
        QTest::newRow("no final newline") << QByteArray("1,2\n3,4");
        QTest::newRow("spaces and tabs") << QByteArray("  # c\n \t \n 1 ,\t2 \n  3,  4  \n");
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBFx,y\n1,2\n3,4\n");
    }
    void csvCommentsBlankLinesCrlf() {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const PointTable t = loadCsv(writeFile(dir, "c.csv", content));
        QCOMPARE(t.dim, 2);
        QVERIFY(sameBits(t.values, {1, 2, 3, 4}));
    }

    void csvRejected_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("line"); // 0: the message names no line
        QTest::addColumn<QString>("keyword");
        QTest::newRow("non-numeric") << QByteArray("x,y\n1,2\n3,abc\n") << 3 << "not a number";
        QTest::newRow("partial number") << QByteArray("1,2\n1.5abc,2\n") << 2 << "not a number";
        QTest::newRow("NaN") << QByteArray("1,2\nnan,2\n") << 2 << "non-finite";
        QTest::newRow("inf") << QByteArray("x,y\n# c\n1,inf\n") << 3 << "non-finite";
        QTest::newRow("overflow") << QByteArray("1,2\n1e400,2\n") << 2 << "non-finite";
        QTest::newRow("ragged short")
            << QByteArray("1,2\n3\n") << 2 << "expected 2 values, found 1";
        QTest::newRow("ragged long") << QByteArray("x,y\r\n1,2,3\r\n") << 2 << "expected 2 values";
        // One coordinate more than kMaxDataDim.
        QByteArray wide, wideHeader;
        for (int k = 0; k <= kMaxDataDim; ++k) {
            wide += QByteArray(k ? "," : "") + "1";
            wideHeader += QByteArray(k ? "," : "") + "c" + QByteArray::number(k);
        }
        QTest::newRow("dimension above the limit") << wide + "\n" << 1 << "dimension";
        QTest::newRow("header dimension above the limit") << "\n" + wideHeader + "\n" + wide + "\n"
                                                          << 2 << "dimension";
        QTest::newRow("weights only") << QByteArray("q\n1\n") << 1 << "dimension";
        QTest::newRow("weight zero") << QByteArray("x,q\n1,1\n2,0\n") << 3 << "weight";
        QTest::newRow("weight negative") << QByteArray("x,weight\n1,-1\n") << 2 << "weight";
        QTest::newRow("weight NaN") << QByteArray("x,weight\n1,nan\n") << 2 << "non-finite";
        QTest::newRow("two weight columns") << QByteArray("x,q,weight\n1,1,1\n") << 1 << "weight";
        QTest::newRow("empty field") << QByteArray("1,,2\n") << 1 << "empty";
        QTest::newRow("empty file") << QByteArray("") << 0 << "no data";
        QTest::newRow("comments only") << QByteArray("# a\n\n# b\n") << 0 << "no data";
        QTest::newRow("header only") << QByteArray("x,y\n") << 0 << "no data";
    }
    void csvRejected() {
        QFETCH(QByteArray, content);
        QFETCH(int, line);
        QFETCH(QString, keyword);
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "bad.csv", content);
        const QString where =
            QString::fromStdString(path) + (line ? ":" + QString::number(line) + ": " : ": ");
        QString message;
        QVERIFY2(failsWith([&] { loadCsv(path); }, {where, keyword}, &message),
                 qPrintable(message));
        QVERIFY2(message.startsWith(where), qPrintable(message));
    }

    void csvLimits() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "big.csv", "1,2\n3,4\n5,6\n");
        LoadLimits rows;
        rows.maxRows = 2;
        QString message;
        QVERIFY2(failsWith([&] { loadCsv(path, rows); },
                           {QString::fromStdString(path) + ":3:", "limit"}, &message),
                 qPrintable(message));
        LoadLimits bytes;
        bytes.maxFileBytes = 11;
        QVERIFY2(failsWith([&] { loadCsv(path, bytes); },
                           {"file is 12 bytes, above the limit of 11 bytes"}, &message),
                 qPrintable(message));
        bytes.maxFileBytes = 12;
        QCOMPARE(loadCsv(path, bytes).rows(), std::size_t(3));
        LoadLimits dims;
        dims.minDim = 3;
        QVERIFY2(failsWith([&] { loadCsv(path, dims); }, {"dimension"}, &message),
                 qPrintable(message));
    }

    void missingFile_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("csv") << "nope.csv";
        QTest::newRow("npy") << "nope.npy";
    }
    void missingFile() {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const std::string path = pathIn(dir, name);
        QString message;
        QVERIFY2(failsWith([&] { loadPoints(path); },
                           {QString::fromStdString(path), "no such file"}, &message),
                 qPrintable(message));
        QVERIFY(failsWith([&] { loadCsv(path); }, {"no such file"}, &message));
        QVERIFY(failsWith([&] { loadNpy(path); }, {"no such file"}, &message));
    }

    void unknownExtension() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "points.txt", "1,2\n");
        QString message;
        QVERIFY(failsWith([&] { loadPoints(path); }, {"unknown file type (use .csv or .npy)"},
                          &message));
        QVERIFY(failsWith([&] { savePoints(pathIn(dir, "o.json"), 1, {1.0}); },
                          {"unknown file type"}, &message));
        QVERIFY(!QFile::exists(dir.filePath("o.json")));
    }

    void csvRoundTrip() {
        QTemporaryDir dir;
        const std::vector<double> values = {0.1,    1.0 / 3.0, -2.5e-300, 123456789.123456789,
                                            5e-324, -0.0,      1e308,     42};
        const std::string path = pathIn(dir, "r.CSV");
        savePoints(path, 2, values, {"alpha", "beta"});
        const PointTable t = loadPoints(path);
        QCOMPARE(t.dim, 2);
        QVERIFY(sameBits(t.values, values));
        QCOMPARE(t.columnNames, (std::vector<std::string>{"alpha", "beta"}));
        saveCsv(path, 1, values);
        QVERIFY(readFile(path).startsWith("x1\n0.1\n"));
        const PointTable column = loadCsv(path);
        QCOMPARE(column.columnNames, (std::vector<std::string>{"x1"}));
        QVERIFY(sameBits(column.values, values));
        QVERIFY(leftovers(dir).isEmpty());
    }

    void npyRoundTripF8() {
        QTemporaryDir dir;
        const std::vector<double> values = {0.1, -1.0 / 3.0, 5e-324, 1e308, -0.0, 7, 8, 9, 10};
        const std::string path = pathIn(dir, "r.npy");
        saveNpy(path, 3, values);
        const QByteArray bytes = readFile(path);
        QVERIFY(bytes.startsWith(QByteArray("\x93NUMPY\x01\x00", 8)));
        const int headerLength =
            static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
        QCOMPARE((10 + headerLength) % 64, 0);
        QCOMPARE(bytes[10 + headerLength - 1], '\n');
        QCOMPARE(bytes.size(), qsizetype(10 + headerLength + 9 * 8));
        QVERIFY(bytes.contains("'descr': '<f8'"));
        const PointTable t = loadPoints(path);
        QCOMPARE(t.dim, 3);
        QCOMPARE(t.rows(), std::size_t(3));
        QVERIFY(sameBits(t.values, values));
        QVERIFY(t.weights.empty());
        QVERIFY(leftovers(dir).isEmpty());
    }

    void npyF4AndHeaderVariants_data() {
        QTest::addColumn<QByteArray>("dict");
        QTest::addColumn<int>("major");
        QTest::newRow("v1 numpy order")
            << QByteArray("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }") << 1;
        QTest::newRow("v2 other order")
            << QByteArray("{'shape':(2,2),'fortran_order':False,'descr':'<f4'}") << 2;
        QTest::newRow("v3 spaces, double quotes")
            << QByteArray(
                   "{ \"fortran_order\" : False ,\n \"descr\" : \"<f4\" , \"shape\" : ( 2 , 2 ) }")
            << 3;
    }
    void npyF4AndHeaderVariants() {
        QFETCH(QByteArray, dict);
        QFETCH(int, major);
        QTemporaryDir dir;
        const std::vector<double> values = {1.5, -2.25, 3e10, 0.1};
        const std::string path =
            writeFile(dir, "f4.npy", npyFile(dict, littleEndian(values, true), major));
        const PointTable t = loadNpy(path);
        QCOMPARE(t.dim, 2);
        QCOMPARE(t.rows(), std::size_t(2));
        for (std::size_t k = 0; k < values.size(); ++k)
            QVERIFY(t.values[k] == static_cast<double>(static_cast<float>(values[k])));
    }

    void npyOneDimensional() {
        QTemporaryDir dir;
        const std::string path =
            writeFile(dir, "v.npy", npyFile(f8Dict("(3,)"), littleEndian({1, 2, 3}, false)));
        const PointTable t = loadNpy(path);
        QCOMPARE(t.dim, 1);
        QVERIFY(sameBits(t.values, {1, 2, 3}));
        LoadLimits limits;
        limits.minDim = 2;
        QString message;
        QVERIFY2(failsWith([&] { loadNpy(path, limits); }, {"dimension"}, &message),
                 qPrintable(message));
    }

    // A file of images (M, H, W): points of N = H·W coordinates in C order, and their shape.
    void npyImages() {
        QTemporaryDir dir;
        std::vector<double> values;
        for (int k = 0; k < 3 * 2 * 4; ++k) values.push_back(0.5 * k);
        const std::string path =
            writeFile(dir, "images.npy", npyFile(f8Dict("(3, 2, 4)"), littleEndian(values, false)));
        const PointTable t = loadNpy(path);
        QCOMPARE(t.dim, 8);
        QCOMPARE(t.rows(), std::size_t(3));
        QCOMPARE(t.imageHeight, 2);
        QCOMPARE(t.imageWidth, 4);
        QVERIFY(sameBits(t.values, values));
        // A plain table declares no images.
        const std::string plain =
            writeFile(dir, "plain.npy", npyFile(f8Dict("(3, 8)"), littleEndian(values, false)));
        QCOMPARE(loadNpy(plain).imageWidth, 0);
    }

    void npyRejected_data() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const QByteArray six = littleEndian({1, 2, 3, 4, 5, 6}, false);
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("keyword");
        QTest::newRow("bad magic") << QByteArray("\x93NUMPZ\x01\x00\x10\x00{}", 12) << "bad magic";
        QTest::newRow("tiny file") << QByteArray("ab") << "bad magic";
        QTest::newRow("csv text") << QByteArray("1,2\n3,4\n") << "bad magic";
        QTest::newRow("version 4")
            << npyFile(f8Dict("(3, 2)"), six).replace(6, 1, "\x04") << "version";
        QTest::newRow("truncated header")
            << QByteArray("\x93NUMPY\x01\x00\xff\x00{'descr'", 18) << "truncated header";
        QTest::newRow("truncated data")
            << npyFile(f8Dict("(3, 2)"), six.left(40)) << "truncated data at byte offset";
        QTest::newRow("trailing data") << npyFile(f8Dict("(2, 2)"), six) << "unexpected";
        QTest::newRow("i4 dtype")
            << npyFile("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 2), }", six)
            << "unsupported dtype '<i4' (need '<f4' or '<f8')";
        QTest::newRow("big-endian")
            << npyFile("{'descr': '>f8', 'fortran_order': False, 'shape': (3, 2), }", six)
            << "dtype '>f8'";
        QTest::newRow("structured dtype")
            << npyFile("{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (3,), }", six)
            << "descr";
        QTest::newRow("fortran order")
            << npyFile("{'descr': '<f8', 'fortran_order': True, 'shape': (3, 2), }", six)
            << "Fortran";
        QTest::newRow("fortran order junk")
            << npyFile("{'descr': '<f8', 'fortran_order': 0, 'shape': (3, 2), }", six)
            << "fortran_order";
        QTest::newRow("4-D shape") << npyFile(f8Dict("(1, 1, 3, 2)"), six) << "rank 4";
        QTest::newRow("0-D shape") << npyFile(f8Dict("()"), six.left(8)) << "rank 0";
        QTest::newRow("image side 0") << npyFile(f8Dict("(2, 0, 3)"), QByteArray()) << "each side";
        // 2^32 × 2^32 would overflow a 64-bit count of values if the sides were not checked first.
        QTest::newRow("image sides that overflow")
            << npyFile(f8Dict("(1, 4294967296, 4294967296)"), six) << "each side";
        QTest::newRow("images above the limit")
            << npyFile(f8Dict("(1, 200, 200)"), QByteArray(8 * 40000, '\0')) << "dimension";
        QTest::newRow("shape not ints") << npyFile(f8Dict("(3, x)"), six) << "shape";
        QTest::newRow("missing shape")
            << npyFile("{'descr': '<f8', 'fortran_order': False}", six) << "shape";
        QTest::newRow("unknown key")
            << npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), 'x': 1}", six)
            << "key 'x'";
        QTest::newRow("columns above the limit")
            << npyFile(f8Dict(QString("(1, %1)").arg(kMaxDataDim + 1).toLatin1()),
                       QByteArray(8 * (kMaxDataDim + 1), '\0'))
            << "dimension";
        QTest::newRow("no rows") << npyFile(f8Dict("(0, 2)"), QByteArray()) << "no data";
        QTest::newRow("NaN f8") << npyFile(f8Dict("(3, 2)"),
                                           littleEndian({1, 2, 3, nan, 5, 6}, false))
                                << "non-finite value at row 2, column 2";
        QTest::newRow("inf f4")
            << npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                       littleEndian({1, std::numeric_limits<double>::infinity()}, true))
            << "non-finite";
    }
    void npyRejected() {
        QFETCH(QByteArray, content);
        QFETCH(QString, keyword);
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "bad.npy", content);
        QString message;
        QVERIFY2(failsWith([&] { loadNpy(path); }, {QString::fromStdString(path) + ": ", keyword},
                           &message),
                 qPrintable(message));
    }

    void npyLimits() {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "l.npy");
        saveNpy(path, 2, {1, 2, 3, 4, 5, 6});
        LoadLimits rows;
        rows.maxRows = 2;
        QString message;
        QVERIFY2(failsWith([&] { loadNpy(path, rows); }, {"3 rows", "limit"}, &message),
                 qPrintable(message));
        LoadLimits bytes;
        bytes.maxFileBytes = 100;
        QVERIFY2(
            failsWith([&] { loadNpy(path, bytes); }, {"above the limit of 100 bytes"}, &message),
            qPrintable(message));
    }

    void writeIntoMissingDirectory_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("csv") << "no/such/dir/x.csv";
        QTest::newRow("npy") << "no/such/dir/x.npy";
    }
    void writeIntoMissingDirectory() {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const std::string path = pathIn(dir, name);
        QString message;
        QVERIFY2(
            failsWith(
                [&] {
                    savePoints(path, 2, {1, 2});
                },
                {"cannot write '" + QString::fromStdString(path) + "': No such file or directory"},
                &message),
            qPrintable(message));
        QVERIFY(QDir(dir.path())
                    .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
                    .isEmpty());
    }

    void replacesExistingFileOnSuccess() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "out.csv", "old contents\n");
        saveCsv(path, 1, {1, 2});
        QCOMPARE(readFile(path), QByteArray("x1\n1\n2\n"));
        saveNpy(writeFile(dir, "out.npy", "old"), 1, {3});
        QVERIFY(sameBits(loadNpy(pathIn(dir, "out.npy")).values, {3}));
        QVERIFY(leftovers(dir).isEmpty());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), qsizetype(2));
    }

    void failedRenameLeavesTargetAndNoTemporary() {
        // A directory in the way: the temporary is written, then the rename fails.
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("taken.csv"));
        writeFile(dir, "taken.csv/keep.txt", "keep");
        const std::string path = pathIn(dir, "taken.csv");
        QString message;
        QVERIFY2(failsWith([&] { saveCsv(path, 1, {1}); },
                           {"cannot write '" + QString::fromStdString(path) + "': "}, &message),
                 qPrintable(message));
        QVERIFY(QFileInfo(dir.filePath("taken.csv")).isDir());
        QCOMPARE(readFile(pathIn(dir, "taken.csv/keep.txt")), QByteArray("keep"));
        QVERIFY2(leftovers(dir).isEmpty(), qPrintable(leftovers(dir).join(' ')));
    }

    void failedWriteKeepsExistingFile() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "keep.csv", "x1\n5\n");
        QString message;
        QVERIFY(failsWith([&] { saveCsv(path, 2, {1, 2, 3}); }, {"keep.csv"}, &message));
        QVERIFY(failsWith([&] { saveCsv(path, 2, {1, 2}, {"a", "b,c"}); }, {"header"}, &message));
        QVERIFY(failsWith([&] { saveCsv(path, 2, {1, 2}, {"a"}); }, {"header"}, &message));
        QCOMPARE(readFile(path), QByteArray("x1\n5\n"));
        // Without write permission on the folder the temporary cannot be created; root ignores
        // permissions, so this part only runs as an ordinary user.
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        const bool readOnly = !QFile(dir.filePath("probe")).open(QIODevice::WriteOnly);
        if (readOnly) {
            QVERIFY2(failsWith([&] { saveCsv(path, 1, {9}); },
                               {"cannot write", "Permission denied"}, &message),
                     qPrintable(message));
            QCOMPARE(readFile(path), QByteArray("x1\n5\n"));
        }
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                              QFileDevice::ExeOwner);
        QFile::remove(dir.filePath("probe"));
        QVERIFY(leftovers(dir).isEmpty());
    }

    void emptyTableWrites() {
        QTemporaryDir dir;
        saveCsv(pathIn(dir, "e.csv"), 2, {});
        QCOMPARE(readFile(pathIn(dir, "e.csv")), QByteArray("x1,x2\n"));
        QString message;
        QVERIFY(failsWith([&] { loadCsv(pathIn(dir, "e.csv")); }, {"no data"}, &message));
    }
};

QTEST_APPLESS_MAIN(TestPointIo)
#include "tst_point_io.moc"
