package dev.conveyor.report;

import static dev.conveyor.testing.Jobs.post;
import static dev.conveyor.testing.Jobs.run;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static dev.conveyor.testing.Problems.assertInvalid;
import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code generate_report} end to end: enqueued through the API, run by the worker, its file read back from
 * {@code GET /jobs/{id}/artifact} with the headers of a download; payloads checked at enqueue.
 */
@QuarkusTest
class ReportJobTest {

    private final String queue = uniqueQueue("reports");

    private Map<String, Object> report(String format, List<?> rows, Object... more) {
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("format", format);
        payload.put("title", "Sales by region");
        payload.put("columns", List.of("Region", "Orders", "Revenue", "Open"));
        payload.put("rows", rows);
        for (int i = 0; i < more.length; i += 2) {
            payload.put((String) more[i], more[i + 1]);
        }
        return Map.of("type", "generate_report", "queue", queue, "payload", payload);
    }

    private static Response artifact(String id) {
        return given().when().get("/jobs/" + id + "/artifact");
    }

    @Test
    void aCsvReportIsTheJobsArtifact() throws IOException {
        List<List<Object>> rows = List.of(
                List.of("North, upper", 1200, 48213.5, true),
                Collections.unmodifiableList(java.util.Arrays.asList("Süd \"Ost\"\nZweite Zeile", 950, 39120, null)));

        JsonPath job = run(report("csv", rows, "filename", "Umsätze 2026"), "succeeded");

        assertThat(job.getString("result.artifact.name")).isEqualTo("Umsätze 2026.csv");
        assertThat(job.getString("result.artifact.type")).isEqualTo("text/csv; charset=utf-8");
        assertThat(job.getInt("result.rows")).isEqualTo(2);
        assertThat(job.getMap("result")).doesNotContainKey("pages");
        Response file = artifact(job.getString("id"));
        file.then().statusCode(200)
                .header("Content-Type", "text/csv; charset=utf-8")
                .header("Content-Disposition",
                        "attachment; filename=\"Ums_tze 2026.csv\"; filename*=UTF-8''Ums%C3%A4tze%202026.csv")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "private");
        byte[] body = file.asByteArray();
        assertThat(file.header("Content-Length")).isEqualTo(Integer.toString(body.length));
        assertThat(body.length).isEqualTo(job.getInt("result.artifact.size"));
        List<CSVRecord> records = CSVParser.builder().setReader(new StringReader(new String(body,
                StandardCharsets.UTF_8))).setFormat(CSVFormat.RFC4180).get().getRecords();
        assertThat(records).extracting(CSVRecord::toList).containsExactly(
                List.of("Region", "Orders", "Revenue", "Open"),
                List.of("North, upper", "1200", "48213.5", "true"),
                List.of("Süd \"Ost\"\nZweite Zeile", "950", "39120", ""));
    }

    @Test
    void aPdfReportIsServedAsAPdf() throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            rows.add(List.of("Region " + i, i, i * 10.5, i % 2 == 0));
        }

        JsonPath job = run(report("pdf", rows), "succeeded");

        assertThat(job.getString("result.artifact.name")).isEqualTo("Sales by region.pdf");
        assertThat(job.getString("result.artifact.type")).isEqualTo("application/pdf");
        int pages = job.getInt("result.pages");
        assertThat(pages).isGreaterThan(1);
        Response file = artifact(job.getString("id"));
        file.then().statusCode(200).header("Content-Type", "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"Sales by region.pdf\"; "
                        + "filename*=UTF-8''Sales%20by%20region.pdf");
        try (PDDocument pdf = Loader.loadPDF(file.asByteArray())) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(pages);
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("Sales by region").contains("Region 1 ").contains("Region 120")
                    .contains("Page " + pages + " of " + pages);
        }
    }

    @Test
    void aJobWithoutArtifactAndAnUnknownJobAre404() {
        JsonPath echo = run(Map.of("type", "echo", "queue", queue, "payload", Map.of("n", 1)), "succeeded");

        assertProblem(artifact(echo.getString("id")).then(), 404)
                .body("type", equalTo("https://conveyor.dev/problems/no-artifact"));
        assertProblem(artifact(queue + ".01JDQ8Z6V3M4T2K9N7P5R1S0XA").then(), 404)
                .body("type", equalTo("https://conveyor.dev/problems/not-found"));
        assertProblem(artifact("not-an-id").then(), 404);
    }

    @Test
    void payloadsAreCheckedAtEnqueueNamingTheField() {
        assertInvalid(post("/jobs", report("xlsx", List.of())).then(), "payload.format");
        assertInvalid(post("/jobs", report("csv", List.of(List.of("a", 1, 2, 3), List.of("short")))).then(),
                "payload.rows[1]");
        assertInvalid(post("/jobs", report("csv", List.of(List.of("a", Map.of("x", 1), 2, 3)))).then(),
                "payload.rows[0][1]");
        assertInvalid(post("/jobs", report("csv", List.of(), "filename", "x".repeat(101))).then(),
                "payload.filename");
        assertInvalid(post("/jobs", report("pdf", List.of(List.of("x".repeat(1001), 1, 2, 3)))).then(),
                "payload.rows[0][0]");
        Map<String, Object> noColumns = new java.util.HashMap<>(report("csv", List.of()));
        noColumns.put("payload", Map.of("format", "csv", "title", "t", "columns", List.of(), "rows", List.of()));
        assertInvalid(post("/jobs", noColumns).then(), "payload.columns");
        // one small column, so that the payload stays under conveyor.api.max-payload-size
        List<List<Object>> tooMany = Collections.nCopies(10_001, List.of(1));
        Map<String, Object> longReport = new java.util.HashMap<>(report("csv", List.of()));
        longReport.put("payload", Map.of("format", "csv", "title", "t", "columns", List.of("n"), "rows", tooMany));
        assertInvalid(post("/jobs", longReport).then(), "payload.rows");
        Map<String, Object> noTitle = new java.util.HashMap<>(report("csv", List.of()));
        noTitle.put("payload", Map.of("format", "csv", "columns", List.of("a"), "rows", List.of()));
        assertInvalid(post("/jobs", noTitle).then(), "payload.title");
    }
}
