package dev.conveyor.report;

import io.smallrye.config.ConfigMapping;

/**
 * {@code conveyor.reports.*}: bounds of a {@code generate_report} job, checked at enqueue. Defaults in
 * application.properties.
 */
@ConfigMapping(prefix = "conveyor.reports")
public interface ReportsConfig {

    /** Most rows of one report. */
    int maxRows();

    /** Most columns of one report. */
    int maxColumns();

    /** Longest cell, in characters (header names included). */
    int maxCellLength();
}
