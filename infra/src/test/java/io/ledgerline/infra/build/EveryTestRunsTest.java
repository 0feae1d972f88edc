package io.ledgerline.infra.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Surefire and Failsafe choose test classes by name, so a test class named otherwise compiles and
 * silently never runs. This walks the test sources of every module and names each such class.
 */
class EveryTestRunsTest {

  // The includes of maven-surefire-plugin in the root pom.xml.
  private static final Pattern SUREFIRE_NAME = Pattern.compile(".*(Test|Tests|Properties)");

  // Failsafe's default include; it runs only in modules whose pom.xml binds it.
  private static final Pattern FAILSAFE_NAME = Pattern.compile(".*IT");

  private static final Pattern TEST_ANNOTATION =
      Pattern.compile(
          "@(?:[\\w.]+\\.)?(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate"
              + "|Property|Example|ArchTest)\\b");

  @Test
  void everyTestClassIsNamedSoThatSurefireOrFailsafeRunsIt() throws IOException {
    Path repository = repository();
    List<Path> testSourceRoots = testSourceRoots(repository);
    List<String> neverRun = new ArrayList<>();
    int testClasses = 0;
    for (Path sources : testSourceRoots) {
      Path module = sources.getParent().getParent().getParent();
      boolean failsafe = bindsFailsafe(module);
      for (Path file : javaFiles(sources)) {
        String source = code(Files.readString(file));
        String name = file.getFileName().toString().replaceFirst("\\.java$", "");
        if (!TEST_ANNOTATION.matcher(source).find() || isAbstract(source, name)) {
          continue;
        }
        testClasses++;
        if (SUREFIRE_NAME.matcher(name).matches()) {
          continue;
        }
        if (FAILSAFE_NAME.matcher(name).matches()) {
          if (!failsafe) {
            neverRun.add(
                repository.relativize(file)
                    + " (an *IT, but "
                    + repository.relativize(module.resolve("pom.xml"))
                    + " runs no Failsafe)");
          }
          continue;
        }
        neverRun.add(repository.relativize(file).toString());
      }
    }

    assertThat(testClasses)
        .as("test classes found under %s (is it the repository?)", testSourceRoots)
        .isGreaterThan(1);
    assertThat(neverRun)
        .withFailMessage(
            "These test classes never run: Surefire runs *Test, *Tests and *Properties, Failsafe"
                + " runs *IT. Rename them:%n  %s",
            String.join(System.lineSeparator() + "  ", neverRun))
        .isEmpty();
  }

  /** The repository root: Failsafe and Surefire set it; otherwise the parent of infra/. */
  private static Path repository() {
    String configured = System.getProperty("ledgerline.repo");
    Path repository = Path.of(configured != null ? configured : "..").toAbsolutePath().normalize();
    assertThat(repository.resolve("pom.xml")).as("the repository's root pom").isRegularFile();
    return repository;
  }

  private static List<Path> testSourceRoots(Path repository) throws IOException {
    List<Path> roots = new ArrayList<>();
    Files.walkFileTree(
        repository,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            String name = dir.getFileName().toString();
            if (!dir.equals(repository)
                && (name.startsWith(".") || name.equals("target") || name.equals("node_modules"))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            if (dir.endsWith(Path.of("src", "test", "java"))) {
              roots.add(dir);
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }
        });
    roots.sort(null);
    return roots;
  }

  private static List<Path> javaFiles(Path sources) throws IOException {
    try (Stream<Path> files = Files.walk(sources)) {
      return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
    }
  }

  /**
   * The source without comments and literals, so a mention of an annotation is not taken for one.
   */
  private static String code(String source) {
    StringBuilder code = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      if (source.startsWith("//", i)) {
        i = end(source.indexOf('\n', i), source);
      } else if (source.startsWith("/*", i)) {
        i = end(source.indexOf("*/", i + 2), source) + 2;
      } else if (source.startsWith("\"\"\"", i)) {
        i = end(source.indexOf("\"\"\"", i + 3), source) + 3;
      } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
        char quote = source.charAt(i++);
        while (i < source.length() && source.charAt(i) != quote) {
          i += source.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
      } else {
        code.append(source.charAt(i++));
        continue;
      }
      code.append(' ');
    }
    return code.toString();
  }

  private static int end(int index, String source) {
    return index < 0 ? source.length() : index;
  }

  // Surefire skips abstract classes: their tests run in the concrete subclasses.
  private static boolean isAbstract(String source, String name) {
    return Pattern.compile("\\babstract\\b[^{;]*\\bclass\\s+" + Pattern.quote(name) + "\\b")
        .matcher(source)
        .find();
  }

  private static boolean bindsFailsafe(Path module) throws IOException {
    Path pom = module.resolve("pom.xml");
    return Files.isRegularFile(pom)
        && Files.readString(pom).contains("<artifactId>maven-failsafe-plugin</artifactId>");
  }
}
