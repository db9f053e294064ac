package dev.conveyor.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;

/** The files of generate_report read back with the libraries' own readers: CSV parsed, PDF text extracted. */
class ReportFilesTest {

    private static final List<String> COLUMNS = List.of("Region", "Orders", "Revenue", "Note");

    /** Enough rows for several pages. */
    static List<List<String>> sales(int count) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(List.of("Region " + i, Integer.toString(i * 3),
                    String.format(Locale.ROOT, "%d.%02d", i * 41, i % 100),
                    i % 10 == 0 ? "a note long enough to wrap inside its narrow column, over a few lines" : ""));
        }
        return rows;
    }

    @Test
    void csvValuesRoundTripExactly() throws IOException {
        List<List<String>> rows = List.of(
                List.of("comma, inside", "quote \" inside", "line\nbreak", "crlf\r\nbreak"),
                List.of("Ünïcödé – 北京 – Ωμέγα – 😀", "", " leading and trailing ", "=1+1"),
                List.of("plain", "42", "-3.5e10", "true"));

        byte[] csv = CsvReport.write(COLUMNS, rows, false);

        List<CSVRecord> records = parse(new String(csv, StandardCharsets.UTF_8));
        assertThat(records).hasSize(4);
        assertThat(records.get(0).toList()).isEqualTo(COLUMNS);
        for (int r = 0; r < rows.size(); r++) {
            assertThat(records.get(r + 1).toList()).isEqualTo(rows.get(r));
        }
        assertThat(new String(csv, StandardCharsets.UTF_8)).startsWith("Region,Orders,Revenue,Note\r\n")
                .contains("\"comma, inside\",\"quote \"\" inside\"");
    }

    @Test
    void aCsvForExcelStartsWithAByteOrderMark() throws IOException {
        byte[] csv = CsvReport.write(List.of("a"), List.of(List.of("ä")), true);

        assertThat(csv).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String text = new String(csv, StandardCharsets.UTF_8).substring(1);
        assertThat(parse(text).get(1).get(0)).isEqualTo("ä");
    }

    @Test
    void aPdfHasTheTitleTheHeaderOnEveryPageTheRowsAndPageNumbers() throws IOException {
        List<List<String>> rows = sales(300);

        PdfReport.Rendered pdf = PdfReport.write("Sales by region 2026", COLUMNS, rows);

        assertThat(pdf.pages()).isGreaterThan(3);
        try (PDDocument document = Loader.loadPDF(pdf.bytes())) {
            assertThat(document.getNumberOfPages()).isEqualTo(pdf.pages());
            int n = pdf.pages();
            for (int page = 1; page <= n; page++) {
                String text = pageText(document, page);
                assertThat(text).as("page " + page).contains("Sales by region 2026")
                        .contains("Region").contains("Orders").contains("Revenue").contains("Note")
                        .contains("Page " + page + " of " + n);
            }
            String all = new PDFTextStripper().getText(document);
            assertThat(all).contains("Region 1 ").contains("Region 300").contains("12300.00");
            assertThat(pageText(document, 1)).contains("Region 1 ");
            assertThat(pageText(document, n)).contains("Region 300");
            assertThat(document.getPage(0).getMediaBox().getWidth()).as("A4 portrait").isCloseTo(595.3f,
                    org.assertj.core.data.Offset.offset(1f));
        }
    }

    @Test
    void unicodeTextIsPrintedAndWhatTheFontLacksIsAQuestionMark() throws IOException {
        PdfReport.Rendered pdf = PdfReport.write("Umsätze – Ωμέγα – Привет", List.of("Name", "Symbol"),
                List.of(List.of("Zoë Ärger", "€ ≤ ∑"), List.of("Beijing", "北京")));

        try (PDDocument document = Loader.loadPDF(pdf.bytes())) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("Umsätze – Ωμέγα – Привет").contains("Zoë Ärger").contains("€ ≤ ∑");
            assertThat(text).doesNotContain("北").contains("Beijing ??");
        }
    }

    @Test
    void aLongCellIsCutWithAnEllipsisAndManyColumnsTurnThePage() throws IOException {
        List<String> columns = new ArrayList<>();
        List<String> row = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            columns.add("C" + c);
            row.add(c == 0 ? "word ".repeat(200) + "END" : "v" + c);
        }

        PdfReport.Rendered pdf = PdfReport.write("Wide", columns, List.of(row));

        try (PDDocument document = Loader.loadPDF(pdf.bytes())) {
            assertThat(document.getPage(0).getMediaBox().getWidth()).as("landscape")
                    .isGreaterThan(document.getPage(0).getMediaBox().getHeight());
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("\u2026").doesNotContain("END").contains("v7");
        }
    }

    /**
     * Page 2 of a realistic report as a PNG, for docs/reports.md (docs/images/report-page.png is a copy of
     * target/report-page.png): the repeated title and header row, wrapped and cut cells, the page number.
     */
    @Test
    void pageTwoRendersAsAnImage() throws IOException {
        List<String> columns = List.of("Order", "Customer", "City", "Items", "Total (€)", "Status", "Note");
        String[] cities = {"Zürich", "Kraków", "São Paulo", "Αθήνα", "Москва", "Dublin", "Montréal"};
        String[] states = {"shipped", "paid", "open", "refunded"};
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i <= 160; i++) {
            rows.add(List.of("SO-" + (10_000 + i), "Customer " + (char) ('A' + i % 26) + " GmbH & Co. KG",
                    cities[i % cities.length], Integer.toString(1 + i % 9),
                    String.format(Locale.ROOT, "%,.2f", i * 73.15),
                    states[i % states.length], i % 7 == 0 ? "Delivery window agreed by phone; ring twice, then "
                            + "leave the parcel with the neighbour at number 12 if nobody answers the door" : ""));
        }
        PdfReport.Rendered pdf = PdfReport.write("Orders, November 2026", columns, rows);

        try (PDDocument document = Loader.loadPDF(pdf.bytes())) {
            BufferedImage image = new PDFRenderer(document).renderImageWithDPI(1, 110);
            Path png = Path.of("target", "report-page.png");
            ImageIO.write(image, "png", png.toFile());

            assertThat(Files.size(png)).isGreaterThan(10_000);
            assertThat(image.getWidth()).as("landscape, 7 columns").isGreaterThan(image.getHeight());
            assertThat(pageText(document, 2)).contains("Orders, November 2026").contains("Customer")
                    .contains("Page 2 of " + pdf.pages());
        }
    }

    @Test
    void fileNamesAreSafeAndEndInTheFormatsExtension() {
        assertThat(FileNames.of(null, "Sales by region", ReportFormat.PDF)).isEqualTo("Sales by region.pdf");
        assertThat(FileNames.of("sales.PDF", "x", ReportFormat.PDF)).isEqualTo("sales.pdf");
        assertThat(FileNames.of("../../etc/passwd", "x", ReportFormat.CSV)).isEqualTo("_.._etc_passwd.csv");
        assertThat(FileNames.of("a\"b\r\nc", "x", ReportFormat.CSV)).isEqualTo("a_b_c.csv");
        assertThat(FileNames.of("   ", "Umsätze/2026", ReportFormat.CSV)).isEqualTo("Umsätze_2026.csv");
        assertThat(FileNames.of("...", "x", ReportFormat.CSV)).isEqualTo("report.csv");
        assertThat(FileNames.of("n".repeat(300), "x", ReportFormat.PDF)).hasSize(FileNames.MAX_LENGTH).endsWith(".pdf");
    }

    private static String pageText(PDDocument document, int page) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        return stripper.getText(document);
    }

    private static List<CSVRecord> parse(String text) throws IOException {
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(CSVFormat.RFC4180)
                .get()) {
            return parser.getRecords();
        }
    }
}
