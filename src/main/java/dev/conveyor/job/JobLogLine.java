package dev.conveyor.job;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * The one line logged per step of a job ({@code job <id> type=.. queue=.. [attempt=..] outcome=..}, then details):
 * by the API when it creates the job, by the worker when an attempt ends; and the warning when an outcome could not be
 * recorded because the lease was lost. The process tests read the logs through {@link #parse} and
 * {@link #parseLeaseLost}.
 */
public final class JobLogLine {

    private static final Pattern LINE = Pattern.compile(
            "job (\\S+) type=(\\S+) queue=(\\S+)(?: attempt=(\\d+))? outcome=(\\w+)");
    private static final Pattern LEASE_LOST = Pattern.compile("job (\\S+): (\\w+) but its lease was lost");

    /** What a job line says; {@code attempt} is 0 for a recovered job (the reaper does not know it). */
    public record Parsed(String id, String type, String queue, int attempt, String outcome) {
    }

    private JobLogLine() {
    }

    /** A job the API created; {@code status}: queued or scheduled. */
    public static String enqueued(JobId id, String type, String status) {
        return head(id, type) + " outcome=" + status;
    }

    public static String ended(JobId id, String type, int attempt, String outcome, long millis) {
        return head(id, type) + " attempt=" + attempt + " outcome=" + outcome + " duration_ms=" + millis;
    }

    public static String failed(JobId id, String type, int attempt, String outcome, long millis, String error) {
        return ended(id, type, attempt, outcome, millis) + " error=\"" + printable(error) + "\"";
    }

    /** Control characters as spaces: text from outside (an error, a reason phrase) cannot forge or break a line. */
    public static String printable(String text) {
        if (text == null) {
            return null;
        }
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (Character.isISOControl(chars[i])) {
                chars[i] = ' ';
            }
        }
        return new String(chars);
    }

    /** A job handed back on shutdown (or found lost then): it did not end, so no duration. */
    public static String handedBack(JobId id, String type, int attempt, String outcome) {
        return head(id, type) + " attempt=" + attempt + " outcome=" + outcome;
    }

    /** A job whose lease expired, recovered by the reaper (its attempt is not known here). */
    public static String recovered(JobId id, String type, String status) {
        return head(id, type) + " outcome=recovered status=" + status
                + " (lease expired)";
    }

    /** {@code outcome}: what the attempt did ("succeeded", "failed") before its lease turned out lost. */
    public static String leaseLost(JobId id, String outcome) {
        return "job " + id + ": " + outcome + " but its lease was lost; outcome not recorded";
    }

    /** Concatenated, not printf-formatted: a line is written for every job. */
    private static String head(JobId id, String type) {
        return "job " + id + " type=" + type + " queue=" + id.queue();
    }

    /** The job line in a log line (which may carry a timestamp and level before it), if there is one. */
    public static Optional<Parsed> parse(String logLine) {
        Matcher m = LINE.matcher(logLine);
        if (!m.find()) {
            return Optional.empty();
        }
        int attempt = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        return Optional.of(new Parsed(m.group(1), m.group(2), m.group(3), attempt, m.group(5)));
    }

    /** The id of the job whose outcome was not recorded for a lost lease, if the log line says so. */
    public static Optional<String> parseLeaseLost(String logLine) {
        Matcher m = LEASE_LOST.matcher(logLine);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
