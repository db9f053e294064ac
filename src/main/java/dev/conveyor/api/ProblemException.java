package dev.conveyor.api;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Thrown by resources to answer with a problem body; see {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String typeSlug;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Map<String, Object> extra;

    public ProblemException(int status, String typeSlug, String title, String detail, List<Problem.FieldError> errors,
            Map<String, Object> extra) {
        super(detail, null, false, false);
        this.status = status;
        this.typeSlug = typeSlug;
        this.title = title;
        this.errors = errors;
        this.extra = extra;
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new ProblemException(422, "validation", "Invalid request", detail, errors, null);
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", "Not found", what, null, null);
    }

    public Problem toProblem(String instance) {
        return new Problem(type(typeSlug), title, status, getMessage(), instance, errors, extra);
    }

    public int status() {
        return status;
    }

    /** Problem types are documented under this base (see docs/api.md, "Errors"). */
    static URI type(String slug) {
        return URI.create("https://conveyor.dev/problems/" + slug);
    }
}
