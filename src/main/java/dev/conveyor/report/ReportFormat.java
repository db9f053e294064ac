package dev.conveyor.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a report is written as: its file name's extension and its media type. */
@RegisterForReflection
public enum ReportFormat {
    @JsonProperty("csv")
    CSV("csv", "text/csv; charset=utf-8"),
    @JsonProperty("pdf")
    PDF("pdf", "application/pdf");

    final String extension;
    final String mediaType;

    ReportFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }
}
