package io.ledgerline.query.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.platform.web.problem.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeedCursorTest {

  @Test
  void anIdRoundTrips() {
    FeedCursor cursor = FeedCursor.parse(" 4711 ");

    assertThat(cursor.position()).isEqualTo(4711);
    assertThat(cursor.encode()).isEqualTo("4711");
    assertThat(FeedCursor.parse(cursor.encode())).isEqualTo(cursor);
  }

  @Test
  void noIdIsTheStartOfTheStore() {
    assertThat(FeedCursor.parse(null)).isEqualTo(FeedCursor.START);
    assertThat(FeedCursor.parse("  ")).isEqualTo(FeedCursor.START);
    assertThat(FeedCursor.START.position()).isZero();
  }

  @Test
  void advancingMovesForwardOnly() {
    FeedCursor cursor = FeedCursor.parse("41");

    assertThat(cursor.advance(42).encode()).isEqualTo("42");
    assertThat(cursor.advance(41)).isSameAs(cursor);
    assertThat(cursor.advance(12)).as("an event seen again").isSameAs(cursor);
    assertThat(cursor.encode()).as("the cursor it advanced from").isEqualTo("41");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1",
        "a",
        "1.5",
        "1e3",
        "0x10",
        "99999999999999999999",
        // the feed's ids before they were store positions: Kafka offsets per partition
        "0:41,3:17",
        "0:41"
      })
  void anIdTheFeedNeverSentIsRefused(String lastEventId) {
    assertThatThrownBy(() -> FeedCursor.parse(lastEventId))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            invalid -> assertThat(invalid.parameter()).isEqualTo("Last-Event-ID"));
  }
}
