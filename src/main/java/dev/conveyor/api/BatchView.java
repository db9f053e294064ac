package dev.conveyor.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to {@code POST /jobs/batch}: the jobs in request order. */
public record BatchView(@Schema(required = true) List<JobView> jobs) {
}
