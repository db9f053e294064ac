package dev.conveyor.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The application's own classes as compiled to target/classes, loaded without running their initializers. */
final class CompiledClasses {

    private static final Path ROOT = Path.of("target", "classes");

    private CompiledClasses() {
    }

    /** Every class below a package directory such as {@code dev/conveyor/api}. */
    static List<Class<?>> under(String packageDir) throws IOException, ClassNotFoundException {
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve(packageDir))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = ROOT.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                classes.add(Class.forName(name, false, CompiledClasses.class.getClassLoader()));
            }
        }
        return classes;
    }
}
