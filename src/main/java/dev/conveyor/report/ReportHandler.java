package dev.conveyor.report;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.conveyor.handler.Artifact;
import dev.conveyor.handler.ArtifactInfo;
import dev.conveyor.handler.CrossFieldCheck;
import dev.conveyor.handler.JobContext;
import dev.conveyor.handler.JobHandler;
import dev.conveyor.handler.PayloadReader.Violation;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * {@code generate_report}: a table (columns and rows) written as CSV or PDF and attached to the job as its artifact,
 * served by {@code GET /jobs/{id}/artifact}. CPU work, so it runs off the event loop.
 */
@Singleton
public class ReportHandler implements JobHandler<ReportHandler.Payload, ReportHandler.Result> {

    static final int MAX_TITLE = 200;
    /** Most violations one payload reports: a report of 10,000 bad rows does not need 10,000 lines of problems. */
    static final int MAX_VIOLATIONS = 20;

    /**
     * A report: {@code rows} are arrays of cells (string, number, boolean or null), each as long as {@code columns}.
     * {@code filename} defaults to the title; {@code bom} starts a CSV with a UTF-8 byte order mark, for Excel.
     */
    @RegisterForReflection
    public record Payload(@NotNull ReportFormat format, @NotBlank @Size(max = MAX_TITLE) String title,
            @NotNull @Size(min = 1) List<String> columns, @NotNull List<List<JsonNode>> rows,
            @Size(max = FileNames.MAX_LENGTH) String filename, Boolean bom) implements CrossFieldCheck {

        @Override
        public List<Violation> crossFieldViolations() {
            List<Violation> violations = new ArrayList<>();
            for (int c = 0; c < columns.size() && violations.size() < MAX_VIOLATIONS; c++) {
                if (columns.get(c) == null || columns.get(c).isBlank()) {
                    violations.add(new Violation("columns[" + c + "]", "must be a name, not blank"));
                }
            }
            for (int r = 0; r < rows.size() && violations.size() < MAX_VIOLATIONS; r++) {
                List<JsonNode> row = rows.get(r);
                if (row == null || row.size() != columns.size()) {
                    violations.add(new Violation("rows[" + r + "]", "must be an array of " + columns.size()
                            + " cells, one per column" + (row == null ? "" : "; it has " + row.size())));
                    continue;
                }
                for (int c = 0; c < row.size() && violations.size() < MAX_VIOLATIONS; c++) {
                    JsonNode cell = row.get(c);
                    if (cell != null && !cell.isValueNode()) {
                        violations.add(new Violation("rows[" + r + "][" + c + "]",
                                "must be a string, number, boolean or null"));
                    }
                }
            }
            return violations;
        }

        /** The rows as text: numbers as written, booleans as true/false, null as empty. */
        List<List<String>> textRows() {
            List<List<String>> text = new ArrayList<>(rows.size());
            for (List<JsonNode> row : rows) {
                List<String> cells = new ArrayList<>(row.size());
                for (JsonNode cell : row) {
                    cells.add(cell == null || cell.isNull() ? "" : cell.asText());
                }
                text.add(cells);
            }
            return text;
        }
    }

    /** The artifact as stored, the rows written, and for a PDF its pages. */
    @RegisterForReflection
    public record Result(ArtifactInfo artifact, int rows, @JsonInclude(JsonInclude.Include.NON_NULL) Integer pages) {
    }

    private final ReportsConfig config;

    ReportHandler(ReportsConfig config) {
        this.config = config;
    }

    @Override
    public String type() {
        return "generate_report";
    }

    @Override
    public Class<Payload> payloadType() {
        return Payload.class;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public List<Violation> configuredViolations(Payload payload) {
        List<Violation> violations = new ArrayList<>();
        if (payload.columns().size() > config.maxColumns()) {
            violations.add(new Violation("columns", "has " + payload.columns().size() + " columns; at most "
                    + config.maxColumns() + " (conveyor.reports.max-columns)"));
        }
        if (payload.rows().size() > config.maxRows()) {
            violations.add(new Violation("rows", "has " + payload.rows().size() + " rows; at most "
                    + config.maxRows() + " (conveyor.reports.max-rows)"));
        }
        String tooLong = "is longer than " + config.maxCellLength() + " characters (conveyor.reports.max-cell-length)";
        for (int c = 0; c < payload.columns().size() && violations.size() < MAX_VIOLATIONS; c++) {
            if (payload.columns().get(c).length() > config.maxCellLength()) {
                violations.add(new Violation("columns[" + c + "]", tooLong));
            }
        }
        for (int r = 0; r < payload.rows().size() && violations.size() < MAX_VIOLATIONS; r++) {
            List<JsonNode> row = payload.rows().get(r);
            for (int c = 0; c < row.size() && violations.size() < MAX_VIOLATIONS; c++) {
                JsonNode cell = row.get(c);
                if (cell != null && cell.isTextual() && cell.textValue().length() > config.maxCellLength()) {
                    violations.add(new Violation("rows[" + r + "][" + c + "]", tooLong));
                }
            }
        }
        return violations;
    }

    @Override
    public Uni<Result> handle(Payload payload, JobContext context) {
        return Uni.createFrom().deferred(() -> {
            List<List<String>> rows = payload.textRows();
            String name = FileNames.of(payload.filename(), payload.title(), payload.format());
            byte[] content;
            Integer pages = null;
            if (payload.format() == ReportFormat.PDF) {
                PdfReport.Rendered pdf = PdfReport.write(payload.title(), payload.columns(), rows);
                content = pdf.bytes();
                pages = pdf.pages();
            } else {
                content = CsvReport.write(payload.columns(), rows, Boolean.TRUE.equals(payload.bom()));
            }
            Integer pageCount = pages;
            return context.attach(new Artifact(name, payload.format().mediaType, content))
                    .map(info -> new Result(info, rows.size(), pageCount));
        });
    }

    @Override
    public String examplePayload() {
        return """
                {"format": "pdf", "title": "Sales by region", "filename": "sales.pdf",
                 "columns": ["Region", "Orders", "Revenue"],
                 "rows": [["North", 1200, 48213.5], ["South", 950, 39120.0]]}""";
    }

    @Override
    public String payloadSchema() {
        return """
                {"type": "object", "additionalProperties": false, "required": ["format", "title", "columns", "rows"],
                 "description": "A table written as CSV or PDF and stored as the job's artifact (GET /jobs/{id}/artifact). Each row has one cell per column. Bounds: conveyor.reports.max-rows, max-columns, max-cell-length.",
                 "properties": {
                  "format": {"type": "string", "enum": ["csv", "pdf"]},
                  "title": {"type": "string", "minLength": 1, "maxLength": %d, "description": "Printed on top of every PDF page; the default file name."},
                  "columns": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}, "description": "Column names: the header row."},
                  "rows": {"type": "array", "items": {"type": "array", "items": {"description": "A cell: string, number, boolean or null (empty)."}}, "description": "One array of cells per row, as many as columns."},
                  "filename": {"type": "string", "maxLength": %d, "description": "File name of the artifact; reduced to letters, digits, spaces and . _ -, and given the format's extension. Default: the title."},
                  "bom": {"type": "boolean", "description": "CSV only: start with a UTF-8 byte order mark, which Excel needs to read UTF-8. Default false."}}}
                """.formatted(MAX_TITLE, FileNames.MAX_LENGTH);
    }

    @Override
    public String resultSchema() {
        return """
                {"type": "object", "required": ["artifact", "rows"], "properties": {
                  "artifact": %s,
                  "rows": {"type": "integer", "format": "int32", "description": "Rows written (the header not counted)."},
                  "pages": {"type": "integer", "format": "int32", "description": "Pages of a PDF; absent for CSV."}}}
                """.formatted(ArtifactInfo.SCHEMA);
    }
}
