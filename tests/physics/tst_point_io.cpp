// Tests for point set files: CSV, .npy, PLY and XYZ parsing, rejection messages, round trips,
// atomic writes.
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

// Binary PLY data: each value in the file's byte order, as the PLY type the method is named after.
class PlyBytes {
public:
    explicit PlyBytes(bool bigEndian) : m_bigEndian(bigEndian) {}
    PlyBytes& i8(std::int8_t v) { return put(static_cast<std::uint8_t>(v), 1); }
    PlyBytes& u8(std::uint8_t v) { return put(v, 1); }
    PlyBytes& i16(std::int16_t v) { return put(static_cast<std::uint16_t>(v), 2); }
    PlyBytes& u16(std::uint16_t v) { return put(v, 2); }
    PlyBytes& i32(std::int32_t v) { return put(static_cast<std::uint32_t>(v), 4); }
    PlyBytes& u32(std::uint32_t v) { return put(v, 4); }
    PlyBytes& f32(float v) { return put(std::bit_cast<std::uint32_t>(v), 4); }
    PlyBytes& f64(double v) { return put(std::bit_cast<std::uint64_t>(v), 8); }
    const QByteArray& bytes() const { return m_bytes; }

private:
    PlyBytes& put(std::uint64_t bits, int size) {
        for (int b = 0; b < size; ++b)
            m_bytes.append(
                static_cast<char>((bits >> (8 * (m_bigEndian ? size - 1 - b : b))) & 0xff));
        return *this;
    }
    bool m_bigEndian;
    QByteArray m_bytes;
};

// "ply", the format line, the element and property lines in body, "end_header".
QByteArray plyHeader(const QByteArray& format, const QByteArray& body) {
    return "ply\nformat " + format + " 1.0\n" + body + "end_header\n";
}

// Three vertices of three doubles, little-endian: the base of the binary rejection cases.
const QByteArray kXyzDoubles =
    "element vertex 3\nproperty double x\nproperty double y\nproperty double z\n";

QByteArray threeDoubleVertices(int index = -1, double value = 0) {
    PlyBytes data(false);
    for (int k = 0; k < 9; ++k) data.f64(k == index ? value : k + 0.5);
    return data.bytes();
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
        QTest::newRow("ply") << "nope.ply";
        QTest::newRow("xyz") << "nope.xyz";
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
        QVERIFY(failsWith([&] { loadPly(path); }, {"no such file"}, &message));
        QVERIFY(failsWith([&] { loadXyz(path); }, {"no such file"}, &message));
    }

    void unknownExtension() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "points.txt", "1,2\n");
        QString message;
        QVERIFY(failsWith([&] { loadPoints(path); },
                          {"unknown file type (use .csv, .npy, .ply or .xyz)"}, &message));
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

    // Normals and colours ignored, faces (a list) after the vertices read past; LF and CRLF.
    void plyAscii_data() {
        QTest::addColumn<QByteArray>("eol");
        QTest::newRow("LF") << QByteArray("\n");
        QTest::newRow("CRLF") << QByteArray("\r\n");
    }
    void plyAscii() {
        QFETCH(QByteArray, eol);
        QByteArray content("ply\n"
                           "format ascii 1.0\n"
                           "comment exported by a scanner\n"
                           "obj_info scan 7\n"
                           "element vertex 3\n"
                           "property float x\n"
                           "property float y\n"
                           "property float z\n"
                           "property float nx\n"
                           "property float ny\n"
                           "property float nz\n"
                           "property uchar red\n"
                           "property uchar green\n"
                           "property uchar blue\n"
                           "element face 2\n"
                           "property list uchar int vertex_indices\n"
                           "end_header\n"
                           "0.5 -1 2e1 0 0 1 255 0 0\n"
                           "1.25 +2  -3 0 1 0 0 255 0\n"
                           "4\t5 6.5 1 0 0 0 0 255\n"
                           "\n"
                           "3 0 1 2\n"
                           "4 0 1 2 0\n");
        content.replace("\n", eol);
        QTemporaryDir dir;
        const PointTable t = loadPly(writeFile(dir, "scan.ply", content));
        QCOMPARE(t.dim, 3);
        QCOMPARE(t.rows(), std::size_t(3));
        QVERIFY(sameBits(t.values, {0.5, -1, 20, 1.25, 2, -3, 4, 5, 6.5}));
        QVERIFY(t.weights.empty());
        QCOMPARE(t.columnNames, (std::vector<std::string>{"x", "y", "z"}));
    }

    // An element with a list before the vertices; the weight property by either name, any case.
    void plyAsciiWeights_data() {
        QTest::addColumn<QByteArray>("name");
        QTest::newRow("weight") << QByteArray("weight");
        QTest::newRow("q") << QByteArray("q");
        QTest::newRow("Q") << QByteArray("Q");
        QTest::newRow("Weight") << QByteArray("Weight");
    }
    void plyAsciiWeights() {
        QFETCH(QByteArray, name);
        const QByteArray content = plyHeader("ascii", "element camera 2\n"
                                                      "property list uchar float view\n"
                                                      "property int id\n"
                                                      "element vertex 2\n"
                                                      "property double x\n"
                                                      "property double " +
                                                          name +
                                                          "\n"
                                                          "property double y\n"
                                                          "property double z\n") +
                                   "2 0.5 0.5 7\n0 8\n1 0.25 2 3\n4 1.5 5 6\n";
        QTemporaryDir dir;
        const PointTable t = loadPly(writeFile(dir, "w.ply", content));
        QVERIFY(sameBits(t.values, {1, 2, 3, 4, 5, 6}));
        QVERIFY(sameBits(t.weights, {0.25, 1.5}));
        const ChargeSet set = chargesFromTable(t);
        QCOMPARE(set.dim(), 3);
        QVERIFY(std::abs(set.weights()[0] - 0.25 / 1.75) < 1e-15);
    }

    // Lists of different lengths before the vertices (so a fixed record size would misread them),
    // double, float and uchar vertex properties, a float weight, and a list element after.
    void plyBinary_data() {
        QTest::addColumn<bool>("bigEndian");
        QTest::newRow("binary_little_endian") << false;
        QTest::newRow("binary_big_endian") << true;
    }
    void plyBinary() {
        QFETCH(bool, bigEndian);
        const QByteArray header =
            plyHeader(bigEndian ? "binary_big_endian" : "binary_little_endian",
                      "comment made by tst_point_io\n"
                      "element face 2\n"
                      "property list uchar int vertex_indices\n"
                      "property float quality\n"
                      "element vertex 3\n"
                      "property double x\n"
                      "property float y\n"
                      "property double z\n"
                      "property uchar red\n"
                      "property uchar green\n"
                      "property uchar blue\n"
                      "property float weight\n"
                      "element edge 2\n"
                      "property list ushort uint32 pair\n"
                      "property int16 flags\n");
        const std::vector<double> x = {0.1, -1.0 / 3.0, 1e300};
        const std::vector<float> y = {1.5f, -0.1f, 3e10f};
        const std::vector<double> z = {-0.0, 5e-324, 42};
        const std::vector<float> w = {0.5f, 2.0f, 0.125f};
        PlyBytes data(bigEndian);
        data.u8(3).i32(0).i32(1).i32(2).f32(0.5f);
        data.u8(4).i32(0).i32(1).i32(2).i32(0).f32(0.25f);
        for (int k = 0; k < 3; ++k)
            data.f64(x[k]).f32(y[k]).f64(z[k]).u8(255).u8(128).u8(0).f32(w[k]);
        data.u16(2).u32(0).u32(1).i16(-1);
        data.u16(0).i16(7);
        QTemporaryDir dir;
        const PointTable t = loadPly(writeFile(dir, "b.ply", header + data.bytes()));
        QCOMPARE(t.dim, 3);
        QCOMPARE(t.columnNames, (std::vector<std::string>{"x", "y", "z"}));
        std::vector<double> expected;
        for (int k = 0; k < 3; ++k) expected.insert(expected.end(), {x[k], double(y[k]), z[k]});
        QVERIFY(sameBits(t.values, expected));
        QVERIFY(sameBits(t.weights, {0.5, 2.0, 0.125}));
    }

    // Every integer type, signed ones negative, in both byte orders.
    void plyBinaryIntegerTypes_data() { plyBinary_data(); }
    void plyBinaryIntegerTypes() {
        QFETCH(bool, bigEndian);
        const QByteArray header = plyHeader(
            bigEndian ? "binary_big_endian" : "binary_little_endian", "element vertex 2\n"
                                                                      "property char x\n"
                                                                      "property uint16 y\n"
                                                                      "property int z\n"
                                                                      "property uchar q\n"
                                                                      "element vertex_extra 0\n"
                                                                      "element other 1\n"
                                                                      "property int8 x\n"
                                                                      "property uint8 y\n"
                                                                      "property short a\n"
                                                                      "property ushort b\n"
                                                                      "property int32 c\n"
                                                                      "property uint d\n"
                                                                      "property float32 e\n"
                                                                      "property float64 f\n");
        PlyBytes data(bigEndian);
        data.i8(-128).u16(65535).i32(-7).u8(3);
        data.i8(127).u16(258).i32(2147483647).u8(255);
        data.i8(0).u8(0).i16(0).u16(0).i32(0).u32(0).f32(0).f64(0);
        QTemporaryDir dir;
        const PointTable t = loadPly(writeFile(dir, "i.ply", header + data.bytes()));
        QVERIFY(sameBits(t.values, {-128, 65535, -7, 127, 258, 2147483647}));
        QVERIFY(sameBits(t.weights, {3, 255}));

        PlyBytes wide(bigEndian);
        wide.u32(4000000000u).i16(-32768).i32(-2147483647 - 1);
        const PointTable u = loadPly(writeFile(
            dir, "u.ply",
            plyHeader(bigEndian ? "binary_big_endian" : "binary_little_endian",
                      "element vertex 1\nproperty uint x\nproperty short y\nproperty int32 z\n") +
                wide.bytes()));
        QVERIFY(sameBits(u.values, {4000000000.0, -32768, -2147483648.0}));
    }

    void plyRejected_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("line"); // 0: the message names no line
        QTest::addColumn<QString>("keyword");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        // ASCII: header lines 1-6, body from line 7, then end_header and the data.
        const auto ascii = [](const QByteArray& body, const QByteArray& data) {
            return plyHeader("ascii", "element vertex 2\nproperty float x\nproperty float y\n"
                                      "property float z\n" +
                                          body) +
                   data;
        };
        const QByteArray twoRows = "1 2 3\n4 5 6\n";

        QTest::newRow("not a PLY file")
            << QByteArray("PLY\nformat ascii 1.0\n") << 0 << "not a PLY file";
        QTest::newRow("empty") << QByteArray() << 0 << "not a PLY file";
        QTest::newRow("version 2.0")
            << QByteArray("ply\nformat ascii 2.0\n") << 2 << "unsupported PLY version '2.0'";
        QTest::newRow("unknown format") << QByteArray("ply\nformat binary_middle_endian 1.0\n") << 2
                                        << "unknown PLY format 'binary_middle_endian'";
        QTest::newRow("format without version")
            << QByteArray("ply\nformat ascii\n") << 2 << "bad format line";
        QTest::newRow("element before format")
            << QByteArray("ply\nelement vertex 1\nformat ascii 1.0\n") << 2 << "before the format";
        QTest::newRow("no format")
            << QByteArray("ply\ncomment nothing else\nend_header\n") << 3 << "missing format";
        QTest::newRow("missing end_header")
            << QByteArray("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n") << 0
            << "missing end_header";
        QTest::newRow("unknown type")
            << ascii("property real w\n", twoRows) << 7 << "unknown property type 'real'";
        QTest::newRow("float list count")
            << ascii("property list float int idx\n", twoRows) << 7 << "not an integer type";
        QTest::newRow("bad property line")
            << ascii("property float\n", twoRows) << 7 << "bad property line";
        QTest::newRow("property before element")
            << QByteArray("ply\nformat ascii 1.0\nproperty float x\n") << 3
            << "property before any element";
        QTest::newRow("unknown header line")
            << ascii("elemnt face 1\n", twoRows) << 7 << "unexpected header line 'elemnt face 1'";
        QTest::newRow("missing x")
            << plyHeader("ascii", "element vertex 1\nproperty float y\nproperty float z\n") +
                   "2 3\n"
            << 3 << "the 'vertex' element has no 'x' property";
        QTest::newRow("missing z")
            << plyHeader("ascii", "comment c\nelement vertex 1\nproperty float x\n"
                                  "property float y\nproperty float nz\n") +
                   "1 2 3\n"
            << 4 << "no 'z' property";
        QTest::newRow("x twice") << ascii("property float X\n", twoRows) << 7
                                 << "a second vertex property 'X'";
        QTest::newRow("x is a list")
            << plyHeader("ascii", "element vertex 1\nproperty list uchar float x\n"
                                  "property float y\nproperty float z\n") +
                   "1 1 2 3\n"
            << 4 << "vertex property 'x' is a list";
        QTest::newRow("two weights") << ascii("property float q\nproperty float weight\n", twoRows)
                                     << 8 << "more than one weight property";
        QTest::newRow("no vertex element")
            << plyHeader("ascii", "element face 1\nproperty list uchar int idx\n") + "0\n"
            << 0 << "no 'vertex' element";
        QTest::newRow("two vertex elements")
            << ascii("element vertex 1\nproperty float x\n", twoRows) << 7
            << "a second 'vertex' element";
        QTest::newRow("zero vertices")
            << plyHeader("ascii", "element vertex 0\nproperty float x\nproperty float y\n"
                                  "property float z\n")
            << 3 << "no data rows (0 vertices)";
        QTest::newRow("negative count")
            << plyHeader("ascii", "element vertex -1\nproperty float x\n") << 3
            << "element count '-1' is not a whole number";
        QTest::newRow("count beyond 64 bits")
            << plyHeader("ascii", "element vertex 99999999999999999999\n") << 3
            << "not a whole number";

        QTest::newRow("ascii bad number")
            << ascii("", "1 2 3\n4 abc 6\n") << 9 << "vertex 1: 'y' value 'abc' is not a number";
        QTest::newRow("ascii NaN")
            << ascii("", "nan 2 3\n4 5 6\n") << 8 << "vertex 0: non-finite 'x'";
        QTest::newRow("ascii overflow")
            << ascii("", "1 2 3\n4 5 -1e400\n") << 9 << "vertex 1: non-finite 'z'";
        QTest::newRow("ascii too few values")
            << ascii("", "10 20\n4 5 6\n") << 8 << "vertex 0: expected 3 values, found 2";
        QTest::newRow("ascii too many values")
            << ascii("", "1 2 3\r\n4 5 6 7\r\n") << 9 << "vertex 1: expected 3 values, found 4";
        QTest::newRow("ascii truncated")
            << ascii("", "1.0 2.0 3.0\n") << 8
            << "truncated data: the file ends after 1 of 2 'vertex' records";
        QTest::newRow("ascii count larger than the data")
            << plyHeader("ascii", "element vertex 1000\nproperty float x\nproperty float y\n"
                                  "property float z\n") +
                   twoRows
            << 7 << "truncated data: 1000 'vertex' records of 3 values cannot fit in the 12 bytes";
        QTest::newRow("ascii weight zero") << ascii("property float weight\n", "1 2 3 1\n4 5 6 0\n")
                                           << 10 << "vertex 1: weight must be > 0, found 0";
        QTest::newRow("ascii weight negative") << ascii("property float q\n", "1 2 3 -2\n4 5 6 1\n")
                                               << 9 << "vertex 0: weight must be > 0, found -2";
        QTest::newRow("ascii weight NaN") << ascii("property float q\n", "1 2 3 nan\n4 5 6 1\n")
                                          << 9 << "vertex 0: non-finite weight";
        QTest::newRow("ascii data after the last element")
            << ascii("", twoRows + "7 8 9\n") << 10 << "unexpected data after the last element";
        QTest::newRow("ascii face list too short")
            << ascii("element face 1\nproperty list uchar int idx\n", twoRows + "3 0 1\n") << 12
            << "face 0: expected at least 4 values, found 3";
        QTest::newRow("ascii list length not a number")
            << ascii("element face 1\nproperty list uchar int idx\n", twoRows + "x 0 1\n") << 12
            << "face 0: list length 'x' is not a whole number";

        const QByteArray le = plyHeader("binary_little_endian", kXyzDoubles);
        const QString start = QString::number(le.size());
        QTest::newRow("binary truncated")
            << le + threeDoubleVertices().chopped(3) << 0
            << "truncated data: 3 'vertex' records of 24 bytes from byte offset " + start +
                   ", but only 69 bytes are left";
        QTest::newRow("binary count larger than the data")
            << plyHeader("binary_little_endian", QByteArray(kXyzDoubles).replace("3", "1000")) +
                   threeDoubleVertices()
            << 0 << "truncated data: 1000 'vertex' records";
        // 2^61 + 1 records of 8 bytes: count × size would wrap around to 8 bytes.
        QTest::newRow("binary count that overflows")
            << plyHeader("binary_big_endian",
                         "element blob 2305843009213693953\nproperty double a\n" + kXyzDoubles) +
                   threeDoubleVertices()
            << 0 << "truncated data: 2305843009213693953 'blob' records of 8 bytes";
        QTest::newRow("binary list count that overflows")
            << plyHeader("binary_little_endian",
                         "element face 4611686018427387904\nproperty list uchar int idx\n" +
                             kXyzDoubles) +
                   threeDoubleVertices()
            << 0 << "truncated data: 4611686018427387904 'face' records of at least 1 bytes";
        PlyBytes shortList(false);
        shortList.f32(1).f32(2).f32(3).u8(2).f32(0).f32(0);
        shortList.f32(4).f32(5).f32(6).u8(5).f32(0).f32(0);
        const QByteArray listHeader =
            plyHeader("binary_little_endian", "element vertex 2\nproperty float x\n"
                                              "property float y\nproperty float z\n"
                                              "property list uchar float extra\n");
        QTest::newRow("binary list past the end")
            << listHeader + shortList.bytes() << 0
            << QString("truncated data at byte offset %1: vertex 1 needs 20 bytes from byte "
                       "offset %2")
                   .arg(listHeader.size() + 42)
                   .arg(listHeader.size() + 34);
        PlyBytes negative(false);
        negative.i8(-1);
        const QByteArray negativeHeader = plyHeader(
            "binary_little_endian", "element face 1\nproperty list char int idx\n" + kXyzDoubles);
        QTest::newRow("binary negative list length")
            << negativeHeader + negative.bytes() + threeDoubleVertices() << 0
            << "face 0 (byte offset " + QString::number(negativeHeader.size()) +
                   "): negative list length -1";
        QTest::newRow("binary NaN")
            << le + threeDoubleVertices(4, nan) << 0
            << "vertex 1 (byte offset " + QString::number(le.size() + 32) + "): non-finite 'y'";
        QTest::newRow("binary infinity")
            << le + threeDoubleVertices(8, -std::numeric_limits<double>::infinity()) << 0
            << "vertex 2 (byte offset " + QString::number(le.size() + 64) + "): non-finite 'z'";
        const QByteArray weighted =
            plyHeader("binary_big_endian", kXyzDoubles + "property float weight\n");
        PlyBytes weights(true);
        for (int k = 0; k < 3; ++k) weights.f64(1).f64(2).f64(3).f32(k == 2 ? -1.5f : 1.0f);
        QTest::newRow("binary weight negative")
            << weighted + weights.bytes() << 0
            << "vertex 2 (byte offset " + QString::number(weighted.size() + 2 * 28 + 24) +
                   "): weight must be > 0, found -1.5";
        QTest::newRow("binary trailing bytes") << le + threeDoubleVertices() + "\n\n"
                                               << 0
                                               << "2 unexpected bytes after the data at byte "
                                                  "offset " +
                                                      QString::number(le.size() + 72);
    }
    void plyRejected() {
        QFETCH(QByteArray, content);
        QFETCH(int, line);
        QFETCH(QString, keyword);
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "bad.ply", content);
        const QString where =
            QString::fromStdString(path) + (line ? ":" + QString::number(line) + ": " : ": ");
        QString message;
        QVERIFY2(failsWith([&] { loadPly(path); }, {where, keyword}, &message),
                 qPrintable(message));
        QVERIFY2(message.startsWith(where), qPrintable(message));
    }

    void plyLimits() {
        QTemporaryDir dir;
        const QByteArray content = plyHeader("binary_little_endian", kXyzDoubles);
        const std::string path = writeFile(dir, "l.ply", content + threeDoubleVertices());
        LoadLimits rows;
        rows.maxRows = 2;
        QString message;
        QVERIFY2(failsWith([&] { loadPly(path, rows); },
                           {QString::fromStdString(path) + ":3: 3 vertices, above the limit of 2"},
                           &message),
                 qPrintable(message));
        LoadLimits bytes;
        bytes.maxFileBytes = content.size() + 71;
        QVERIFY2(failsWith([&] { loadPly(path, bytes); }, {"above the limit"}, &message),
                 qPrintable(message));
        QVERIFY2(failsWith([&] { parsePly(readFile(path).toStdString(), "mem.ply", bytes); },
                           {"mem.ply: ", "above the limit"}, &message),
                 qPrintable(message));
        bytes.maxFileBytes += 1;
        QVERIFY(
            sameBits(loadPly(path, bytes).values, {0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5}));
        LoadLimits dims;
        dims.minDim = 4;
        QVERIFY2(failsWith([&] { loadPly(path, dims); }, {"dimension"}, &message),
                 qPrintable(message));
    }

    void xyz_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("spaces") << QByteArray("1.5 -2 3e2\n4 5 6\n");
        QTest::newRow("comments, blank lines, CRLF")
            << QByteArray("# scan 7\r\n\r\n1.5 -2 3e2\r\n  # more\r\n \t \r\n4 5 6\r\n");
        QTest::newRow("tabs and runs of blanks") << QByteArray("\t1.5\t\t-2  3e2 \n4\t 5 6");
        QTest::newRow("commas") << QByteArray("1.5,-2,3e2\n4, 5 ,6\n");
        QTest::newRow("intensity and colour")
            << QByteArray("1.5 -2 3e2 0.7 255 0 0\n4 5 6 0.1 0 0 255\n");
        QTest::newRow("non-numeric extra columns and a trailing comment")
            << QByteArray("1.5 -2 +3e2 label # seen twice\n4 5 6 #\n");
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF"
                                           "1.5 -2 3e2\n4 5 6\n");
    }
    void xyz() {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const PointTable t = loadXyz(writeFile(dir, "s.xyz", content));
        QCOMPARE(t.dim, 3);
        QCOMPARE(t.rows(), std::size_t(2));
        QVERIFY(sameBits(t.values, {1.5, -2, 300, 4, 5, 6}));
        QVERIFY(t.weights.empty());
        QCOMPARE(t.columnNames, (std::vector<std::string>{"x", "y", "z"}));
    }

    void xyzRejected_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("line"); // 0: the message names no line
        QTest::addColumn<QString>("keyword");
        QTest::newRow("not a number")
            << QByteArray("1 2 3\n# c\n4 abc 6\n") << 3 << "column 2: 'abc' is not a number";
        QTest::newRow("partial number") << QByteArray("1 2 3x\n") << 1 << "column 3: '3x'";
        QTest::newRow("NaN") << QByteArray("1 2 3\r\nnan 2 3\r\n") << 2
                             << "column 1: non-finite value 'nan'";
        QTest::newRow("inf") << QByteArray("\n\n1 2 -inf\n") << 3 << "non-finite";
        QTest::newRow("overflow") << QByteArray("1 1e400 3\n") << 1 << "non-finite";
        QTest::newRow("two columns")
            << QByteArray("1 2 3\n4 5\n") << 2 << "expected at least 3 values (x y z), found 2";
        QTest::newRow("empty column") << QByteArray("1,,3\n") << 1 << "column 2 is empty";
        QTest::newRow("chemistry xyz")
            << QByteArray("2\nwater\nO 0 0 0\n") << 1 << "expected at least 3 values";
        QTest::newRow("empty file") << QByteArray() << 0 << "no data rows";
        QTest::newRow("comments only") << QByteArray("# a\n\n# b\n") << 0 << "no data rows";
    }
    void xyzRejected() {
        QFETCH(QByteArray, content);
        QFETCH(int, line);
        QFETCH(QString, keyword);
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "bad.xyz", content);
        const QString where =
            QString::fromStdString(path) + (line ? ":" + QString::number(line) + ": " : ": ");
        QString message;
        QVERIFY2(failsWith([&] { loadXyz(path); }, {where, keyword}, &message),
                 qPrintable(message));
        QVERIFY2(message.startsWith(where), qPrintable(message));
    }

    void xyzLimits() {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "l.xyz", "1 2 3\n4 5 6\n# c\n7 8 9\n");
        LoadLimits rows;
        rows.maxRows = 2;
        QString message;
        QVERIFY2(failsWith([&] { loadXyz(path, rows); },
                           {QString::fromStdString(path) + ":4: more than 2 rows"}, &message),
                 qPrintable(message));
        LoadLimits bytes;
        bytes.maxFileBytes = 21;
        QVERIFY2(failsWith([&] { loadXyz(path, bytes); },
                           {"file is 22 bytes, above the limit of 21 bytes"}, &message),
                 qPrintable(message));
        QVERIFY2(failsWith([&] { parseXyz("1 2 3\n", "mem.xyz", {.maxFileBytes = 5}); },
                           {"mem.xyz: 6 bytes, above the limit of 5 bytes"}, &message),
                 qPrintable(message));
        LoadLimits dims;
        dims.maxDim = 2;
        QVERIFY2(failsWith([&] { loadXyz(path, dims); }, {"dimension"}, &message),
                 qPrintable(message));
    }

    // loadPoints picks PLY and XYZ by extension, whatever its case.
    void pointCloudsByExtension() {
        QTemporaryDir dir;
        const QByteArray ply = plyHeader("ascii", "element vertex 1\nproperty float x\n"
                                                  "property float y\nproperty float z\n") +
                               "1 2 3\n";
        QVERIFY(sameBits(loadPoints(writeFile(dir, "a.PLY", ply)).values, {1, 2, 3}));
        QVERIFY(sameBits(loadPoints(writeFile(dir, "b.Xyz", "4 5 6\n")).values, {4, 5, 6}));
        QString message;
        // Each extension reaches its own reader: the other one rejects the file.
        QVERIFY2(failsWith([&] { loadPoints(writeFile(dir, "c.xyz", ply)); },
                           {"c.xyz:1: expected at least 3 values"}, &message),
                 qPrintable(message));
        QVERIFY2(failsWith([&] { loadPoints(writeFile(dir, "d.ply", "4 5 6\n")); },
                           {"not a PLY file"}, &message),
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
