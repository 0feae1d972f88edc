package io.ledgerline.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.platform.web.problem.DependencyOutage;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The bounded wait behind {@code minVersion}, on a clock that moves only when the wait pauses and a
 * read model that is a list of versions: no time passes, no store is read.
 */
class ReadYourWritesTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** A document of the read model as far as the wait cares: its version. */
  record Versioned(long version) {}

  private long now = 1_000_000_000L;
  private final List<Long> pauses = new ArrayList<>();
  private int reads;

  private final ReadYourWrites testSubject =
      new ReadYourWrites(
          TIMEOUT,
          () -> now,
          millis -> {
            pauses.add(millis);
            now += TimeUnit.MILLISECONDS.toNanos(millis);
          });

  @Test
  void withoutMinVersionReadsOnceAndReturnsWhateverIsThere() throws Exception {
    Versioned read = testSubject.await("account a-1", null, versions(3), Versioned::version);

    assertThat(read).isEqualTo(new Versioned(3));
    assertThat(reads).isEqualTo(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void aVersionAlreadyThereIsReturnedWithoutWaiting() throws Exception {
    Versioned read = testSubject.await("account a-1", 3L, versions(5), Versioned::version);

    assertThat(read).isEqualTo(new Versioned(5));
    assertThat(pauses).isEmpty();
  }

  @Test
  void returnsTheFirstReadThatReachedTheVersion() throws Exception {
    Versioned read =
        testSubject.await("account a-1", 4L, versions(-1, 2, 4, 9), Versioned::version);

    assertThat(read).isEqualTo(new Versioned(4));
    assertThat(reads).isEqualTo(3);
    assertThat(pauses).containsExactly(5L, 10L);
  }

  @Test
  void waitsForADocumentThatIsNotThereYet() throws Exception {
    Versioned read = testSubject.await("account a-1", 0L, versions(-1, -1, 0), Versioned::version);

    assertThat(read).isEqualTo(new Versioned(0));
    assertThat(reads).isEqualTo(3);
  }

  @Test
  void givesUpAtTheTimeoutWithWhereTheReadModelIs() {
    assertThatThrownBy(() -> testSubject.await("account a-1", 7L, versions(3), Versioned::version))
        .isInstanceOfSatisfying(
            ProjectionBehindException.class,
            behind -> {
              assertThat(behind.requested()).isEqualTo(7);
              assertThat(behind.current()).isEqualTo(3);
            })
        .hasMessage("account a-1 is at version 3, not yet at 7; retry shortly");
    assertThat(pauses.stream().mapToLong(Long::longValue).sum()).isEqualTo(TIMEOUT.toMillis());
  }

  @Test
  void aDocumentNeverThereIsBehindAtVersionMinusOne() {
    assertThatThrownBy(
            () -> testSubject.await("transfer t-1", 0L, versions(-1), Versioned::version))
        .isInstanceOfSatisfying(
            ProjectionBehindException.class, behind -> assertThat(behind.current()).isEqualTo(-1));
  }

  @Test
  void pausesBackOffToATenthOfASecondAndNeverSpin() {
    assertThatThrownBy(() -> testSubject.await("account a-1", 7L, versions(3), Versioned::version))
        .isInstanceOf(ProjectionBehindException.class);

    assertThat(pauses).startsWith(5L, 10L, 20L, 40L, 80L, 100L, 100L);
    assertThat(pauses).allSatisfy(pause -> assertThat(pause).isBetween(1L, 100L));
    // Five seconds at ten reads a second, plus the first few quicker ones.
    assertThat(reads).isEqualTo(pauses.size() + 1).isLessThan(60);
  }

  @Test
  void theLastPauseEndsAtTheDeadlineButNeverShrinksToNothing() throws Exception {
    ReadYourWrites nearlyOut =
        new ReadYourWrites(
            Duration.ofMillis(12),
            () -> now,
            millis -> {
              pauses.add(millis);
              // The clock runs a little faster than asked, as a real sleep does.
              now += TimeUnit.MILLISECONDS.toNanos(millis) + 200_000;
            });

    assertThatThrownBy(() -> nearlyOut.await("account a-1", 7L, versions(3), Versioned::version))
        .isInstanceOf(ProjectionBehindException.class);

    // 12 ms: 5, then 10 capped to the 6.8 ms left, then 1 (not 0) for the last 0.6 ms.
    assertThat(pauses).containsExactly(5L, 6L, 1L);
  }

  @Test
  void aNegativeMinVersionIsTheClientsMistake() {
    assertThatThrownBy(() -> testSubject.await("account a-1", -1L, versions(3), Versioned::version))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            invalid -> assertThat(invalid.parameter()).isEqualTo("minVersion"));
    assertThat(reads).isZero();
  }

  @Test
  void anInterruptedWaitStopsWaiting() {
    ReadYourWrites interrupted =
        new ReadYourWrites(
            TIMEOUT,
            () -> now,
            millis -> {
              throw new InterruptedException("shutting down");
            });

    assertThatThrownBy(() -> interrupted.await("account a-1", 7L, versions(3), Versioned::version))
        .isInstanceOf(InterruptedException.class);
    assertThat(reads).isEqualTo(1);
  }

  @Test
  void aReadModelBehindIsA503ThatAsksToRetry() {
    QueryProblems problems = new QueryProblems(new DependencyOutage(List.of()));

    ResponseEntity<ProblemDetail> response =
        problems.projectionBehind(new ProjectionBehindException("account a-1", 7, 3));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
    assertThat(response.getBody().getType().toString())
        .isEqualTo("urn:ledgerline:problem:projection-behind");
    assertThat(response.getBody().getProperties())
        .containsEntry("requestedVersion", 7L)
        .containsEntry("currentVersion", 3L);
  }

  /** A read model whose reads return these versions in turn (-1: nothing), then the last again. */
  private ReadYourWrites.Read<Versioned> versions(long... versions) {
    List<Long> sequence = new ArrayList<>();
    for (long version : versions) {
      sequence.add(version);
    }
    Iterator<Long> next = sequence.iterator();
    long[] last = {versions[0]};
    return () -> {
      reads++;
      if (next.hasNext()) {
        last[0] = next.next();
      }
      return last[0] < 0 ? null : new Versioned(last[0]);
    };
  }
}
