package io.ledgerline.query.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.query.reconciliation.AggregateFold.AccountFold;
import io.ledgerline.query.reconciliation.AggregateFold.TransferFold;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SortedMergeTest {

  private final Differences differences = new Differences(100);

  @Test
  void equalSidesHaveNoDifferences() {
    var merge = accounts(account("a-1", 100, 3), account("a-2", 0, 0));
    merge.expect("a-1", new AccountFold("o-1", "EUR", 100, "OPEN", 3));
    merge.expect("a-2", new AccountFold("o-1", "EUR", 0, "OPEN", 0));
    merge.finish();

    assertThat(differences.first()).isEmpty();
    assertThat(differences.total()).isZero();
    assertThat(merge.checked()).isEqualTo(2);
  }

  @Test
  void anIdOnlyInTheStoreIsAMissingDocument() {
    var merge = accounts(account("a-1", 100, 3));
    merge.expect("a-0", new AccountFold("o-1", "EUR", 5, "OPEN", 1));
    merge.expect("a-1", new AccountFold("o-1", "EUR", 100, "OPEN", 3));
    merge.expect("a-2", new AccountFold("o-1", "EUR", 7, "OPEN", 1));
    merge.finish();

    assertThat(differences.first())
        .containsExactly("account a-0 is missing", "account a-2 is missing");
    assertThat(merge.checked()).isEqualTo(3);
  }

  @Test
  void anIdOnlyInTheReadModelIsADocumentWithoutEvents() {
    var merge = accounts(account("a-0", 1, 0), account("a-1", 100, 3), account("a-2", 1, 0));
    merge.expect("a-1", new AccountFold("o-1", "EUR", 100, "OPEN", 3));
    merge.finish();

    assertThat(differences.first())
        .containsExactly("account a-0 has no events", "account a-2 has no events");
  }

  @Test
  void differentFieldsAreEachReported() {
    var merge =
        accounts(
            Map.of(
                "accountId", "a-1",
                "ownerId", "o-2",
                "currency", "USD",
                "balance", 90,
                "status", "FROZEN",
                "version", 2));
    merge.expect("a-1", new AccountFold("o-1", "EUR", 100, "OPEN", 3));
    merge.finish();

    assertThat(differences.first())
        .containsExactly(
            "account a-1: balance is 90, the events say 100",
            "account a-1: version is 2, the events say 3",
            "account a-1: status is FROZEN, the events say OPEN",
            "account a-1: currency is USD, the events say EUR",
            "account a-1: ownerId is o-2, the events say o-1");
  }

  @Test
  void aTransferComparesStatusAndVersion() {
    var merge =
        new SortedMerge<TransferFold>(
            "transfer",
            documents(
                Map.of("transferId", "t-1", "status", "REQUESTED", "version", 0),
                Map.of("transferId", "t-2", "status", "FAILED", "version", 1)),
            AggregateFold::compareTransfer,
            differences);
    merge.expect("t-1", new TransferFold("COMPLETED", 1));
    merge.expect("t-2", new TransferFold("FAILED", 1));
    merge.finish();

    assertThat(differences.first())
        .containsExactly(
            "transfer t-1: status is REQUESTED, the events say COMPLETED",
            "transfer t-1: version is 0, the events say 1");
  }

  @Test
  void interleavedIdsAreMatchedPairwise() {
    var merge =
        accounts(account("a", 1, 0), account("c", 3, 0), account("d", 4, 0), account("f", 6, 0));
    merge.expect("b", new AccountFold("o-1", "EUR", 2, "OPEN", 0));
    merge.expect("c", new AccountFold("o-1", "EUR", 3, "OPEN", 0));
    merge.expect("e", new AccountFold("o-1", "EUR", 5, "OPEN", 0));
    merge.expect("f", new AccountFold("o-1", "EUR", 6, "OPEN", 0));
    merge.expect("g", new AccountFold("o-1", "EUR", 7, "OPEN", 0));
    merge.finish();

    assertThat(differences.first())
        .containsExactly(
            "account a has no events",
            "account b is missing",
            "account d has no events",
            "account e is missing",
            "account g is missing");
    assertThat(merge.checked()).isEqualTo(4 + 1);
  }

  @Test
  void emptySides() {
    var bothEmpty = accounts();
    bothEmpty.finish();
    assertThat(differences.first()).isEmpty();

    var noDocuments = accounts();
    noDocuments.expect("a-1", new AccountFold("o-1", "EUR", 0, "OPEN", 0));
    noDocuments.finish();
    assertThat(differences.first()).containsExactly("account a-1 is missing");

    var noEvents = accounts(account("a-2", 0, 0));
    noEvents.finish();
    assertThat(differences.first())
        .containsExactly("account a-1 is missing", "account a-2 has no events");
    assertThat(noEvents.checked()).isZero();
  }

  @Test
  void theReportKeepsTheFirstDifferencesAndCountsAll() {
    Differences few = new Differences(2);
    var merge =
        new SortedMerge<AccountFold>("account", documents(), AggregateFold::compareAccount, few);
    for (int i = 0; i < 5; i++) {
      merge.expect("a-" + i, new AccountFold("o-1", "EUR", 0, "OPEN", 0));
    }
    merge.finish();

    assertThat(few.first()).containsExactly("account a-0 is missing", "account a-1 is missing");
    assertThat(few.total()).isEqualTo(5);
    assertThat(few.truncated()).isTrue();
    assertThat(differences.truncated()).isFalse();
  }

  @Test
  void idsOutOfOrderAreRefused() {
    var store = accounts();
    store.expect("b", new AccountFold("o-1", "EUR", 0, "OPEN", 0));
    assertThatThrownBy(() -> store.expect("a", new AccountFold("o-1", "EUR", 0, "OPEN", 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("event store");

    var readModel = accounts(account("b", 0, 0), account("a", 0, 0));
    assertThatThrownBy(() -> readModel.expect("c", new AccountFold("o-1", "EUR", 0, "OPEN", 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("read model");
  }

  @Test
  void idsAreOrderedByUtf8BytesLikeCollateCAndKeywordSort() {
    assertThat(SortedMerge.compareIds("a", "b")).isNegative();
    assertThat(SortedMerge.compareIds("a", "a")).isZero();
    assertThat(SortedMerge.compareIds("a", "ab")).isNegative();
    assertThat(SortedMerge.compareIds("B", "a")).isNegative();
    assertThat(SortedMerge.compareIds("a-10", "a-9")).isNegative();
    // U+FFFD is below U+1F600 in UTF-8 bytes, although its UTF-16 unit is above the surrogates.
    assertThat("\uFFFD".compareTo("\uD83D\uDE00")).isPositive();
    assertThat(SortedMerge.compareIds("\uFFFD", "\uD83D\uDE00")).isNegative();
  }

  @SafeVarargs
  private SortedMerge<AccountFold> accounts(Map<String, Object>... sources) {
    return new SortedMerge<>(
        "account", documents(sources), AggregateFold::compareAccount, differences);
  }

  @SafeVarargs
  private static Iterator<SortedMerge.Document> documents(Map<String, Object>... sources) {
    List<SortedMerge.Document> documents = new ArrayList<>();
    for (Map<String, Object> source : sources) {
      String id = (String) source.getOrDefault("accountId", source.get("transferId"));
      documents.add(new SortedMerge.Document(id, source));
    }
    return documents.iterator();
  }

  private static Map<String, Object> account(String id, int balance, int version) {
    // Elasticsearch hands small numbers back as Integer: the comparison must not care.
    return Map.of(
        "accountId",
        id,
        "ownerId",
        "o-1",
        "currency",
        "EUR",
        "balance",
        balance,
        "status",
        "OPEN",
        "version",
        version);
  }
}
