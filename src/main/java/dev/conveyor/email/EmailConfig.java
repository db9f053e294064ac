package dev.conveyor.email;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/**
 * {@code conveyor.email.*}: the {@code send_email} job type. Defaults in application.properties. The SMTP server
 * itself is Quarkus Mailer's ({@code quarkus.mailer.*}).
 */
@ConfigMapping(prefix = "conveyor.email")
public interface EmailConfig {

    /** The sender of jobs that name none; unset: every job must name an allowed sender. */
    Optional<String> from();

    /**
     * Senders jobs may name besides {@link #from()}: addresses, or domains (every address at that domain). Unset: only
     * {@link #from()}.
     */
    Optional<List<String>> allowedFrom();

    /** Most recipients of one email, to, cc and bcc together. */
    int maxRecipients();

    /** Largest {@code text} and largest {@code html} of one email, each in UTF-8 bytes. */
    MemorySize maxBodySize();

    /** A directory of templates read at run time ({@code <name>.html}, {@code <name>.txt}); unset: shipped ones only. */
    Optional<Path> templatesDir();

    /** Right-hand side of the Message-ID; unset: the domain of the sender. */
    Optional<String> messageIdDomain();
}
