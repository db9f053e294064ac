package dev.conveyor.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A report as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, a quote or a line
 * break), in UTF-8; optionally with a byte order mark, which Excel needs to read UTF-8.
 */
final class CsvReport {

    private CsvReport() {
    }

    static byte[] write(List<String> columns, List<List<String>> rows, boolean byteOrderMark) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + rows.size() * 16 * Math.max(1, columns.size()));
        try (Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            if (byteOrderMark) {
                out.write('\uFEFF');
            }
            csv.printRecord(columns);
            for (List<String> row : rows) {
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
