package io.ledgerline.query.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeedCursorTest {

  @Test
  void anIdRoundTripsInPartitionOrder() {
    FeedCursor cursor = FeedCursor.parse("3:17, 0:41");

    assertThat(cursor.offsets()).containsExactly(Map.entry(0, 41L), Map.entry(3, 17L));
    assertThat(cursor.encode()).isEqualTo("0:41,3:17");
    assertThat(FeedCursor.parse(cursor.encode()).offsets()).isEqualTo(cursor.offsets());
  }

  @Test
  void noIdIsTheStartOfEveryPartition() {
    assertThat(FeedCursor.parse(null).offsets()).isEmpty();
    assertThat(FeedCursor.parse("  ").offsets()).isEmpty();
    assertThat(FeedCursor.parse(null).encode()).isEmpty();
  }

  @Test
  void minusOneIsBeforeTheFirstOffset() {
    assertThat(FeedCursor.parse("2:-1").offsets()).containsExactly(Map.entry(2, -1L));
  }

  @Test
  void advancingMovesOnePartitionForward() {
    FeedCursor start = FeedCursor.parse("0:41,3:17");

    FeedCursor next = start.advance(3, 18).advance(5, 0);

    assertThat(next.encode()).isEqualTo("0:41,3:18,5:0");
    assertThat(start.encode()).as("the cursor it advanced from").isEqualTo("0:41,3:17");
  }

  @Test
  void aMovementSeenAgainNeverMovesThePositionBack() {
    FeedCursor cursor = FeedCursor.parse("0:41");

    assertThat(cursor.advance(0, 12).encode()).isEqualTo("0:41");
    assertThat(cursor.advance(0, 41).encode()).isEqualTo("0:41");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "0:",
        ":5",
        "0:1:2",
        "a:1",
        "0:b",
        "-1:5",
        "1024:5",
        "0:-2",
        "0:1,,1:2",
        "0:99999999999999999999",
        "0:1;1:2"
      })
  void anIdTheFeedNeverSentIsRefused(String lastEventId) {
    assertThatThrownBy(() -> FeedCursor.parse(lastEventId))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            invalid -> assertThat(invalid.parameter()).isEqualTo("Last-Event-ID"));
  }

  @Test
  void anIdOfMorePartitionsThanAnyTopicHasIsRefused() {
    String tooMany =
        IntStream.range(0, 2_000).mapToObj(i -> "0:" + i).collect(Collectors.joining(","));

    assertThatThrownBy(() -> FeedCursor.parse(tooMany))
        .isInstanceOf(InvalidParameterException.class);
  }
}
