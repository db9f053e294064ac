package dev.conveyor.http;

import dev.conveyor.job.JobLogLine;

/** Remote text (reason phrases, error messages) made safe for a log line or an error field. */
public final class Text {

    private static final int MAX_LENGTH = 300;

    private Text() {
    }

    /** Control characters become spaces (no forged log lines, no terminal escapes); cut to a sane length. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        return JobLogLine.printable(text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text);
    }
}
