package dev.conveyor.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;


/** The job lines the worker writes read back as they were written, also after a logger's prefix. */
class JobLogLineTest {

    private static final JobId ID = JobId.newId("mail", 1_700_000_000_000L);
    private static final String PREFIX =
            "2026-01-01 10:00:00,000 INFO  [dev.con.wor.OutcomeRecorder] (vert.x-eventloop-thread-1) ";

    @Test
    void anEndedAttemptReadsBack() {
        String line = JobLogLine.ended(ID, "echo", 2, "succeeded", 15);

        assertThat(line).isEqualTo("job " + ID + " type=echo queue=mail attempt=2 outcome=succeeded duration_ms=15");
        assertThat(JobLogLine.parse(PREFIX + line))
                .contains(new JobLogLine.Parsed(ID.toString(), "echo", "mail", 2, "succeeded"));
    }

    @Test
    void failedHandedBackAndRecoveredJobsReadBack() {
        assertThat(JobLogLine.parse(JobLogLine.failed(ID, "sleep", 1, "retrying", 3, "boom: \"x\"")))
                .contains(new JobLogLine.Parsed(ID.toString(), "sleep", "mail", 1, "retrying"));
        assertThat(JobLogLine.parse(JobLogLine.handedBack(ID, "sleep", 3, "handed_back")))
                .contains(new JobLogLine.Parsed(ID.toString(), "sleep", "mail", 3, "handed_back"));
        assertThat(JobLogLine.parse(JobLogLine.recovered(ID, "sleep", "queued")))
                .contains(new JobLogLine.Parsed(ID.toString(), "sleep", "mail", 0, "recovered"));
    }

    @Test
    void aLostLeaseIsToldApartFromAJobLine() {
        String lost = JobLogLine.leaseLost(ID, "succeeded");

        assertThat(JobLogLine.parseLeaseLost(PREFIX + lost)).contains(ID.toString());
        assertThat(JobLogLine.parse(lost)).isEmpty();
        assertThat(JobLogLine.parseLeaseLost(JobLogLine.ended(ID, "echo", 1, "succeeded", 1))).isEmpty();
    }

    @Test
    void controlCharactersInAnErrorCannotForgeALine() {
        String line = JobLogLine.failed(ID, "http", 1, "failed", 3,
                "HTTP 500 Oops\r\njob x type=echo queue=mail attempt=1 outcome=succeeded\u001b[2J\u0000");

        assertThat(line).doesNotContainPattern("\\p{Cntrl}");
        assertThat(line).endsWith("error=\"HTTP 500 Oops  job x type=echo queue=mail attempt=1 outcome=succeeded [2J \"");
    }
}
