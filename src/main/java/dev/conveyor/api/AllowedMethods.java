package dev.conveyor.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.arc.properties.UnlessBuildProperty;

/**
 * The methods each path of the API really has, for the {@code Allow} header (RFC 9110) of a 405 and of the answer to
 * {@code OPTIONS}. Quarkus REST answers {@code OPTIONS} itself with every method of the resource class, whatever the
 * path (so {@code OPTIONS /jobs} listed {@code DELETE}), and its 405 carries no {@code Allow}: both are answered from
 * this table instead, read from the resource classes' own annotations. A path matches the templates with the most
 * literal characters first, as JAX-RS matches them ({@code /jobs/batch} before {@code /jobs/{id}}).
 */
@Singleton
@UnlessBuildProperty(name = "conveyor.role", stringValue = "worker", enableIfMissing = true)
public class AllowedMethods {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\s*\\w[\\w.-]*\\s*(?::\\s*((?:[^{}]|\\{[^{}]*})*))?}");

    private final List<Route> routes;
    /** The resource classes' own paths, each with whatever follows: where Quarkus REST answered any OPTIONS. */
    private final List<Pattern> roots;

    AllowedMethods(BeanManager beans) {
        List<Route> found = new ArrayList<>();
        List<Pattern> resources = new ArrayList<>();
        beans.getBeans(Object.class, Any.Literal.INSTANCE).forEach(bean -> {
            Path root = bean.getBeanClass().getAnnotation(Path.class);
            if (root != null) {
                resources.add(Pattern.compile(Route.of("", join(root.value(), "")).pattern().pattern() + "(/.*)?"));
                found.addAll(routes(bean.getBeanClass(), root));
            }
        });
        found.sort(Comparator.comparingInt(Route::literalLength).reversed());
        this.routes = List.copyOf(found);
        this.roots = List.copyOf(resources);
    }

    /**
     * Answers {@code OPTIONS} of a path of the API with its methods, and of an unknown path below a resource with 404;
     * other paths go on as usual. Before matching, since Quarkus REST ends an {@code OPTIONS} exchange itself.
     */
    @ServerRequestFilter(preMatching = true)
    public RestResponse<Void> options(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            return null;
        }
        String path = request.getUriInfo().getPath();
        String allow = allow(path);
        if (allow == null && roots.stream().anyMatch(root -> root.matcher(path).matches())) {
            throw new NotFoundException();
        }
        return allow == null ? null : RestResponse.ResponseBuilder.<Void>ok().header(HttpHeaders.ALLOW, allow).build();
    }

    /** The {@code Allow} value of a path, such as {@code GET, HEAD, OPTIONS, POST}; null when the API has no such path. */
    public String allow(String path) {
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Set<String> methods = new TreeSet<>();
        int best = -1;
        for (Route route : routes) {
            if (route.literalLength() < best) {
                break;
            }
            if (route.pattern().matcher(normalized).matches()) {
                best = route.literalLength();
                methods.add(route.method());
            }
        }
        if (methods.isEmpty()) {
            return null;
        }
        if (methods.contains(HttpMethod.GET)) {
            methods.add(HttpMethod.HEAD);
        }
        methods.add(HttpMethod.OPTIONS);
        return String.join(", ", methods);
    }

    private static List<Route> routes(Class<?> resource, Path root) {
        List<Route> found = new ArrayList<>();
        for (Method method : resource.getMethods()) {
            String httpMethod = httpMethod(method);
            if (httpMethod != null) {
                Path sub = method.getAnnotation(Path.class);
                found.add(Route.of(httpMethod, join(root.value(), sub == null ? "" : sub.value())));
            }
        }
        return found;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (httpMethod != null) {
                return httpMethod.value();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** One resource method: its HTTP method and path template as a pattern. */
    private record Route(String method, Pattern pattern, int literalLength) {

        static Route of(String method, String template) {
            StringBuilder regex = new StringBuilder();
            int literal = 0;
            int last = 0;
            Matcher variable = VARIABLE.matcher(template);
            while (variable.find()) {
                regex.append(Pattern.quote(template.substring(last, variable.start())));
                literal += variable.start() - last;
                regex.append('(').append(variable.group(1) == null ? "[^/]+" : variable.group(1).trim()).append(')');
                last = variable.end();
            }
            regex.append(Pattern.quote(template.substring(last)));
            literal += template.length() - last;
            return new Route(method, Pattern.compile(regex.toString()), literal);
        }
    }
}
