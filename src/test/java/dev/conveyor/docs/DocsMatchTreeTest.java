package dev.conveyor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README and docs/ name files, scripts and classes of this repository and link to each other: each name must
 * exist in the tree, and each relative link must lead to a file (and heading) that exists. Plain file reads, no
 * Quarkus, so a renamed class or script fails the build until the docs follow.
 */
class DocsMatchTreeTest {

    private static final Pattern REPO_PATH = Pattern.compile("(?<![\\w./@-])(?:src|k8s|bench|docs)/[\\w./-]*");
    private static final Pattern LUA_SCRIPT = Pattern.compile("(?<![\\w/-])[\\w-]+\\.lua\\b");
    private static final Pattern LAYOUT_HEADING = Pattern.compile("(?im)^#{1,6}\\s+(?:project\\s+)?layout\\s*$");
    private static final Pattern NEXT_HEADING = Pattern.compile("(?m)^#{1,6}\\s");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern CLASS_NAME = Pattern.compile("@?([A-Z][A-Za-z0-9]*)(?:\\.java)?");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$");

    private final Path root = Path.of("").toAbsolutePath();

    @Test
    void repositoryPathsInTheDocsExist() {
        for (Path doc : docs()) {
            assertThat(missingPaths(read(doc))).as("paths named in %s", doc).isEmpty();
        }
    }

    @Test
    void luaScriptsInTheDocsExist() {
        for (Path doc : docs()) {
            assertThat(missingScripts(read(doc))).as("scripts named in %s", doc).isEmpty();
        }
    }

    @Test
    void classesInTheLayoutExist() {
        List<String> layouts = docs().stream().map(this::read).filter(text -> LAYOUT_HEADING.matcher(text).find())
                .toList();
        assertThat(layouts).as("a layout section in README.md or docs/").isNotEmpty();
        for (String text : layouts) {
            assertThat(missingLayoutClasses(text)).isEmpty();
        }
    }

    @Test
    void relativeLinksResolve() {
        for (Path doc : docs()) {
            assertThat(brokenLinks(doc, read(doc))).as("links in %s", doc).isEmpty();
        }
    }

    @Test
    void wrongNamesAreReported() {
        String doc = """
                See `src/main/java/dev/conveyor/queue/NoSuchStore.java`, k8s/base/api.yaml and `claim-all.lua`.
                ## Layout
                `JobStore`, `NoSuchInspector`, `@NoSuchRole`
                ## More
                [api](api.md), [nowhere](missing.md), [heading](api.md#no-such-heading), [web](https://example.com)
                """;

        assertThat(missingPaths(doc)).containsExactly("src/main/java/dev/conveyor/queue/NoSuchStore.java");
        assertThat(missingScripts(doc)).containsExactly("claim-all.lua");
        assertThat(missingLayoutClasses(doc)).containsExactly("NoSuchInspector", "NoSuchRole");
        assertThat(brokenLinks(root.resolve("docs/example.md"), doc))
                .containsExactly("missing.md", "api.md#no-such-heading");
    }

    private List<Path> docs() {
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<String> missingPaths(String text) {
        return matches(REPO_PATH, text, 0).stream()
                .map(path -> path.replaceAll("[.]+$", ""))
                .filter(path -> !Files.exists(root.resolve(path)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private Set<String> missingScripts(String text) {
        Set<String> scripts = fileNames(root.resolve("src/main/resources/lua"), ".lua");
        return matches(LUA_SCRIPT, text, 0).stream().filter(name -> !scripts.contains(name))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Class names in code spans of the layout section: each must be a source file under src/main/java. */
    private Set<String> missingLayoutClasses(String text) {
        Matcher heading = LAYOUT_HEADING.matcher(text);
        if (!heading.find()) {
            return Set.of();
        }
        String section = text.substring(heading.end());
        Matcher next = NEXT_HEADING.matcher(section);
        section = next.find() ? section.substring(0, next.start()) : section;
        Set<String> classes = fileNames(root.resolve("src/main/java"), ".java");
        Set<String> missing = new LinkedHashSet<>();
        for (String span : matches(CODE_SPAN, section, 1)) {
            Matcher name = CLASS_NAME.matcher(span);
            if (name.matches() && !classes.contains(name.group(1) + ".java")) {
                missing.add(name.group(1));
            }
        }
        return missing;
    }

    private Set<String> brokenLinks(Path doc, String text) {
        Set<String> broken = new LinkedHashSet<>();
        for (String target : matches(LINK, text, 1)) {
            if (target.matches("^[a-z]+:.*")) {
                continue;
            }
            String[] fileAndAnchor = target.split("#", 2);
            Path file = fileAndAnchor[0].isEmpty() ? doc : doc.getParent().resolve(fileAndAnchor[0]).normalize();
            boolean resolves = Files.exists(file) && (fileAndAnchor.length == 1
                    || headingAnchors(file == doc ? text : read(file)).contains(fileAndAnchor[1]));
            if (!resolves) {
                broken.add(target);
            }
        }
        return broken;
    }

    /** GitHub's anchors: lower case, punctuation dropped, spaces to hyphens; headings inside code blocks do not count. */
    private static Set<String> headingAnchors(String markdown) {
        return matches(HEADING, FENCE.matcher(markdown).replaceAll(""), 1).stream()
                .map(title -> title.toLowerCase().replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }

    private static Set<String> fileNames(Path dir, String suffix) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(suffix))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> matches(Pattern pattern, String text, int group) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(group));
        }
        return found;
    }

    private String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
