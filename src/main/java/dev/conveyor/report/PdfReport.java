package dev.conveyor.report;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A report as a PDF: A4 (landscape from {@value #LANDSCAPE_FROM} columns on), the title on top of every page, then a
 * table whose header row repeats on each page, and "Page i of N" at the foot. Column widths follow the length of
 * their contents; a cell wraps at spaces (or anywhere in a long word) and shows at most {@value #MAX_CELL_LINES}
 * lines, the last one cut with an ellipsis when the text goes on. Text is set in DejaVu Sans, embedded as a subset:
 * Latin, Greek, Cyrillic and many symbols print as they are; a character the font lacks prints as {@code ?}.
 */
final class PdfReport {

    /** The PDF and its page count. */
    record Rendered(byte[] bytes, int pages) {
    }

    static final int MAX_CELL_LINES = 5;
    static final int LANDSCAPE_FROM = 7;
    private static final float MARGIN = 36;
    private static final float TITLE_SIZE = 14;
    private static final float TEXT_SIZE = 8;
    private static final float LEADING = 10;
    private static final float PADDING = 3;
    private static final int MAX_TITLE_LINES = 3;
    private static final String ELLIPSIS = "\u2026";
    /** Rows looked at to size the columns: enough to see their usual contents, not all of a long report. */
    private static final int SIZING_ROWS = 500;
    private static final byte[] FONT = font();

    private final PDDocument document;
    private final PDType0Font font;
    private final PDRectangle pageSize;
    private final Map<Integer, Float> widths = new HashMap<>();
    private PDPageContentStream page;
    private float y;

    private PdfReport(PDDocument document, PDType0Font font, PDRectangle pageSize) {
        this.document = document;
        this.font = font;
        this.pageSize = pageSize;
    }

    static Rendered write(String title, List<String> columns, List<List<String>> rows) {
        try (PDDocument document = new PDDocument()) {
            PDType0Font font = PDType0Font.load(document, new ByteArrayInputStream(FONT), true);
            PDRectangle size = columns.size() >= LANDSCAPE_FROM
                    ? new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth()) : PDRectangle.A4;
            new PdfReport(document, font, size).table(title, columns, rows);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return new Rendered(out.toByteArray(), document.getNumberOfPages());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void table(String title, List<String> columns, List<List<String>> rows) throws IOException {
        float[] columnWidths = columnWidths(columns, rows);
        List<String> titleLines = lines(title, pageSize.getWidth() - 2 * MARGIN, TITLE_SIZE, MAX_TITLE_LINES);
        List<List<String>> header = cells(columns, columnWidths);
        newPage(titleLines, header, columnWidths);
        for (List<String> row : rows) {
            List<List<String>> cells = cells(row, columnWidths);
            float height = height(cells);
            if (y - height < MARGIN + LEADING) {
                page.close();
                newPage(titleLines, header, columnWidths);
            }
            row(cells, columnWidths, false);
        }
        page.close();
        numberPages();
    }

    private void newPage(List<String> titleLines, List<List<String>> header, float[] columnWidths) throws IOException {
        PDPage next = new PDPage(pageSize);
        document.addPage(next);
        page = new PDPageContentStream(document, next);
        y = pageSize.getHeight() - MARGIN;
        for (String line : titleLines) {
            y -= TITLE_SIZE;
            text(line, MARGIN, y, TITLE_SIZE);
            y -= 4;
        }
        y -= 8;
        row(header, columnWidths, true);
    }

    private void row(List<List<String>> cells, float[] columnWidths, boolean header) throws IOException {
        float height = height(cells);
        float width = pageSize.getWidth() - 2 * MARGIN;
        if (header) {
            page.setNonStrokingColor(0.88f);
            page.addRect(MARGIN, y - height, width, height);
            page.fill();
            page.setNonStrokingColor(0f);
        }
        float x = MARGIN;
        for (int c = 0; c < cells.size(); c++) {
            float lineY = y - PADDING - TEXT_SIZE;
            for (String line : cells.get(c)) {
                text(line, x + PADDING, lineY, TEXT_SIZE);
                lineY -= LEADING;
            }
            x += columnWidths[c];
        }
        y -= height;
        page.setStrokingColor(header ? 0.4f : 0.82f);
        page.setLineWidth(header ? 0.8f : 0.4f);
        page.moveTo(MARGIN, y);
        page.lineTo(MARGIN + width, y);
        page.stroke();
    }

    private void numberPages() throws IOException {
        int count = document.getNumberOfPages();
        for (int i = 0; i < count; i++) {
            try (PDPageContentStream footer = new PDPageContentStream(document, document.getPage(i),
                    PDPageContentStream.AppendMode.APPEND, true, true)) {
                page = footer;
                String label = "Page " + (i + 1) + " of " + count;
                text(label, pageSize.getWidth() - MARGIN - width(label, TEXT_SIZE), MARGIN / 2, TEXT_SIZE);
            }
        }
    }

    private void text(String line, float x, float baseline, float size) throws IOException {
        if (line.isEmpty()) {
            return;
        }
        page.beginText();
        page.setFont(font, size);
        page.newLineAtOffset(x, baseline);
        page.showText(line);
        page.endText();
    }

    private static float height(List<List<String>> cells) {
        int lines = 1;
        for (List<String> cell : cells) {
            lines = Math.max(lines, cell.size());
        }
        return lines * LEADING + 2 * PADDING - (LEADING - TEXT_SIZE);
    }

    private List<List<String>> cells(List<String> row, float[] columnWidths) {
        List<List<String>> cells = new ArrayList<>(row.size());
        for (int c = 0; c < row.size(); c++) {
            cells.add(lines(row.get(c), columnWidths[c] - 2 * PADDING, TEXT_SIZE, MAX_CELL_LINES));
        }
        return cells;
    }

    /** Widths proportional to each column's longest line (within bounds), over the page's width. */
    private float[] columnWidths(List<String> columns, List<List<String>> rows) {
        float[] weights = new float[columns.size()];
        float sum = 0;
        for (int c = 0; c < columns.size(); c++) {
            int longest = longestLine(columns.get(c));
            for (int r = 0; r < Math.min(rows.size(), SIZING_ROWS); r++) {
                longest = Math.max(longest, longestLine(rows.get(r).get(c)));
            }
            weights[c] = Math.max(3, Math.min(30, longest));
            sum += weights[c];
        }
        float available = pageSize.getWidth() - 2 * MARGIN;
        for (int c = 0; c < weights.length; c++) {
            weights[c] = available * weights[c] / sum;
        }
        return weights;
    }

    private static int longestLine(String text) {
        int longest = 0;
        for (String line : text.split("\n", -1)) {
            longest = Math.max(longest, line.length());
        }
        return longest;
    }

    /**
     * The text as lines of at most {@code width} points: broken at line breaks, at the last space that fits, or
     * anywhere in a word longer than a line; at most {@code maxLines}, the last one ending in an ellipsis when cut.
     */
    private List<String> lines(String raw, float width, float size, int maxLines) {
        String text = printable(raw);
        List<String> lines = new ArrayList<>();
        boolean cut = false;
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            float lineWidth = 0;
            int lastSpace = -1;
            for (int i = 0; i < paragraph.length(); ) {
                int cp = paragraph.codePointAt(i);
                i += Character.charCount(cp);
                float w = width(cp, size);
                if (lineWidth + w > width && !line.isEmpty()) {
                    if (cp == ' ') {
                        lines.add(line.toString());
                        line.setLength(0);
                        lineWidth = 0;
                        lastSpace = -1;
                        continue;
                    }
                    String rest = lastSpace > 0 ? line.substring(lastSpace + 1) : "";
                    lines.add(lastSpace > 0 ? line.substring(0, lastSpace) : line.toString());
                    line.setLength(0);
                    line.append(rest);
                    lineWidth = width(rest, size);
                    lastSpace = -1;
                }
                if (cp == ' ') {
                    lastSpace = line.length();
                }
                line.appendCodePoint(cp);
                lineWidth += w;
            }
            lines.add(line.toString());
            if (lines.size() > maxLines) {
                break;
            }
        }
        if (lines.size() > maxLines) {
            lines = new ArrayList<>(lines.subList(0, maxLines));
            cut = true;
        }
        if (cut) {
            lines.set(maxLines - 1, withEllipsis(lines.get(maxLines - 1), width, size));
        }
        return lines;
    }

    private String withEllipsis(String line, float width, float size) {
        String shorter = line.stripTrailing();
        while (!shorter.isEmpty() && width(shorter + ELLIPSIS, size) > width) {
            shorter = shorter.substring(0, shorter.offsetByCodePoints(shorter.length(), -1));
        }
        return shorter + ELLIPSIS;
    }

    /** Line breaks kept, tabs as spaces, other control characters left out, characters the font lacks as '?'. */
    private String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == ' ') {
                out.appendCodePoint(cp);
            } else if (cp == '\t') {
                out.append(' ');
            } else if (!Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT) {
                out.appendCodePoint(width(cp, 1) >= 0 ? cp : '?');
            }
        });
        return out.toString();
    }

    private float width(String text, float size) {
        float total = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            total += width(cp, size);
        }
        return total;
    }

    /** A character's width in points at this size; negative when the font has no glyph for it. */
    private float width(int codePoint, float size) {
        return widths.computeIfAbsent(codePoint, this::unitWidth) * size / 1000;
    }

    private float unitWidth(int codePoint) {
        try {
            return font.getStringWidth(new String(Character.toChars(codePoint)));
        } catch (IllegalArgumentException | IOException e) {
            return -1000;
        }
    }

    private static byte[] font() {
        try (InputStream in = PdfReport.class.getClassLoader().getResourceAsStream("fonts/DejaVuSans.ttf")) {
            if (in == null) {
                throw new IllegalStateException("missing fonts/DejaVuSans.ttf");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
