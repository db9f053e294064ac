package dev.conveyor.email;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * An SMTP server in the test's JVM (subethasmtp) on a free 127.0.0.1 port, that records every message it is sent and
 * answers by recipient, so that a test picks the server's reply through the address it sends to:
 * <ul>
 * <li>{@code greylist...@}: 451 to the first attempt of each Message-ID, then 250;
 * <li>{@code refuse...@}: 550 to the message;
 * <li>{@code unknown...@}: 550 to the recipient (RCPT TO);
 * <li>anything else: 250.
 * </ul>
 */
final class SmtpTestServer implements AutoCloseable {

    static final String GREYLISTED = "4.7.1 Greylisted, please try again later";
    static final String REFUSED = "5.7.1 Message refused by policy";
    static final String NO_SUCH_USER = "5.1.1 No such user here";

    /**
     * One DATA the server read, with the reply it gave: {@code message} parsed with jakarta.mail; {@code tls} when the
     * session had started TLS by then.
     */
    record Received(String envelopeFrom, List<String> envelopeTo, MimeMessage message, int reply, boolean tls) {

        String messageId() {
            try {
                return message.getMessageID();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final SMTPServer server;

    private SmtpTestServer(Optional<SSLContext> startTls) {
        SMTPServer.Builder builder = SMTPServer.port(0).bindAddress(InetAddress.getLoopbackAddress())
                .hostName("smtp.test").messageHandlerFactory(this::session);
        startTls.ifPresent(tls -> builder.enableTLS().requireTLS().startTlsSocketFactory(tls));
        server = builder.build();
    }

    static SmtpTestServer start(Optional<SSLContext> startTls) {
        SmtpTestServer smtp = new SmtpTestServer(startTls);
        smtp.server.start();
        return smtp;
    }

    int port() {
        return server.getPortAllocated();
    }

    /** Every message read so far, in order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** The messages read with this Message-ID, in order. */
    List<Received> withMessageId(String messageId) {
        return received.stream().filter(r -> messageId.equals(r.messageId())).toList();
    }

    @Override
    public void close() {
        server.stop();
    }

    private MessageHandler session(MessageContext context) {
        return new MessageHandler() {
            private String from;
            private final List<String> to = new ArrayList<>();

            @Override
            public void from(String address) {
                from = address;
            }

            @Override
            public void recipient(String address) throws RejectException {
                if (address.startsWith("unknown")) {
                    throw new RejectException(550, NO_SUCH_USER);
                }
                to.add(address);
            }

            @Override
            public String data(InputStream data) throws RejectException, IOException {
                MimeMessage message;
                try {
                    message = new MimeMessage(jakarta.mail.Session.getInstance(new Properties()),
                            new ByteArrayInputStream(data.readAllBytes()));
                } catch (MessagingException e) {
                    throw new IOException(e);
                }
                boolean tls = context instanceof Session session && session.isTLSStarted();
                Received first = new Received(from, List.copyOf(to), message, 250, tls);
                int attempt = attempts.computeIfAbsent(first.messageId(), id -> new AtomicInteger()).incrementAndGet();
                if (to.stream().anyMatch(a -> a.startsWith("refuse"))) {
                    received.add(new Received(from, List.copyOf(to), message, 550, tls));
                    throw new RejectException(550, REFUSED);
                }
                if (attempt == 1 && to.stream().anyMatch(a -> a.startsWith("greylist"))) {
                    received.add(new Received(from, List.copyOf(to), message, 451, tls));
                    throw new RejectException(451, GREYLISTED);
                }
                received.add(first);
                return null;
            }

            @Override
            public void done() {
            }
        };
    }
}
