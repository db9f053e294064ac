package dev.conveyor.job;

/** The rule for queue names: they become part of Redis keys and of job ids. */
public final class QueueName {

    public static final String DEFAULT = "default";
    public static final String RULE = "[a-z0-9][a-z0-9_-]{0,63}";
    private static final int MAX_LENGTH = 64;

    private QueueName() {
    }

    /** {@link #RULE}, checked without a regular expression: it runs for every job id on the worker's hot path. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || !isLowerAlphanumeric(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isLowerAlphanumeric(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
