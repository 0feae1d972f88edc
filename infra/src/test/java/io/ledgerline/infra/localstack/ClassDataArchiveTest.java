package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which jar a service starts from, and when an archive belongs to a jar (no JVM is started). */
class ClassDataArchiveTest {

  @TempDir Path home;
  @TempDir Path build;

  @Test
  void untrainedServicesStartFromTheirExecutableJar() throws IOException {
    Path jar = jar("command-side-exec.jar", "one");

    assertThat(ClassDataArchive.trained(home, "command-side", jar)).isEmpty();
    assertThat(ClassDataArchive.of(home, "command-side", jar).launchArguments())
        .containsExactly("-jar", jar.toString());
  }

  @Test
  void aTrainedArchiveRunsTheExtractedJarWithTheArchiveMapped() throws IOException {
    Path jar = jar("command-side-exec.jar", "one");
    Path folder = trainByHand(jar);

    assertThat(ClassDataArchive.trained(home, "command-side", jar))
        .contains(
            List.of(
                "-XX:SharedArchiveFile=" + folder.resolve("app.jsa"),
                "-jar",
                folder.resolve("command-side-exec.jar").toString()));
  }

  @Test
  void aJarWithOtherContentNeedsItsOwnTrainingAndTheSameContentDoesNot() throws IOException {
    Path jar = jar("command-side-exec.jar", "one");
    trainByHand(jar);

    Files.writeString(jar, "two"); // rebuilt with a change
    assertThat(ClassDataArchive.trained(home, "command-side", jar)).isEmpty();

    Files.writeString(jar, "one"); // rebuilt without one: same bytes, a new modification time
    assertThat(ClassDataArchive.trained(home, "command-side", jar)).isPresent();
  }

  @Test
  void anArchiveStillBeingWrittenIsNotUsed() throws IOException {
    Path jar = jar("command-side-exec.jar", "one");
    leave(jar, "extracted", "app.jsa.part");

    assertThat(ClassDataArchive.trained(home, "command-side", jar)).isEmpty();
  }

  @Test
  void aHalfExtractedJarIsNotUsed() throws IOException {
    Path jar = jar("command-side-exec.jar", "one");
    leave(jar, "app.jsa"); // the extraction never marked complete

    assertThat(ClassDataArchive.trained(home, "command-side", jar)).isEmpty();
  }

  @Test
  void aTrainingThatFailedIsNotRepeatedForTheSameBuild() throws IOException {
    Path jar = jar("command-side-exec.jar", "one");
    Path folder = folderOf(jar);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("training-failed"), "its training exited with status 1");
    var out = new java.io.ByteArrayOutputStream();

    boolean trained =
        ClassDataArchive.of(home, "command-side", jar)
            .train(
                "command-side",
                List.of(),
                java.util.Map.of(),
                home.resolve("training.log"),
                new Log(new java.io.PrintStream(out, true)));

    assertThat(trained).isFalse();
    assertThat(out.toString())
        .contains("its training exited with status 1")
        .contains("delete " + folder + " to train again");
    assertThat(home.resolve("training.log")).doesNotExist(); // no JVM was started
  }

  /** The extracted jar and the named marker files, as an interrupted start would leave them. */
  private void leave(Path jar, String... files) throws IOException {
    Path folder = folderOf(jar);
    Files.createDirectories(folder);
    Files.copy(jar, folder.resolve(jar.getFileName()));
    for (String file : files) {
      Files.writeString(folder.resolve(file), "left");
    }
  }

  private Path jar(String name, String content) throws IOException {
    return Files.writeString(build.resolve(name), content);
  }

  /** What a training run leaves: the extracted jar and the archive beside it. */
  private Path trainByHand(Path jar) throws IOException {
    Path folder = folderOf(jar);
    Files.createDirectories(folder);
    Files.copy(jar, folder.resolve(jar.getFileName()));
    Files.writeString(folder.resolve("extracted"), jar.toString());
    Files.writeString(folder.resolve("app.jsa"), "archive");
    return folder;
  }

  private Path folderOf(Path jar) throws IOException {
    return ClassDataArchive.of(home, "command-side", jar).folder();
  }
}
