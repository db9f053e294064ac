package dev.conveyor.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A redis-server process on loopback, for dev mode and tests: the {@code redis-server} on PATH if there is one, else
 * the binary shipped in the {@code com.github.codemonstur:embedded-redis} artifact (a dev/test-only dependency).
 */
public final class LocalRedis implements AutoCloseable {

    /** Ports {@link #freePort()} gave out, so that two callers never get the same one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static final String[] SHIPPED_BINARIES = {
        "redis-server-6.2.6-v5-linux-amd64", "redis-server-6.2.7-linux-arm64", "redis-server-6.2.6-v5-darwin-amd64",
        "redis-server-6.2.6-v5-darwin-arm64" };

    private final Process process;
    private final int port;
    private final String binary;
    private final Path dir;
    private final String[] extraArgs;

    private LocalRedis(Process process, int port, String binary, Path dir, String[] extraArgs) {
        this.process = process;
        this.port = port;
        this.binary = binary;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    /** Starts redis-server on 127.0.0.1:{@code port} keeping its files in {@code dir}, and waits until it answers. */
    public static LocalRedis start(int port, Path dir, String... extraArgs) throws IOException {
        Files.createDirectories(dir);
        String binary = findBinary();
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--protected-mode", "no"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".log").toFile()))
                .start();
        LocalRedis redis = new LocalRedis(process, port, binary, dir, extraArgs.clone());
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!answers("127.0.0.1", port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                redis.close();
                throw new IOException("redis-server did not start on port " + port + "; see " + dir);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting redis-server", e);
            }
        }
        return redis;
    }

    /** True when a Redis server answers PING at host:port within a short bound (NOAUTH too: it demands a password). */
    public static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            String answer = read > 0 ? new String(reply, 0, read, StandardCharsets.US_ASCII) : "";
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port nothing listens on, below Linux' ephemeral range (32768 and up): a port from that range can be taken by
     * another process' outgoing connection before the caller binds it. Never the same port twice in this JVM.
     */
    public static int freePort() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; tries < 200; tries++) {
            int port = 20_000 + random.nextInt(12_000);
            if (HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A port for a cluster node: free, and so is its cluster bus port (the port + 10000), both below the ephemeral
     * range and never handed out before in this JVM.
     */
    public static int freeClusterPort() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; tries < 200; tries++) {
            int port = 10_000 + random.nextInt(12_700);
            if (HANDED_OUT.add(port) && HANDED_OUT.add(port + 10_000) && bindable(port) && bindable(port + 10_000)) {
                return port;
            }
        }
        throw new IOException("no free port pair for a cluster node below 32768");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String binary() {
        return binary;
    }

    public long pid() {
        return process.pid();
    }

    /** Starts a new redis-server on the same port, with the same directory (so the same data files) and arguments. */
    public LocalRedis restart() throws IOException {
        return start(port, dir, extraArgs);
    }

    /** Kills the server with SIGKILL (no chance to save or flush anything) and waits until it is gone. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server with SIGTERM (it saves and closes its files) and waits, at most 10 s, then SIGKILL. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String findBinary() throws IOException {
        Optional<Path> onPath = onPath("redis-server");
        if (onPath.isPresent()) {
            return onPath.get().toString();
        }
        String wanted = "-" + os() + "-" + arch();
        for (String name : SHIPPED_BINARIES) {
            if (!name.endsWith(wanted)) {
                continue;
            }
            try (InputStream in = LocalRedis.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    break;
                }
                Path file = Path.of(System.getProperty("java.io.tmpdir"), "conveyor-" + name);
                Path partial = Files.createTempFile(file.getParent(), "conveyor-redis", ".tmp");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                partial.toFile().setExecutable(true);
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return file.toString();
            }
        }
        throw new IOException("no redis-server on PATH and none shipped for " + os() + "/" + arch()
                + "; install Redis >= 6.2 (e.g. apt-get install redis-server)");
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String os() {
        String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return name.contains("mac") ? "darwin" : name.contains("linux") ? "linux" : name;
    }

    private static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("x86_64") || arch.equals("amd64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch;
    }
}
