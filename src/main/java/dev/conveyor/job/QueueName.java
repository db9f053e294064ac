package dev.conveyor.job;

import java.util.regex.Pattern;

/** The rule for queue names: they become part of Redis keys and of job ids. */
public final class QueueName {

    public static final String DEFAULT = "default";
    public static final String RULE = "[a-z0-9][a-z0-9_-]{0,63}";
    private static final Pattern PATTERN = Pattern.compile(RULE);

    private QueueName() {
    }

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
