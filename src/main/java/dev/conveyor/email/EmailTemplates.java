package dev.conveyor.email;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import dev.conveyor.handler.PermanentJobFailure;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.Variant;

/**
 * Email templates by name, rendered by Qute: {@code <name>.html} and/or {@code <name>.txt}, from
 * {@code conveyor.email.templates-dir} (read at each use, so that a mounted ConfigMap's update needs no restart) or
 * else shipped in the application under {@code templates/email/}. HTML templates escape what they insert.
 */
@Singleton
public class EmailTemplates {

    /** A name only: never a path, so that a job cannot read files outside the templates. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final String SHIPPED = "email/";
    private static final int MAX_ERROR = 300;

    /** What a template rendered to; either part may be null, not both. */
    public record Rendered(String text, String html) {
    }

    private final Engine engine;
    private final Optional<Path> dir;

    EmailTemplates(Engine engine, EmailConfig config) {
        this.engine = engine;
        this.dir = config.templatesDir();
    }

    /** True when a template of this name exists; only looks (a file's existence), parses nothing. */
    public boolean exists(String name) {
        if (!NAME.matcher(name).matches()) {
            return false;
        }
        for (String suffix : new String[] { "html", "txt" }) {
            if (mounted(name, suffix).isPresent() || engine.getTemplate(SHIPPED + name + "." + suffix) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Renders the template with {@code data} as its top-level values. Blocking (it may read files): call it off the
     * event loop. A template that is gone or fails to render is a {@link PermanentJobFailure}: retrying would fail the
     * same way.
     */
    public Rendered render(String name, Map<String, Object> data) {
        Optional<Template> html = find(name, "html");
        Optional<Template> text = find(name, "txt");
        if (html.isEmpty() && text.isEmpty()) {
            throw new PermanentJobFailure("template " + name + " does not exist");
        }
        try {
            return new Rendered(text.map(t -> render(t, data)).orElse(null), html.map(t -> render(t, data)).orElse(null));
        } catch (RuntimeException e) {
            throw new PermanentJobFailure("template " + name + " failed to render: " + shortened(e), e);
        }
    }

    private Optional<Template> find(String name, String suffix) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Optional<Path> file = mounted(name, suffix);
        if (file.isPresent()) {
            return Optional.of(parse(file.get(), suffix));
        }
        return Optional.ofNullable(engine.getTemplate(SHIPPED + name + "." + suffix));
    }

    private Optional<Path> mounted(String name, String suffix) {
        return dir.map(d -> d.resolve(name + "." + suffix)).filter(Files::isRegularFile);
    }

    private Template parse(Path file, String suffix) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + file.getFileName(), e);
        }
        Variant variant = Variant.forContentType("html".equals(suffix) ? Variant.TEXT_HTML : Variant.TEXT_PLAIN);
        try {
            return engine.parse(content, variant, file.getFileName().toString());
        } catch (RuntimeException e) {
            throw new PermanentJobFailure("template " + file.getFileName() + " cannot be parsed: " + shortened(e), e);
        }
    }

    private static String render(Template template, Map<String, Object> data) {
        TemplateInstance instance = template.instance();
        if (data != null) {
            data.forEach(instance::data);
        }
        return instance.render();
    }

    private static String shortened(Throwable e) {
        String message = String.valueOf(e.getMessage()).replaceAll("[\\r\\n\\t]+", " ");
        return message.length() <= MAX_ERROR ? message : message.substring(0, MAX_ERROR) + "...";
    }
}
