package dev.conveyor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link AuthOn} plus JWT verification: tokens of issuer {@value #ISSUER} signed with {@link #signingKey()}, which the
 * test signs itself (no identity server). The key pair is made once under target/, where both the profile (public key
 * for the application) and the test class (private key) find it from their different class loaders.
 */
public class JwtOn extends AuthOn {

    public static final String ISSUER = "https://issuer.conveyor.test";
    private static final Path DIR = Path.of("target", "jwt-test").toAbsolutePath();
    private static final Path PRIVATE_KEY = DIR.resolve("private.der");
    private static final Path PUBLIC_KEY = DIR.resolve("public.pem");

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        makeKeys();
        config.put("mp.jwt.verify.publickey.location", PUBLIC_KEY.toUri().toString());
        config.put("mp.jwt.verify.issuer", ISSUER);
        return config;
    }

    /** The private key that signs valid tokens. */
    public static PrivateKey signingKey() {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(PRIVATE_KEY)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void makeKeys() {
        try {
            if (Files.isRegularFile(PUBLIC_KEY)) {
                return;
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Files.createDirectories(DIR);
            Files.write(PRIVATE_KEY, keys.getPrivate().getEncoded());
            Files.writeString(PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
