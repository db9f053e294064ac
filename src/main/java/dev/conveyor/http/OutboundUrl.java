package dev.conveyor.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An absolute http(s) URL split the way the client needs it. {@link #toString} is the form for errors and logs:
 * without user info, query and fragment, which may carry credentials.
 */
public record OutboundUrl(boolean https, String host, int port, String requestUri, String shown) {

    private static final String ABSOLUTE = "must be an absolute http or https URL";
    /** {@code [user@]host[:port]} with a host of letters, digits and {@code . - _}. */
    private static final Pattern AUTHORITY = Pattern.compile("(?:[^@]*@)?([A-Za-z0-9._-]+)(?::(\\d{1,5}))?");

    /** Parses {@code text}; {@link IllegalArgumentException} with a reason when it is no absolute http(s) URL. */
    public static OutboundUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ABSOLUTE);
        }
        return of(uri);
    }

    /** Where a redirect's {@code Location} leads from this URL. */
    public OutboundUrl resolve(String location) {
        try {
            return of(new URI((https ? "https" : "http") + "://" + authority() + requestUri).resolve(new URI(location)));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redirect to an invalid URL");
        }
    }

    /** {@code host:port} as in the Host header. */
    public String authority() {
        return host + ":" + port;
    }

    private static OutboundUrl of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException(ABSOLUTE);
        }
        boolean https = scheme.equals("https");
        int defaultPort = https ? 443 : 80;
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null) {
            // java.net.URI gives no host for names it finds odd (127.1, 0x7f.1, under_score): split the authority.
            Matcher m = AUTHORITY.matcher(uri.getRawAuthority());
            if (!m.matches()) {
                throw new IllegalArgumentException(ABSOLUTE);
            }
            host = m.group(1);
            port = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        }
        if (host.isEmpty() || port > 65535) {
            throw new IllegalArgumentException(ABSOLUTE);
        }
        port = port < 0 ? defaultPort : port;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String shown = scheme + "://" + host + (port == defaultPort ? "" : ":" + port) + path;
        return new OutboundUrl(https, host, port, requestUri, shown);
    }

    @Override
    public String toString() {
        return shown;
    }
}
