package dev.conveyor.email;

import dev.conveyor.handler.PermanentJobFailure;
import io.vertx.ext.mail.SMTPException;

/**
 * What a failed send means for the job, from the SMTP server's reply as the Vert.x mail client reports it (an
 * {@link SMTPException} with the reply code): a 5xx reply will not change on a retry, so the job fails at once; a 4xx
 * reply (greylisting, a full mailbox, a rate limit), a refused connection or a timeout may pass, so the attempt is
 * retried with the job's backoff. The error carries the server's code and text, never the message.
 */
final class SmtpOutcome {

    private static final int MAX_REPLY = 500;

    private SmtpOutcome() {
    }

    static Throwable failure(Throwable e) {
        SMTPException smtp = smtpException(e);
        if (smtp == null) {
            return new IllegalStateException("SMTP server not reached: " + clean(e.getMessage()), e);
        }
        String code = Integer.toString(smtp.getReplyCode());
        String text = clean(smtp.getReplyMessage());
        String reply = "SMTP " + (text.startsWith(code) ? text : code + " " + text);
        return smtp.isPermanent() ? new PermanentJobFailure(reply, e) : new IllegalStateException(reply, e);
    }

    private static SMTPException smtpException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SMTPException smtp) {
                return smtp;
            }
        }
        return null;
    }

    private static String clean(String text) {
        String line = String.valueOf(text).replaceAll("\\p{Cntrl}+", " ").trim();
        return line.length() <= MAX_REPLY ? line : line.substring(0, MAX_REPLY) + "...";
    }
}
