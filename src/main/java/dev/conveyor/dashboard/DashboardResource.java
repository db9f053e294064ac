package dev.conveyor.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.conveyor.role.ApiRole;

/**
 * Serves the dashboard: one static page and its script, style and icon, from the jar. The files hold no data, so they
 * need no credential; everything they show comes from the JSON API with the key the operator enters, under the same
 * access control as any client.
 */
@Path("/ui")
@ApiRole
public class DashboardResource {

    /** The files, by the name the page uses, with their media types; nothing else is served. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html;charset=UTF-8",
            "app.js", "text/javascript;charset=UTF-8",
            "app.css", "text/css;charset=UTF-8",
            "favicon.svg", "image/svg+xml");

    /** Scripts and styles only from this origin, calls only to it, no framing: an injected value cannot run. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    private record Asset(byte[] bytes, String mediaType, EntityTag tag) {
    }

    @GET
    @PermitAll
    @Operation(hidden = true)
    public Response page(Request request) {
        return serve("index.html", request);
    }

    @GET
    @Path("/{file}")
    @PermitAll
    @Operation(hidden = true)
    public Response file(@PathParam("file") String file, Request request) {
        if (!FILES.containsKey(file)) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        return serve(file, request);
    }

    private Response serve(String name, Request request) {
        Asset asset = assets.computeIfAbsent(name, DashboardResource::load);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(asset.tag());
        Response.ResponseBuilder answer = notModified != null ? notModified
                : Response.ok(asset.bytes(), asset.mediaType()).tag(asset.tag());
        // revalidated on every load, so that a new version shows at once; unchanged files cost a 304
        return answer.header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static Asset load(String name) {
        try (InputStream in = DashboardResource.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the application: " + name);
            }
            byte[] bytes = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
            return new Asset(bytes, FILES.get(name), new EntityTag(hash));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
