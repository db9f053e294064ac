package dev.conveyor.callback;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What a receiver does with {@code Conveyor-Signature}, written apart from the code that signs. */
final class SignatureCheck {

    private SignatureCheck() {
    }

    /** True when one of the header's v1 signatures is the HMAC-SHA256 of "t.body" under this secret. */
    static boolean verifies(String header, String body, String secret) throws Exception {
        String t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pair = part.split("=", 2);
            if (pair[0].equals("t")) {
                t = pair[1];
            } else if (pair[0].equals("v1")) {
                signatures.add(pair[1]);
            }
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        return t != null && signatures.contains(expected);
    }

    static long timestamp(String header) {
        return Long.parseLong(header.split(",")[0].substring(2));
    }
}
