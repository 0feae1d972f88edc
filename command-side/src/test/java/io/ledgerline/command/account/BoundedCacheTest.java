package io.ledgerline.command.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {

  private final BoundedCache testSubject = new BoundedCache(2);

  @Test
  void canKeepEntriesThroughACollectionWhileTheHeapHasRoom() {
    testSubject.put("a", new Object());
    testSubject.put("b", new Object());
    System.gc();

    assertThat((Object) testSubject.get("a")).isNotNull();
    assertThat((Object) testSubject.get("b")).isNotNull();
  }

  @Test
  void cannotHoldMoreThanItsBoundAndEvictsTheLeastRecentlyUsed() {
    List<Object> expired = new ArrayList<>();
    testSubject.registerCacheEntryListener(
        new Cache.EntryListenerAdapter() {
          @Override
          public void onEntryExpired(Object key) {
            expired.add(key);
          }
        });
    testSubject.put("a", "A");
    testSubject.put("b", "B");
    testSubject.get("a");

    testSubject.put("c", "C");

    assertThat(testSubject.size()).isEqualTo(2);
    assertThat(testSubject.containsKey("b")).isFalse();
    assertThat(testSubject.containsKey("a")).isTrue();
    assertThat(expired).containsExactly("b");
  }

  @Test
  void canComputeOnlyWhatIsAbsentAndUpdateOnlyWhatIsPresent() {
    assertThat(testSubject.computeIfAbsent("a", () -> "A")).isEqualTo("A");
    assertThat(testSubject.computeIfAbsent("a", () -> "other")).isEqualTo("A");
    assertThat(testSubject.putIfAbsent("a", "other")).isFalse();

    testSubject.<String>computeIfPresent("a", v -> v + "!");
    testSubject.<String>computeIfPresent("missing", v -> v + "!");

    assertThat((String) testSubject.get("a")).isEqualTo("A!");
    assertThat(testSubject.containsKey("missing")).isFalse();
    assertThat(testSubject.remove("a")).isTrue();
    assertThat(testSubject.remove("a")).isFalse();
  }

  @Test
  void cannotBeBuiltWithoutRoom() {
    assertThatThrownBy(() -> new BoundedCache(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
